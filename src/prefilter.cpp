#include "coinone_annotate/prefilter.h"

#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
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
// Bit i set: block[i] is 'c' and block[i + 3] is 'e' (any case), for 16 offsets. SSE2 is part
// of x86-64, so this needs no CPU check.
uint32_t code_mask_sse2(const char* p) {
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i first = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), lower);
  const __m128i last =
      _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 3)), lower);
  const __m128i both = _mm_and_si128(_mm_cmpeq_epi8(first, _mm_set1_epi8('c')),
                                     _mm_cmpeq_epi8(last, _mm_set1_epi8('e')));
  return static_cast<uint32_t>(_mm_movemask_epi8(both));
}

// The same for 32 offsets, on CPUs with AVX2 (checked at run time).
__attribute__((target("avx2"))) inline uint32_t code_mask_avx2(const char* p) {
  const __m256i lower = _mm256_set1_epi8(0x20);
  const __m256i first =
      _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), lower);
  const __m256i last =
      _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 3)), lower);
  const __m256i both = _mm256_and_si256(_mm256_cmpeq_epi8(first, _mm256_set1_epi8('c')),
                                        _mm256_cmpeq_epi8(last, _mm256_set1_epi8('e')));
  return static_cast<uint32_t>(_mm256_movemask_epi8(both));
}

// Each scan checks `width` offsets at a time from `at`, returns the first candidate or npos,
// and leaves `at` where the scalar tail must start. The AVX2 loop is compiled for AVX2 as a
// whole so that its mask function inlines (a call per 32 bytes cost 7% of the run time on the
// 1% corpus).
size_t scan_sse2(std::string_view block, size_t& at) {
  for (; at + 3 + 16 <= block.size(); at += 16) {
    for (uint32_t mask = code_mask_sse2(block.data() + at); mask != 0; mask &= mask - 1) {
      const size_t hit = at + static_cast<size_t>(__builtin_ctz(mask));
      if (is_candidate_at(block, hit)) return hit;
    }
  }
  return kNpos;
}

__attribute__((target("avx2"))) size_t scan_avx2(std::string_view block, size_t& at) {
  for (; at + 3 + 32 <= block.size(); at += 32) {
    for (uint32_t mask = code_mask_avx2(block.data() + at); mask != 0; mask &= mask - 1) {
      const size_t hit = at + static_cast<size_t>(__builtin_ctz(mask));
      if (is_candidate_at(block, hit)) return hit;
    }
  }
  return kNpos;
}

#endif

ScanKind choose_scan_kind() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? ScanKind::kAvx2 : ScanKind::kSse2;
#else
  return ScanKind::kScalar;
#endif
}

// Chosen once, at start-up: the binary still runs on x86-64 CPUs without AVX2.
const ScanKind kBestScan = choose_scan_kind();

}  // namespace

bool is_candidate_at(std::string_view block, size_t at) {
  if (at + 4 > block.size()) return false;
  const char* p = block.data() + at;
  if (!is_letter(p[0], 'c') || !is_letter(p[1], 'o') || !is_letter(p[2], 'd') ||
      !is_letter(p[3], 'e'))
    return false;
  return error_precedes(block, at) && value_may_be_code(block, at + 4);
}

size_t find_candidate_with(ScanKind kind, std::string_view block, size_t from) {
  size_t at = from;
#if defined(__x86_64__)
  size_t hit = kNpos;
  if (kind == ScanKind::kAvx2) hit = scan_avx2(block, at);
  if (kind == ScanKind::kSse2) hit = scan_sse2(block, at);
  if (hit != kNpos) return hit;
#endif
  for (; at + 4 <= block.size(); ++at)
    if (is_candidate_at(block, at)) return at;
  return kNpos;
}

size_t find_candidate(std::string_view block, size_t from) {
  return find_candidate_with(kBestScan, block, from);
}

ScanKind best_scan_kind() { return kBestScan; }

}  // namespace coinone
