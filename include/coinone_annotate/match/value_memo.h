// ValueMemo: remembers what the value pattern answered for a run of bytes.
//
// FieldExtractor matches its value pattern with RE2, anchored right after each error-code name:
// about once per annotated line. Each RE2::Match call has a fixed cost (DFA set-up and its cache
// lock, about 800 instructions) that was a fifth of all instructions on the 50% corpus, while a
// bot log repeats a few hundred value shapes (`":"103"`, `=131 `, `': '405'`) millions of times.
//
// The pattern consumes separator bytes ([\\"' \t=>:]) and then token bytes ([A-Za-z0-9_]),
// two disjoint sets. So its match at an offset lies within, and depends on nothing but, the
// value run there: the longest run of separator bytes followed by the longest run of token
// bytes after it (`":"103` in `"error_code":"103","error_msg"`; value_run_length() in
// field_extractor.h, next to the pattern). The memo keeps RE2's answer
// per run: RE2 still decides every distinct run, once, and the memo replays the answer when the
// run comes back.
//
// Three-way set-associative: kSets sets of three runs up to kMaxRun bytes each, one 64-byte
// cache line a set, 64 KiB allocated at the first remember() and zeroed by the kernel page by
// page as sets are used, and no allocation after that. A new run takes the place of the least
// recently kept one of its set. Longer runs are not kept: RE2 answers them every time. (16 MB
// of the 50% corpus hold 1,174 distinct runs in 50,000 fields, nearly all of 5 to 9 bytes.
// The first memo, two ways of 2,048 sets of 32-byte keys in 160 KiB, missed the cache on a
// third of its look-ups while the scan streamed blocks through it: a tenth of the cycles.)
// Not thread-safe: one per FieldExtractor, and one extractor per thread.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace coinone {

class ValueMemo {
 public:
  static constexpr size_t kMaxRun = 15;
  static constexpr size_t kSets = 1024;
  static constexpr size_t kWays = 3;

  // An answer: the length of the pattern's match at the start of the run, or kNoMatch.
  static constexpr int kNoMatch = -1;

  // A run packed into two words, zero-padded, with its length plus one in the top byte: two
  // keys are equal when their words are. A run longer than kMaxRun has no key (all zeros, as
  // an unused slot; valid() is false).
  struct Key {
    uint64_t lo = 0, hi = 0;
    bool valid() const { return hi != 0; }
    bool operator==(const Key&) const = default;
  };
  // The key of `run`, whose memory can be read `readable` bytes from its start (readable >=
  // run.size()). With 16 readable bytes the key is two loads and masks, without a copy: a copy
  // of the run's bytes into the key cost a store-forwarding stall per look-up.
  static Key key_of(std::string_view run, size_t readable);

  ValueMemo();
  ValueMemo(const ValueMemo&) = delete;
  ValueMemo& operator=(const ValueMemo&) = delete;

  // The answer kept for this run, if any.
  std::optional<int> find(const Key& key) const;
  std::optional<int> find(std::string_view run) const { return find(key_of(run, run.size())); }
  // Keeps an answer; runs longer than kMaxRun are ignored.
  void remember(const Key& key, int answer);
  void remember(std::string_view run, int answer) { remember(key_of(run, run.size()), answer); }

 private:
  // Most recently kept first.
  struct alignas(64) Set {
    std::array<Key, kWays> keys;
    std::array<int8_t, kWays> answers;
  };
  static size_t set_of(const Key& key);

  struct Free {
    void operator()(void* memory) const;
  };
  std::unique_ptr<void, Free> memory_;  // null until the first remember()
  Set* sets_ = nullptr;                 // memory_, aligned to a cache line
};

}  // namespace coinone
