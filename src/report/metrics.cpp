#include "coinone_annotate/report/metrics.h"

#include <fmt/format.h>
#include <time.h>

#include <functional>
#include <unordered_map>

namespace coinone {

// One label list and its counters. Fixed at construction: set_labels() installs a new one rather
// than resizing, so a recorder never sees a vector being reallocated.
//
// Categories have no atomics of their own: a category's count is worked out when read, as the
// sum of its codes plus a base kept across reloads. That spares the hot path one `lock add` per
// code (15 to 19 ns each on the test VM).
struct Metrics::LabelSet {
  explicit LabelSet(std::vector<CodeLabel> code_labels)
      : labels(std::move(code_labels)), category_of(labels.size()), per_code(labels.size()) {
    code_index.reserve(labels.size());
    for (size_t i = 0; i < labels.size(); ++i) {
      const auto index = static_cast<uint32_t>(i);
      auto [it, added] =
          category_index.try_emplace(labels[i].category, static_cast<uint32_t>(categories.size()));
      if (added) categories.push_back(labels[i].category);
      category_of[i] = it->second;
      code_index.try_emplace(labels[i].code, index);
    }
    category_base.resize(categories.size());
  }

  // Per category: base + the current counts of its codes. Only under labels_mutex_.
  std::vector<uint64_t> category_totals() const {
    std::vector<uint64_t> totals = category_base;
    for (size_t i = 0; i < per_code.size(); ++i) {
      totals[category_of[i]] += per_code[i].load(std::memory_order_relaxed);
    }
    return totals;
  }

  std::vector<CodeLabel> labels;
  std::vector<std::string> categories;  // distinct, in order of first appearance
  std::vector<uint32_t> category_of;    // per code: index into categories
  std::vector<std::atomic<uint64_t>> per_code;
  // Counts a category had before the last set_labels() that its present codes do not carry:
  // those of codes removed or moved away. Only under labels_mutex_.
  std::vector<uint64_t> category_base;
  // Code and category name to index; the views point into `labels`, which never changes.
  std::unordered_map<std::string_view, uint32_t> code_index;
  std::unordered_map<std::string_view, uint32_t> category_index;
};

std::vector<CodeLabel> code_labels(const CodeTable& table) {
  std::vector<CodeLabel> labels;
  labels.reserve(table.entries().size());
  for (const CodeEntry& entry : table.entries()) {
    labels.push_back(
        {fmt::to_string(entry.code), entry.category, std::string(advice_name(entry.advice))});
  }
  return labels;
}

Metrics::Metrics(std::vector<CodeLabel> labels) : counters_(prepare_labels(std::move(labels))) {}

Metrics::~Metrics() = default;

// CLOCK_REALTIME_COARSE: about 10 ns against 65 to 105 ns for system_clock::now() on the test VM
// (kvm-clock), at a resolution of 4 ms, plenty for a "last line seen" gauge.
void Metrics::add_read(uint64_t bytes, uint64_t lines) {
#ifdef CLOCK_REALTIME_COARSE
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &now);
  add_read(bytes, lines,
           std::chrono::system_clock::time_point(
               std::chrono::duration_cast<std::chrono::system_clock::duration>(
                   std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec))));
#else
  add_read(bytes, lines, std::chrono::system_clock::now());
#endif
}

void Metrics::add_read(uint64_t bytes, uint64_t lines, std::chrono::system_clock::time_point now) {
  bytes_read_.fetch_add(bytes, std::memory_order_relaxed);
  lines_read_.fetch_add(lines, std::memory_order_relaxed);
  if (bytes == 0) return;  // an empty read is not a sign of life of the input
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  last_line_time_ms_.store(static_cast<int64_t>(ms.count()), std::memory_order_relaxed);
}

void Metrics::count_known(LabelSet& counters, uint32_t index) {
  if (index >= counters.per_code.size()) return;
  counters.per_code[index].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_unknown(std::string_view code) {
  unknown_codes_.fetch_add(1, std::memory_order_relaxed);
  if (code.size() > kMaxTrackedUnknownLength) return;
  std::lock_guard lock(unknown_mutex_);
  if (auto it = unknown_by_code_.find(code); it != unknown_by_code_.end()) {
    ++it->second;
  } else if (unknown_by_code_.size() < kMaxTrackedUnknown) {
    unknown_by_code_.emplace(std::string(code), 1);
  }
}

void Metrics::record_annotation(std::span<const uint32_t> known,
                                std::span<const std::string_view> unknown) {
  annotated_lines_.fetch_add(1, std::memory_order_relaxed);
  LabelSet& counters = *counters_;
  for (uint32_t index : known) count_known(counters, index);
  for (std::string_view code : unknown) count_unknown(code);
}

void Metrics::record_annotation(const Verdict& verdict, const CodeTable& table) {
  annotated_lines_.fetch_add(1, std::memory_order_relaxed);
  LabelSet& counters = *counters_;
  const CodeEntry* first = table.entries().data();
  const CodeEntry* last = first + table.entries().size();
  for (const ShownCode& shown : verdict.shown) {
    if (shown.entry == nullptr) {
      count_unknown(shown.digits);
    } else if (std::less_equal<>()(first, shown.entry) && std::less<>()(shown.entry, last)) {
      count_known(counters, static_cast<uint32_t>(shown.entry - first));
    }
    // else: an entry of another table; it has no index here, and counting it as unknown would
    // be wrong, so only the line total counts it.
  }
}

std::shared_ptr<Metrics::LabelSet> Metrics::prepare_labels(std::vector<CodeLabel> labels) {
  return std::make_shared<LabelSet>(std::move(labels));
}

// Codes keep their counts by code string. A category keeps its total by name, plus the counts of
// codes that moved in: its base becomes its old total minus the counts of the codes that stay in
// it. So no count ever goes down, and a code's count moves with it. Codes and categories without
// a count have nothing to carry over, which keeps this to one pass over the old counters.
std::shared_ptr<Metrics::LabelSet> Metrics::set_labels(std::shared_ptr<LabelSet> labels) {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  LabelSet& fresh = *labels;
  std::lock_guard lock(labels_mutex_);
  const LabelSet& old = *counters_;
  std::vector<uint64_t> stayed(fresh.categories.size());
  for (size_t i = 0; i < old.labels.size(); ++i) {
    const uint64_t count = old.per_code[i].load(kRelaxed);
    if (count == 0) continue;
    const auto it = fresh.code_index.find(old.labels[i].code);
    if (it == fresh.code_index.end()) continue;
    fresh.per_code[it->second].store(count, kRelaxed);
    if (fresh.labels[it->second].category == old.labels[i].category) {
      stayed[fresh.category_of[it->second]] += count;
    }
  }
  const std::vector<uint64_t> old_totals = old.category_totals();
  for (size_t i = 0; i < old.categories.size(); ++i) {
    if (old_totals[i] == 0) continue;
    const auto it = fresh.category_index.find(old.categories[i]);
    if (it != fresh.category_index.end()) {
      fresh.category_base[it->second] = old_totals[i] - stayed[it->second];
    }
  }
  counters_.swap(labels);
  return labels;  // the old list
}

void Metrics::set_health(bool healthy, std::string reason) {
  std::lock_guard lock(health_mutex_);
  health_reason_ = healthy ? std::string() : std::move(reason);
  healthy_.store(healthy, std::memory_order_relaxed);
}

std::string Metrics::health_reason() const {
  std::lock_guard lock(health_mutex_);
  return health_reason_;
}

void Metrics::set_follow_files(std::vector<MetricsSnapshot::Count> counts) {
  const std::lock_guard lock(health_mutex_);
  follow_files_ = std::move(counts);
}

MetricsSnapshot Metrics::snapshot() const {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  MetricsSnapshot s;
  s.lines_read = lines_read_.load(kRelaxed);
  s.bytes_read = bytes_read_.load(kRelaxed);
  s.annotated_lines = annotated_lines_.load(kRelaxed);
  s.unknown_codes = unknown_codes_.load(kRelaxed);
  s.read_errors = read_errors_.load(kRelaxed);
  s.write_errors = write_errors_.load(kRelaxed);
  s.table_reloads = table_reloads_.load(kRelaxed);
  s.table_reload_failures = table_reload_failures_.load(kRelaxed);
  s.rotated_files_lost = rotated_files_lost_.load(kRelaxed);
  s.truncations = truncations_.load(kRelaxed);
  s.last_line_time_ms = last_line_time_ms_.load(kRelaxed);
  s.healthy = healthy_.load(kRelaxed);
  {
    std::lock_guard lock(labels_mutex_);
    const LabelSet& c = *counters_;
    for (size_t i = 0; i < c.labels.size(); ++i) {
      const uint64_t value = c.per_code[i].load(kRelaxed);
      if (value == 0) continue;
      s.codes.push_back({c.labels[i].code, c.labels[i].category, value, {}, c.labels[i].advice});
    }
    const std::vector<uint64_t> totals = c.category_totals();
    for (size_t i = 0; i < c.categories.size(); ++i) {
      if (totals[i] != 0) s.categories.push_back({{}, c.categories[i], totals[i]});
    }
  }
  std::lock_guard lock(unknown_mutex_);
  for (const auto& [code, count] : unknown_by_code_) s.unknown.push_back({code, {}, count});
  {
    const std::lock_guard files_lock(health_mutex_);
    s.follow_files = follow_files_;
  }
  return s;
}

}  // namespace coinone
