#include "coinone_annotate/match/value_memo.h"

#include <cstdlib>
#include <cstring>

namespace coinone {

ValueMemo::ValueMemo() = default;

void ValueMemo::Free::operator()(Set* sets) const { std::free(sets); }

ValueMemo::Key ValueMemo::pack(std::string_view run) {
  Key key;
  char bytes[sizeof key.words] = {};
  std::memcpy(bytes, run.data(), run.size());
  bytes[sizeof bytes - 1] = static_cast<char>(run.size());
  std::memcpy(key.words.data(), bytes, sizeof bytes);
  return key;
}

// Multiply-xor of the four words; the top bits of the product are the best mixed.
size_t ValueMemo::set_of(const Key& key) {
  uint64_t h = 0;
  for (const uint64_t word : key.words) h = (h ^ word) * 0x9E3779B97F4A7C15ull;
  return static_cast<size_t>(h >> 53) % kSets;  // 11 bits for 2048 sets
}

std::optional<int> ValueMemo::find(std::string_view run) const {
  if (run.size() > kMaxRun) return std::nullopt;
  if (!sets_) return std::nullopt;
  const Key key = pack(run);
  const Set& set = sets_[set_of(key)];
  for (const Slot* slot : {&set.recent, &set.older})
    if (slot->used && slot->key.words == key.words) return slot->answer;
  return std::nullopt;
}

void ValueMemo::remember(std::string_view run, int answer) {
  if (run.size() > kMaxRun) return;
  if (!sets_) {
    // calloc: large zeroed blocks come straight from the kernel, untouched until used. All
    // zeros is a set of two unused slots (Set is an implicit-lifetime aggregate).
    sets_.reset(static_cast<Set*>(std::calloc(kSets, sizeof(Set))));
    if (!sets_) return;  // no memory: RE2 answers every time
  }
  const Key key = pack(run);
  Set& set = sets_[set_of(key)];
  set.older = set.recent;
  set.recent = Slot{key, answer, true};
}

}  // namespace coinone
