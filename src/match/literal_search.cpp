#include "coinone_annotate/match/literal_search.h"

#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace coinone {

namespace {

constexpr size_t kNpos = std::string_view::npos;

inline bool either_at(std::string_view text, size_t at, std::string_view a, std::string_view b) {
  return word_at(text, at, a) || (b.data() != a.data() && word_at(text, at, b));
}

#if defined(__x86_64__)
// The bytes a mask compares against, broadcast once per scan rather than once per step: the
// visitor is an opaque call, so the compiler cannot hoist the broadcasts out of the loop itself.
// With one word (find_word, find_candidate) the second pair is left out: the first version
// compared every step against both words, the same one twice. Hoisting and one pair of compares
// cut the instructions of a whole run over 16 MB of the 1% corpus by 15% (callgrind: 41.5 M to
// 35.1 M).
struct Needles16 {
  __m128i a_first, a_last, b_first, b_last;
  size_t a_last_at, b_last_at;
};
struct Needles32 {
  __m256i a_first, a_last, b_first, b_last;
  size_t a_last_at, b_last_at;
};

Needles16 needles_sse2(std::string_view a, std::string_view b) {
  return {_mm_set1_epi8(a.front()),
          _mm_set1_epi8(a.back()),
          _mm_set1_epi8(b.front()),
          _mm_set1_epi8(b.back()),
          a.size() - 1,
          b.size() - 1};
}

__attribute__((target("avx2"))) inline Needles32 needles_avx2(std::string_view a,
                                                              std::string_view b) {
  return {_mm256_set1_epi8(a.front()),
          _mm256_set1_epi8(a.back()),
          _mm256_set1_epi8(b.front()),
          _mm256_set1_epi8(b.back()),
          a.size() - 1,
          b.size() - 1};
}

// Bit i of a mask: word a (and, for the two-word masks, word b) may start at p + i: its first
// and last bytes match, case aside (the text is OR-ed with 0x20; words are lower case).
inline __m128i lower_sse2(const char* p) {
  return _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8(0x20));
}

uint32_t mask1_sse2(const char* p, const Needles16& n) {
  const __m128i hit = _mm_and_si128(_mm_cmpeq_epi8(lower_sse2(p), n.a_first),
                                    _mm_cmpeq_epi8(lower_sse2(p + n.a_last_at), n.a_last));
  return static_cast<uint32_t>(_mm_movemask_epi8(hit));
}

uint32_t mask2_sse2(const char* p, const Needles16& n) {
  const __m128i first = lower_sse2(p);
  const __m128i hit_a = _mm_and_si128(_mm_cmpeq_epi8(first, n.a_first),
                                      _mm_cmpeq_epi8(lower_sse2(p + n.a_last_at), n.a_last));
  const __m128i hit_b = _mm_and_si128(_mm_cmpeq_epi8(first, n.b_first),
                                      _mm_cmpeq_epi8(lower_sse2(p + n.b_last_at), n.b_last));
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(hit_a, hit_b)));
}

__attribute__((target("avx2"))) inline __m256i lower_avx2(const char* p) {
  return _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
                         _mm256_set1_epi8(0x20));
}

__attribute__((target("avx2"))) inline uint32_t mask1_avx2(const char* p, const Needles32& n) {
  const __m256i hit = _mm256_and_si256(_mm256_cmpeq_epi8(lower_avx2(p), n.a_first),
                                       _mm256_cmpeq_epi8(lower_avx2(p + n.a_last_at), n.a_last));
  return static_cast<uint32_t>(_mm256_movemask_epi8(hit));
}

__attribute__((target("avx2"))) inline uint32_t mask2_avx2(const char* p, const Needles32& n) {
  const __m256i first = lower_avx2(p);
  const __m256i hit_a = _mm256_and_si256(_mm256_cmpeq_epi8(first, n.a_first),
                                         _mm256_cmpeq_epi8(lower_avx2(p + n.a_last_at), n.a_last));
  const __m256i hit_b = _mm256_and_si256(_mm256_cmpeq_epi8(first, n.b_first),
                                         _mm256_cmpeq_epi8(lower_avx2(p + n.b_last_at), n.b_last));
  return static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(hit_a, hit_b)));
}

// The scan loop, `width` offsets a step, calling visit() at each occurrence until it returns
// false. The last step is moved back to end exactly at the end of the text (the offsets it saw
// already are masked off), so no scalar tail is needed once the text holds one step: on
// 150-byte log lines a scalar tail had taken 12% of the run time. Returns false when visit()
// stopped the scan; leaves `at` where the scalar tail must start. A macro rather than a template
// because the AVX2 copy must be compiled for AVX2 as a whole for the intrinsics to inline (a
// call per 32 bytes cost 7% of the run time on the 1% corpus).
#define COINONE_SCAN_LOOP(needles_of, mask_of, width)                                    \
  const size_t reach = std::max(a.size(), b.size()) - 1;                                 \
  if (at + reach + (width) > text.size()) return true;                                   \
  const auto needles = needles_of(a, b);                                                 \
  const size_t final_at = text.size() - reach - (width);                                 \
  for (size_t step = at;; step += (width)) {                                             \
    const size_t start = step < final_at ? step : final_at;                              \
    uint32_t mask = mask_of(text.data() + start, needles);                               \
    if (start < step) mask &= ~0u << (step - start);                                     \
    for (; mask != 0; mask &= mask - 1) {                                                \
      const size_t hit = start + static_cast<size_t>(__builtin_ctz(mask));               \
      if (either_at(text, hit, a, b) && !visit(context, hit)) return false;              \
    }                                                                                    \
    if (start == final_at) break;                                                        \
  }                                                                                      \
  at = final_at + (width); /* the scalar tail checks where only the shorter word fits */ \
  return true;

bool one_word(std::string_view a, std::string_view b) {
  return a.data() == b.data() && a.size() == b.size();
}

bool scan_sse2(std::string_view text, size_t& at, std::string_view a, std::string_view b,
               WordVisitor visit, void* context) {
  if (one_word(a, b)) {
    COINONE_SCAN_LOOP(needles_sse2, mask1_sse2, 16)
  }
  COINONE_SCAN_LOOP(needles_sse2, mask2_sse2, 16)
}

__attribute__((target("avx2"))) bool scan_avx2(std::string_view text, size_t& at,
                                               std::string_view a, std::string_view b,
                                               WordVisitor visit, void* context) {
  if (one_word(a, b)) {
    COINONE_SCAN_LOOP(needles_avx2, mask1_avx2, 32)
  }
  COINONE_SCAN_LOOP(needles_avx2, mask2_avx2, 32)
}
#undef COINONE_SCAN_LOOP

// The first occurrence of one word, without the visitor: find_word() is called once per line
// to be checked for "coinone" and once per candidate by the prefilter, and on 126-byte lines the
// calls through for_each_either's visitor cost three times the scan itself. Needs the word to
// fit in a step's reach: from + word.size() - 1 + 32 <= text.size().
__attribute__((target("avx2"))) size_t find_word_avx2(std::string_view text, size_t from,
                                                      std::string_view word) {
  const size_t reach = word.size() - 1;
  const __m256i first = _mm256_set1_epi8(word.front());
  const __m256i last = _mm256_set1_epi8(word.back());
  const size_t final_at = text.size() - reach - 32;
  for (size_t step = from;; step += 32) {
    const size_t start = step < final_at ? step : final_at;
    const char* p = text.data() + start;
    uint32_t mask = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_and_si256(
        _mm256_cmpeq_epi8(lower_avx2(p), first), _mm256_cmpeq_epi8(lower_avx2(p + reach), last))));
    if (start < step) mask &= ~0u << (step - start);
    for (; mask != 0; mask &= mask - 1) {
      const size_t hit = start + static_cast<size_t>(__builtin_ctz(mask));
      if (word_at(text, hit, word)) return hit;
    }
    if (start == final_at) return kNpos;
  }
}
#endif

#if defined(__x86_64__)
// Newline counting for --summary and --metrics, 32 bytes a step: std::count ran at 3 GB/s and
// doubled the filter's CPU time on the 1% corpus; this runs at memory speed.
__attribute__((target("avx2,popcnt"))) size_t count_avx2(std::string_view text, char byte,
                                                         size_t& at) {
  const __m256i needle = _mm256_set1_epi8(byte);
  size_t count = 0;
  for (; at + 32 <= text.size(); at += 32) {
    const __m256i chunk = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text.data() + at));
    const auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(chunk, needle)));
    count += static_cast<size_t>(__builtin_popcount(mask));
  }
  return count;
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

void for_each_either_with(ScanKind kind, std::string_view text, size_t from, std::string_view a,
                          std::string_view b, WordVisitor visit, void* context) {
  size_t at = from;
#if defined(__x86_64__)
  if (kind == ScanKind::kAvx2 && !scan_avx2(text, at, a, b, visit, context)) return;
  if (kind != ScanKind::kScalar && at == from && !scan_sse2(text, at, a, b, visit, context))
    return;  // a text too short for 32 bytes may take 16
#else
  (void)kind;
#endif
  const int first_a = a.front(), first_b = b.front();
  for (; at < text.size(); ++at) {
    const int c = static_cast<unsigned char>(text[at]) | 0x20;
    if ((c == first_a || c == first_b) && either_at(text, at, a, b) && !visit(context, at)) return;
  }
}

void for_each_either(std::string_view text, size_t from, std::string_view a, std::string_view b,
                     WordVisitor visit, void* context) {
  for_each_either_with(kBestScan, text, from, a, b, visit, context);
}

size_t find_either_with(ScanKind kind, std::string_view text, size_t from, std::string_view a,
                        std::string_view b) {
  size_t found = kNpos;
  for_each_either_with(
      kind, text, from, a, b,
      [](void* context, size_t at) {
        *static_cast<size_t*>(context) = at;
        return false;  // the first is enough
      },
      &found);
  return found;
}

size_t find_either(std::string_view text, size_t from, std::string_view a, std::string_view b) {
  return find_either_with(kBestScan, text, from, a, b);
}

size_t find_word(std::string_view text, size_t from, std::string_view word) {
#if defined(__x86_64__)
  if (kBestScan == ScanKind::kAvx2 && from + word.size() - 1 + 32 <= text.size())
    return find_word_avx2(text, from, word);
#endif
  return find_either_with(kBestScan, text, from, word, word);
}

ScanKind best_scan_kind() { return kBestScan; }

size_t count_byte(std::string_view text, char byte) {
  size_t count = 0;
  size_t at = 0;
#if defined(__x86_64__)
  if (kBestScan == ScanKind::kAvx2) count = count_avx2(text, byte, at);
#endif
  for (; at < text.size(); ++at) count += text[at] == byte;
  return count;
}

}  // namespace coinone
