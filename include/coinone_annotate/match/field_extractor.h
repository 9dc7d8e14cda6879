// FieldExtractor: finds Coinone error fields, `result` fields and --pattern matches in text.
//
// This is the only place that knows RE2 (all patterns are compiled once, at construction, with
// log_errors off). Names are found with literal scans; RE2 reads the separator and value after
// each, anchored. A field is a name, a separator and a value token:
//
//     name       error_code | errorCode | ERROR-CODE | result ...  (case-insensitive,
//                "error" [_-]? "code", or "result"), not preceded by [A-Za-z0-9_-]
//     separator  runs of \ " ' space tab, then => or : or =, then runs of \ " ' space tab
//     value      an optional ':' (Ruby symbols), then a token of [A-Za-z0-9_]
//
// Quotes and backslashes around names and values are skipped, so JSON escaped at any depth,
// Python and Ruby reprs, Node's inspect, logfmt, YAML, CSV cells with doubled quotes and Go or
// Java struct dumps all reduce to the same shape. An error code is a token of digits, not
// followed by '.' and a digit nor by a control or non-ASCII byte, whose value is not zero. Prose
// ("error code 131") has no separator after a name and is not a field.
//
// Text may be a window of a long line: `prev` is the byte before it, and when `final` is false
// a field ending in the last kLookahead bytes is left for the next window, which must start at
// most kCarry bytes earlier than this window's end.
//
// The value pattern's answers are memoised (ValueMemo), so an extractor belongs to one thread:
// clone() makes one for another. Not copyable (RE2 objects are expensive).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coinone_annotate/match/line_findings.h"

namespace coinone {

class FieldExtractor {
 public:
  // Bytes a non-final window keeps unexamined at its end: the token and the two bytes after it
  // decide whether a field is complete.
  static constexpr size_t kLookahead = 2;
  // Bytes of a long line carried into the next window. A field longer than this that straddles
  // a window boundary of a line longer than the line buffer can be missed.
  static constexpr size_t kCarry = 4096;

  struct Result {
    std::unique_ptr<FieldExtractor> extractor;  // null on failure
    std::string error;                          // "PATTERN: RE2's message" on failure
  };
  // Compiles the built-in field pattern and the user's --pattern expressions. Each user pattern
  // must be valid RE2 syntax with a named group `code`.
  static Result create(const std::vector<std::string>& user_patterns);

  ~FieldExtractor();
  FieldExtractor(const FieldExtractor&) = delete;
  FieldExtractor& operator=(const FieldExtractor&) = delete;

  // Adds what text holds to findings (which are not cleared first). In a window, fields that
  // end (with their lookahead) before `fresh_from` were taken with the previous window and are
  // skipped, so that a line of 100 000 fields counts each once.
  void extract(std::string_view text, char prev, bool final, LineFindings& findings,
               size_t fresh_from = 0) const;
  // What extract() does at one name, for a caller that finds the names itself: `at` is an
  // occurrence of "code" or "result" (any case) in a whole line (Matcher's one-pass scan of a
  // block). Calling it at every occurrence, in order, adds what extract(line) adds, user
  // patterns aside.
  void extract_name_at(std::string_view line, size_t at, LineFindings& findings) const;
  bool has_user_patterns() const;
  // The same patterns compiled anew, for another thread: an extractor keeps a memo of answers
  // and is used by one thread only. (RE2 objects are thread-safe, but threads that share one
  // take its reader lock on every match: scanning the 50% corpus on two threads spent 18% of
  // its cycles in pthread_rwlock_rdlock until each had its own.) Null only when memory runs out.
  std::unique_ptr<FieldExtractor> clone() const;

 private:
  struct Patterns;
  explicit FieldExtractor(std::unique_ptr<Patterns> patterns);
  void extract_fields(std::string_view text, char prev, bool final, size_t fresh_from,
                      LineFindings& findings) const;
  void extract_code(std::string_view text, size_t at, char prev, bool final, size_t fresh_from,
                    LineFindings& findings) const;
  void extract_result(std::string_view text, size_t at, char prev, bool final,
                      LineFindings& findings) const;
  std::optional<std::string_view> value_after(std::string_view text, size_t at, size_t digit_at,
                                              bool final) const;
  void extract_user(std::string_view text, bool final, size_t fresh_from,
                    LineFindings& findings) const;

  std::unique_ptr<Patterns> patterns_;
};

// The RE2 pattern matched anchored right after a field name: separator and value token.
extern const char kFieldValuePattern[];

// Length of the value run at the start of text: the separator bytes [\\"' \t=>:] there, then the
// token bytes [A-Za-z0-9_] after them, counting at most ValueMemo::kMaxRun + 1 bytes (a run
// that long is too long to keep). kFieldValuePattern matches within it and reads nothing else.
size_t value_run_length(std::string_view text);

// The code a value token stands for: digits without leading zeros, or empty when the token is
// not an error code: not all digits, zero, followed by '.' and a digit, or followed by a control
// or non-ASCII byte (a damaged value). `after` is the text after the token.
std::string_view error_code_digits(std::string_view token, std::string_view after);

}  // namespace coinone
