// The byte classes of the field grammar (field_extractor.h), as 256-entry tables.
//
// The extractor and the prefilter test every byte of a field's separator and value against
// these classes; a table look-up is one load where the chains of comparisons were up to eight
// instructions and a branch each (on the short-line corpus the walks over values were a tenth
// of all instructions).
#pragma once
#include <array>
#include <cstdint>

namespace coinone::byte_class {

enum : uint8_t {
  kToken = 1,      // [A-Za-z0-9_]: a value token
  kSkip = 2,       // [\\"' \t]: skipped around a separator
  kSeparator = 4,  // [\\"' \t=>:]: any byte of a separator run (value_memo.h)
  kDigit = 8,      // [0-9]
};

constexpr std::array<uint8_t, 256> make_table() {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    uint8_t bits = 0;
    const bool digit = c >= '0' && c <= '9';
    if (digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') bits |= kToken;
    if (c == '\\' || c == '"' || c == '\'' || c == ' ' || c == '\t') bits |= kSkip | kSeparator;
    if (c == '=' || c == '>' || c == ':') bits |= kSeparator;
    if (digit) bits |= kDigit;
    table[static_cast<size_t>(c)] = bits;
  }
  return table;
}

inline constexpr std::array<uint8_t, 256> kTable = make_table();

inline bool is(char c, uint8_t classes) {
  return (kTable[static_cast<unsigned char>(c)] & classes) != 0;
}

}  // namespace coinone::byte_class
