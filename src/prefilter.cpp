#include "coinone_annotate/prefilter.h"

#include "coinone_annotate/literal_search.h"

namespace coinone {

namespace {

constexpr size_t kNpos = std::string_view::npos;

bool is_letter(char c, char lower) { return (static_cast<unsigned char>(c) | 0x20) == lower; }

bool is_skip(char c) { return c == '\\' || c == '"' || c == '\'' || c == ' ' || c == '\t'; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True when block[begin, at) ends with "error", "error_" or "error-".
bool error_precedes(std::string_view block, size_t at) {
  if (at >= 1 && (block[at - 1] == '_' || block[at - 1] == '-')) --at;
  if (at < 5) return false;
  const char* p = block.data() + at - 5;
  return is_letter(p[0], 'e') && is_letter(p[1], 'r') && is_letter(p[2], 'r') &&
         is_letter(p[3], 'o') && is_letter(p[4], 'r');
}

// Follows the separator grammar of FieldExtractor from `at` (just past the name). True unless
// the value is certainly not an error code: no separator, no digit, or a lone zero.
bool value_may_be_code(std::string_view block, size_t at) {
  const size_t size = block.size();
  while (at < size && is_skip(block[at])) ++at;
  if (at + 1 < size && block[at] == '=' && block[at + 1] == '>') {
    at += 2;
  } else if (at < size && (block[at] == ':' || block[at] == '=')) {
    ++at;
  } else {
    return false;
  }
  while (at < size && is_skip(block[at])) ++at;
  if (at < size && block[at] == ':') ++at;
  if (at >= size || !is_digit(block[at])) return false;  // null, "", a word
  // "0" followed by anything but a digit is zero (success), 0.5 or 0x1F: never an error code.
  return block[at] != '0' || (at + 1 < size && is_digit(block[at + 1]));
}

}  // namespace

bool is_candidate_at(std::string_view block, size_t at) {
  if (at + 4 > block.size()) return false;
  const char* p = block.data() + at;
  if (!is_letter(p[0], 'c') || !is_letter(p[1], 'o') || !is_letter(p[2], 'd') ||
      !is_letter(p[3], 'e'))
    return false;
  return error_precedes(block, at) && value_may_be_code(block, at + 4);
}

size_t find_candidate(std::string_view block, size_t from) {
  for (size_t at = find_word(block, from, "code"); at != kNpos; at = find_word(block, at + 1, "code"))
    if (error_precedes(block, at) && value_may_be_code(block, at + 4)) return at;
  return kNpos;
}

}  // namespace coinone
