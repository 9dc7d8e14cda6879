// ExchangeIds: the exchange ids of ccxt, by which a line of another exchange is recognised.
//
// The list is data/ccxt-exchanges.txt (taken from a named ccxt release, see its header),
// compiled into the binary as the code table is: one id a line, lower-case [a-z0-9], and an
// optional TAB-separated mark `word` for ids that are ordinary words (delta, gate, woo), which
// exchange_evidence.h trusts only in stronger contexts. '#' starts a comment line.
//
// `coinone` is in ccxt's list but is never returned by find(): it is Coinone evidence, not
// another exchange. Immutable after construction; lookups are thread-safe.
#pragma once
#include <bitset>
#include <cstddef>
#include <string_view>
#include <vector>

namespace coinone {

struct ExchangeId {
  std::string_view id;
  bool word = false;  // an ordinary word: counts only at the start of a message
};

class ExchangeIds {
 public:
  // The longest id kept (ccxt's longest, coinbaseinternational, has 21 bytes).
  static constexpr size_t kMaxLength = 32;

  // Parses the list; lines that are not a valid id are skipped (the built-in text is checked
  // by the tests). The text must outlive the object.
  explicit ExchangeIds(std::string_view text);

  // The entry of an id given in lower case, or null (also for "coinone").
  const ExchangeId* find(std::string_view lower_id) const;
  // False when no id has this first and last byte (lower case) and length: most words of a
  // line end here, before find() copies and compares them.
  bool may_hold(char first, char last, size_t length) const {
    return sketch_[sketch_bit(first, last, length)];
  }
  size_t size() const { return ids_.size(); }

 private:
  static constexpr size_t kSketchBits = 4096;
  static size_t sketch_bit(char first, char last, size_t length) {
    return (static_cast<unsigned char>(first) * 131u + static_cast<unsigned char>(last) * 31u +
            length) %
           kSketchBits;
  }

  std::vector<ExchangeId> ids_;  // sorted by id, for binary search
  std::bitset<kSketchBits> sketch_;
};

// The compiled-in list (data/ccxt-exchanges.txt).
const ExchangeIds& builtin_exchange_ids();
std::string_view builtin_exchange_ids_text();

}  // namespace coinone
