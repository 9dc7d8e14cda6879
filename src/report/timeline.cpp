#include "coinone_annotate/report/timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace coinone {

namespace {

constexpr int64_t kWeek = 604800;
constexpr int64_t kYearOfWeeks = 52 * kWeek;

// Bucket widths a reader takes in at a glance; each divides the next coarser grain or is a
// multiple of it (see Timeline::coarsen), which keeps re-bucketing exact.
constexpr std::array<int64_t, 24> kNiceWidths{
    1,     2,     5,      10,    15,        30,        60,         120,
    300,   600,   900,    1800,  3600,      7200,      10800,      21600,
    43200, 86400, 172800, kWeek, 2 * kWeek, 4 * kWeek, 13 * kWeek, kYearOfWeeks};
// Grains the slots coarsen through; after the last, 52 weeks, then the grain grows tenfold.
constexpr std::array<int64_t, 5> kGrains{1, 60, 3600, 86400, kWeek};

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

TimelineScale choose_timeline_scale(int64_t first, int64_t last, int64_t grain,
                                    size_t max_buckets) {
  const auto buckets = [&](int64_t width) {
    return static_cast<size_t>(floor_div(last, width) - floor_div(first, width) + 1);
  };
  int64_t width = 0;
  for (const int64_t nice : kNiceWidths) {
    if (nice % grain == 0 && buckets(nice) <= max_buckets) {
      width = nice;
      break;
    }
  }
  if (width == 0) {  // beyond 40 years of 52 weeks: whole multiples of the grain or of 52w
    const int64_t base = std::max(grain, kYearOfWeeks);
    const int64_t span = last - first + 1;
    width = base * std::max<int64_t>(1, span / (base * static_cast<int64_t>(max_buckets - 1)));
    while (buckets(width) > max_buckets) width += base;
  }
  return {floor_div(first, width) * width, width, buckets(width)};
}

std::string format_duration(int64_t seconds) {
  static constexpr std::array<std::pair<int64_t, char>, 5> kUnits{
      {{kWeek, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};
  for (const auto& [unit, suffix] : kUnits)
    if (seconds >= unit && seconds % unit == 0) return fmt::format("{}{}", seconds / unit, suffix);
  return fmt::format("{}s", seconds);
}

void Timeline::add(int64_t time, uint32_t row) {
  if (cells_.empty()) first_ = last_ = time;
  first_ = std::min(first_, time);
  last_ = std::max(last_, time);
  ++cells_[Cell{floor_div(time, grain_) * grain_, row}];
  if (cells_.size() > kMaxCells) coarsen();
}

// Merges slots into the next grain until the cells fit again. Each grain divides every nice
// width at or above it, so a bucket never has to split a slot.
void Timeline::coarsen() {
  while (cells_.size() > kMaxCells) {
    const auto next = std::upper_bound(kGrains.begin(), kGrains.end(), grain_);
    grain_ = next != kGrains.end() ? *next : grain_ < kYearOfWeeks ? kYearOfWeeks : grain_ * 10;
    std::map<Cell, uint64_t> merged;
    for (const auto& [cell, count] : cells_)
      merged[Cell{floor_div(cell.slot, grain_) * grain_, cell.row}] += count;
    cells_ = std::move(merged);
  }
}

TimelineGrid Timeline::grid(size_t max_buckets, size_t rows) const {
  TimelineGrid grid;
  grid.scale = choose_timeline_scale(first_, last_, grain_, max_buckets);
  const TimelineScale& scale = grid.scale;
  grid.rows.assign(rows, std::vector<uint64_t>(scale.count, 0));
  for (const auto& [cell, count] : cells_) {
    const auto bucket = static_cast<size_t>((cell.slot - scale.start) / scale.width);
    grid.rows[cell.row][bucket] += count;
  }
  return grid;
}

}  // namespace coinone
