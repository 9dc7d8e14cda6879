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
// Two-way set-associative: kSets sets of two runs up to kMaxRun bytes each, 160 KiB allocated
// at the first remember() and zeroed by the kernel page by page as sets are used, and no
// allocation after that. A new run takes the place of the less recently kept one of
// its set. Longer runs are not kept. (16 MB of the 50% corpus hold 1,174 distinct runs in 50,000
// fields: a direct-mapped 1,024 slots still sent 11,000 of them to RE2, two ways of 2,048 sets
// send 1,878.) Not thread-safe: one per FieldExtractor, and one extractor per thread.
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
  static constexpr size_t kMaxRun = 31;
  static constexpr size_t kSets = 2048;

  // An answer: the length of the pattern's match at the start of the run, or kNoMatch.
  static constexpr int kNoMatch = -1;

  ValueMemo();
  ValueMemo(const ValueMemo&) = delete;
  ValueMemo& operator=(const ValueMemo&) = delete;

  // The answer kept for this run, if any.
  std::optional<int> find(std::string_view run) const;
  // Keeps an answer; runs longer than kMaxRun are ignored.
  void remember(std::string_view run, int answer);

 private:
  // A run packed with its length in the last byte, zero-padded: two keys are equal when their
  // four words are.
  struct Key {
    std::array<uint64_t, 4> words{};
  };
  struct Slot {
    Key key;
    int answer = 0;
    bool used = false;
  };
  struct Set {
    Slot recent, older;
  };
  static Key pack(std::string_view run);
  static size_t set_of(const Key& key);

  struct Free {
    void operator()(Set* sets) const;
  };
  std::unique_ptr<Set[], Free> sets_;  // null until the first remember()
};

}  // namespace coinone
