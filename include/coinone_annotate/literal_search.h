// Case-insensitive search for a short ASCII word, with vector scans.
//
// The scan compares the word's first and last bytes at every offset, 32 at a time with AVX2 or
// 16 with SSE2 (chosen once at start-up from the CPU, so the binary runs on any x86-64), and
// checks the bytes between only where both agree. ASCII letters compare case-insensitively after
// OR-ing 0x20, which maps no other byte onto a letter.
//
// Pure functions over byte spans; thread-safe.
#pragma once
#include <cstddef>
#include <string_view>

namespace coinone {

enum class ScanKind { kScalar, kSse2, kAvx2 };

// Offset of the first occurrence of `word` (lower-case ASCII letters, 2 to 32 bytes) in text at
// or after `from`, in any case; npos if none.
size_t find_word(std::string_view text, size_t from, std::string_view word);
// The same with a given implementation, for tests that check they agree.
size_t find_word_with(ScanKind kind, std::string_view text, size_t from, std::string_view word);
// The implementation find_word() uses on this CPU.
ScanKind best_scan_kind();

// True when text[at, at + word.size()) is word in any case.
inline bool word_at(std::string_view text, size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if ((static_cast<unsigned char>(text[at + i]) | 0x20) != static_cast<unsigned char>(word[i]))
      return false;
  return true;
}

}  // namespace coinone
