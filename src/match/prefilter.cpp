#include "coinone_annotate/match/prefilter.h"

#include "coinone_annotate/match/byte_classes.h"
#include "coinone_annotate/match/literal_search.h"

namespace coinone {

namespace {

constexpr size_t kNpos = std::string_view::npos;

bool is_letter(char c, char lower) { return (static_cast<unsigned char>(c) | 0x20) == lower; }

bool is_skip(char c) { return byte_class::is(c, byte_class::kSkip); }

bool is_digit(char c) { return byte_class::is(c, byte_class::kDigit); }

}  // namespace

size_t error_name_start(std::string_view text, size_t code_at) {
  size_t at = code_at;
  if (at >= 1 && (text[at - 1] == '_' || text[at - 1] == '-')) --at;
  if (at < 5) return kNpos;
  const char* p = text.data() + at - 5;
  const bool error = is_letter(p[0], 'e') && is_letter(p[1], 'r') && is_letter(p[2], 'r') &&
                     is_letter(p[3], 'o') && is_letter(p[4], 'r');
  return error ? at - 5 : kNpos;
}

size_t value_token_start(std::string_view text, size_t at) {
  const size_t size = text.size();
  while (at < size && is_skip(text[at])) ++at;
  if (at + 1 < size && text[at] == '=' && text[at + 1] == '>') {
    at += 2;
  } else if (at < size && (text[at] == ':' || text[at] == '=')) {
    ++at;
  } else {
    return kNpos;
  }
  while (at < size && is_skip(text[at])) ++at;
  if (at < size && text[at] == ':') ++at;
  return at;
}

size_t code_token_start(std::string_view text, size_t at) {
  at = value_token_start(text, at);
  if (at >= text.size() || !is_digit(text[at])) return kNpos;  // no separator, null, "", a word
  // "0" followed by anything but a digit is zero (success), 0.5 or 0x1F: never an error code.
  if (text[at] == '0' && !(at + 1 < text.size() && is_digit(text[at + 1]))) return kNpos;
  return at;
}

bool is_candidate_at(std::string_view block, size_t at) {
  if (at + 4 > block.size()) return false;
  const char* p = block.data() + at;
  if (!is_letter(p[0], 'c') || !is_letter(p[1], 'o') || !is_letter(p[2], 'd') ||
      !is_letter(p[3], 'e'))
    return false;
  return error_name_start(block, at) != kNpos && value_may_be_code(block, at + 4);
}

size_t find_candidate(std::string_view block, size_t from) {
  for (size_t at = find_word(block, from, "code"); at != kNpos;
       at = find_word(block, at + 1, "code"))
    if (error_name_start(block, at) != kNpos && value_may_be_code(block, at + 4)) return at;
  return kNpos;
}

}  // namespace coinone
