// Prefilter: finds lines that may hold a Coinone error code, without RE2.
//
// False positives are allowed, false negatives never: every line in which FieldExtractor finds
// an error code has a candidate here. The search looks for "code" (any case) with a vector scan
// over the whole block, then checks by hand that "error", "error_" or "error-" comes before it
// and that the value after the separator can be a non-zero integer. A success response
// (`"error_code":"0"`, about one line in six of a real bot log) is rejected here and never
// reaches RE2.
//
// Pure functions over byte spans: no I/O, no state, thread-safe.
#pragma once
#include <cstddef>
#include <string_view>

namespace coinone {

// Position of the first candidate field at or after `from` (an offset inside the field's line),
// or std::string_view::npos.
size_t find_candidate(std::string_view block, size_t from);

// The hand-written side of the field grammar (FieldExtractor's header has all of it).
// Start of the name "error", "error_" or "error-" that ends just before "code" at `code_at`, or
// npos.
size_t error_name_start(std::string_view text, size_t code_at);
// Start of the value token of a field whose name ends at `at`: skips [\\"' \t]*, a separator
// (=>, : or =), [\\"' \t]* and one optional ':'. npos when no separator follows.
size_t value_token_start(std::string_view text, size_t at);
// The start of the value token after a name ending at `at` when that value may be an error code,
// else npos: no separator, no digit, or a lone zero.
size_t code_token_start(std::string_view text, size_t at);
inline bool value_may_be_code(std::string_view text, size_t at) {
  return code_token_start(text, at) != std::string_view::npos;
}

// The check applied to one occurrence of "code" at `at`: true when it ends a field name whose
// value may be an error code. Exposed for tests.
bool is_candidate_at(std::string_view block, size_t at);

}  // namespace coinone
