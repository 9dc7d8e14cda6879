// Rng: the corpus generator's random numbers, splitmix64 (Steele, Lea, Flood 2014) with an
// unbiased range mapping of our own, so that the same seed gives the same numbers on any platform
// (no <random> distributions, whose output is implementation-defined).
//
// Value type, copyable; one instance per generator, not shared between threads.
#pragma once
#include <cstddef>
#include <cstdint>

namespace corpus {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); n > 0. Rejection sampling keeps it unbiased.
  uint64_t below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }

  // Uniform in [lo, hi].
  uint64_t between(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }

  // True with probability threshold / 2^53.
  bool chance53(uint64_t threshold) { return (next() >> 11) < threshold; }

  // True with probability num / den.
  bool one_in(uint64_t den) { return below(den) == 0; }

  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  uint64_t state_;
};

// 2^53: a rate r in [0, 1] becomes the threshold r * kTwo53 that chance53() and
// Generator::one_line() compare 53 random bits against.
inline constexpr double kTwo53 = 9007199254740992.0;

}  // namespace corpus
