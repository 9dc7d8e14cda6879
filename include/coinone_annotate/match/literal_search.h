// Case-insensitive search for a short ASCII word, with vector scans.
//
// The scan compares the word's first and last bytes at every offset, 32 at a time with AVX2 or
// 16 with SSE2 (chosen once at start-up from the CPU, so the binary runs on any x86-64), and
// checks the bytes between only where both agree. ASCII letters compare case-insensitively after
// OR-ing 0x20, which maps no other byte onto a letter.
//
// Pure functions over byte spans; thread-safe.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace coinone {

enum class ScanKind { kScalar, kSse2, kAvx2 };

// Offset of the first occurrence of `word` (lower-case ASCII letters, 1 to 32 bytes) in text at
// or after `from`, in any case; npos if none.
size_t find_word(std::string_view text, size_t from, std::string_view word);
// Offset of the first occurrence of either word, in one pass (the extractor looks for "code"
// and "result" at once).
size_t find_either(std::string_view text, size_t from, std::string_view a, std::string_view b);
// Calls visit(context, offset) at every occurrence of either word at or after `from`, in order,
// until it returns false. One pass, however many occurrences (a restart per occurrence cost a
// vector set-up and a partial step each time).
using WordVisitor = bool (*)(void* context, size_t at);
void for_each_either(std::string_view text, size_t from, std::string_view a, std::string_view b,
                     WordVisitor visit, void* context);
// The same with a given implementation, for tests that check they agree.
void for_each_either_with(ScanKind kind, std::string_view text, size_t from, std::string_view a,
                          std::string_view b, WordVisitor visit, void* context);
size_t find_either_with(ScanKind kind, std::string_view text, size_t from, std::string_view a,
                        std::string_view b);
// The implementation find_word() uses on this CPU.
ScanKind best_scan_kind();

// How many times `byte` occurs in text (newlines, for line numbers).
size_t count_byte(std::string_view text, char byte);

// True when text[at, at + word.size()) is word in any case. Compares four bytes at a time: on
// the 50% corpus the byte loop was 11% of the run time.
inline bool word_at(std::string_view text, size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  const char* p = text.data() + at;
  size_t i = 0;
  for (; i + 4 <= word.size(); i += 4) {
    uint32_t have = 0, want = 0;
    std::memcpy(&have, p + i, 4);
    std::memcpy(&want, word.data() + i, 4);
    if ((have | 0x20202020u) != want) return false;
  }
  for (; i < word.size(); ++i)
    if ((static_cast<unsigned char>(p[i]) | 0x20) != static_cast<unsigned char>(word[i]))
      return false;
  return true;
}

}  // namespace coinone
