#include "coinone_annotate/prefilter.h"

#include <cstdint>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace coinone {

namespace {

constexpr size_t kNpos = std::string_view::npos;

// ASCII letters compare case-insensitively after OR-ing 0x20; for the letters used here no other
// byte maps onto them.
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

#if defined(__x86_64__)
// Offsets of 'c' (any case) followed three bytes later by 'e' (any case), 16 at a time. SSE2 is
// part of x86-64, so this needs no CPU dispatch.
uint32_t code_mask_sse2(const char* p) {
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i first = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), lower);
  const __m128i last =
      _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 3)), lower);
  const __m128i both = _mm_and_si128(_mm_cmpeq_epi8(first, _mm_set1_epi8('c')),
                                     _mm_cmpeq_epi8(last, _mm_set1_epi8('e')));
  return static_cast<uint32_t>(_mm_movemask_epi8(both));
}
#endif

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
  const size_t size = block.size();
  size_t at = from;
#if defined(__x86_64__)
  for (; at + 3 + 16 <= size; at += 16) {
    for (uint32_t mask = code_mask_sse2(block.data() + at); mask != 0; mask &= mask - 1) {
      const size_t hit = at + static_cast<size_t>(__builtin_ctz(mask));
      if (is_candidate_at(block, hit)) return hit;
    }
  }
#endif
  for (; at + 4 <= size; ++at)
    if (is_candidate_at(block, at)) return at;
  return kNpos;
}

}  // namespace coinone
