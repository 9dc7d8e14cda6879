#include "coinone_annotate/match/exchange_ids.h"

#include <algorithm>

namespace coinone {

namespace {

bool is_id(std::string_view id) {
  if (id.size() < 2 || id.size() > ExchangeIds::kMaxLength) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

}  // namespace

ExchangeIds::ExchangeIds(std::string_view text) {
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.empty() || line.front() == '#') continue;
    const size_t tab = line.find('\t');
    const std::string_view id = line.substr(0, tab);
    if (!is_id(id) || id == "coinone") continue;
    ids_.push_back({id, tab != std::string_view::npos && line.substr(tab + 1) == "word"});
  }
  for (const ExchangeId& entry : ids_)
    sketch_.set(sketch_bit(entry.id.front(), entry.id.back(), entry.id.size()));
  std::sort(ids_.begin(), ids_.end(),
            [](const ExchangeId& a, const ExchangeId& b) { return a.id < b.id; });
}

const ExchangeId* ExchangeIds::find(std::string_view lower_id) const {
  const auto it =
      std::lower_bound(ids_.begin(), ids_.end(), lower_id,
                       [](const ExchangeId& entry, std::string_view id) { return entry.id < id; });
  return it != ids_.end() && it->id == lower_id ? &*it : nullptr;
}

const ExchangeIds& builtin_exchange_ids() {
  static const ExchangeIds kIds(builtin_exchange_ids_text());
  return kIds;
}

}  // namespace coinone
