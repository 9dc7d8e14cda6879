#include "coinone_annotate/match/value_memo.h"

#include <bit>
#include <cstdlib>
#include <cstring>

namespace coinone {

ValueMemo::ValueMemo() = default;

void ValueMemo::Free::operator()(void* memory) const { std::free(memory); }

ValueMemo::Key ValueMemo::key_of(std::string_view run, size_t readable) {
  Key key;
  if (run.size() > kMaxRun) return key;    // no key
  if (readable >= 2 * sizeof(uint64_t)) {  // two plain loads, the bytes past the run masked off
    std::memcpy(&key.lo, run.data(), sizeof key.lo);
    std::memcpy(&key.hi, run.data() + sizeof key.lo, sizeof key.hi);
    if (run.size() < 8) key.lo &= (uint64_t{1} << (8 * run.size())) - 1;
    key.hi &= run.size() <= 8 ? 0 : (uint64_t{1} << (8 * (run.size() - 8))) - 1;
  } else {
    char bytes[2 * sizeof(uint64_t)] = {};
    std::memcpy(bytes, run.data(), run.size());
    std::memcpy(&key.lo, bytes, sizeof key.lo);
    std::memcpy(&key.hi, bytes + sizeof key.lo, sizeof key.hi);
  }
  // The top byte of hi is byte 15 (little-endian), which no run of kMaxRun bytes reaches.
  static_assert(std::endian::native == std::endian::little && kMaxRun < 16);
  key.hi |= static_cast<uint64_t>(run.size() + 1) << 56;
  return key;
}

// Multiply-xor of the two words; the top bits of the product are the best mixed.
size_t ValueMemo::set_of(const Key& key) {
  const uint64_t h = ((key.lo * 0x9E3779B97F4A7C15ull) ^ key.hi) * 0x9E3779B97F4A7C15ull;
  return static_cast<size_t>(h >> 54) % kSets;  // 10 bits for 1024 sets
}

std::optional<int> ValueMemo::find(const Key& key) const {
  if (!key.valid() || sets_ == nullptr) return std::nullopt;
  const Set& set = sets_[set_of(key)];
  for (size_t way = 0; way < kWays; ++way)
    if (set.keys[way] == key) return set.answers[way];
  return std::nullopt;
}

void ValueMemo::remember(const Key& key, int answer) {
  if (!key.valid()) return;
  if (sets_ == nullptr) {
    // calloc: large zeroed blocks come straight from the kernel, untouched until used. All
    // zeros is a set of unused slots (Set is an implicit-lifetime aggregate).
    memory_.reset(std::calloc(kSets + 1, sizeof(Set)));
    if (!memory_) return;  // no memory: RE2 answers every time
    const auto address = reinterpret_cast<uintptr_t>(memory_.get());
    sets_ = reinterpret_cast<Set*>((address + alignof(Set) - 1) / alignof(Set) * alignof(Set));
  }
  Set& set = sets_[set_of(key)];
  for (size_t way = kWays - 1; way > 0; --way) {
    set.keys[way] = set.keys[way - 1];
    set.answers[way] = set.answers[way - 1];
  }
  set.keys[0] = key;
  set.answers[0] = static_cast<int8_t>(answer);
}

}  // namespace coinone
