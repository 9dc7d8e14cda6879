// Shared by the metrics, Prometheus text and metrics server tests: sample labels, times and
// lookups in snapshots and rendered text.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coinone_annotate/report/metrics.h"

namespace coinone::test {

using Clock = std::chrono::system_clock;

inline Clock::time_point at_ms(int64_t ms) {
  return Clock::time_point(std::chrono::milliseconds(ms));
}

inline std::vector<CodeLabel> sample_labels() {
  return {{"103", "Order / Balance"}, {"104", "Order / Balance"}, {"4", "Access & Auth"}};
}

inline uint64_t count_of(const std::vector<MetricsSnapshot::Count>& counts, std::string_view code,
                         std::string_view category = {}) {
  for (const auto& c : counts) {
    if (c.code == code && (category.empty() || c.category == category)) return c.value;
  }
  return 999999;  // absent
}

inline bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

}  // namespace coinone::test
