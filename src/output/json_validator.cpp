#include "coinone_annotate/output/json_validator.h"

#include <yajl/yajl_parse.h>

namespace coinone {

JsonValidator::JsonValidator() { reset(); }

JsonValidator::~JsonValidator() {
  if (handle_ != nullptr) yajl_free(handle_);
}

void JsonValidator::reset() {
  if (handle_ != nullptr) yajl_free(handle_);
  handle_ = yajl_alloc(nullptr, nullptr, nullptr);  // no callbacks: validation only
  failed_ = handle_ == nullptr;
}

void JsonValidator::feed(std::string_view bytes) {
  if (failed_ || bytes.empty()) return;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  failed_ = yajl_parse(handle_, data, bytes.size()) != yajl_status_ok;
}

bool JsonValidator::finish() {
  if (failed_) return false;
  failed_ = true;  // the text is over either way
  return yajl_complete_parse(handle_) == yajl_status_ok;
}

}  // namespace coinone
