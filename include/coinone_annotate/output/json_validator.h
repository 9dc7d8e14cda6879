// JsonValidator: tells, incrementally, whether the bytes fed are one valid JSON text.
//
// --format json adds a member only to a line that is exactly one valid JSON object: the
// JsonObjectScanner finds the object's shape and closing brace, this says whether the line is
// JSON at all (a Ruby hash `{"result"=>"error"}` or `{"error_code":103,}` is not). It wraps
// yajl's push parser (Debian's libyajl), so a line streamed in pieces is checked in pieces with
// bounded memory; strings must be valid UTF-8, as RFC 8259 asks.
//
// Used only in JSON mode and only for lines that are annotated (and the pieces of long lines),
// so the parser allocated on each reset() is off the path of ordinary lines. Not copyable.
#pragma once
#include <string_view>

struct yajl_handle_t;

namespace coinone {

class JsonValidator {
 public:
  JsonValidator();
  ~JsonValidator();
  JsonValidator(const JsonValidator&) = delete;
  JsonValidator& operator=(const JsonValidator&) = delete;

  // Starts a new text.
  void reset();
  void feed(std::string_view bytes);
  // True when everything fed since reset() is one complete, valid JSON text. Ends the text:
  // feed() after it needs a reset().
  bool finish();

 private:
  yajl_handle_t* handle_ = nullptr;
  bool failed_ = false;
};

}  // namespace coinone
