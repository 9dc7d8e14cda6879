// Timeline: counts of annotated lines per time slot and row, for the summary's sparklines.
//
// The final span is unknown while lines stream in, so slots start at one second and are
// re-bucketed when the report is rendered (grid()). When more than kMaxCells cells exist, slots
// coarsen to a minute, an hour, a day, a week, then 52 weeks and tenfold from there; each grain
// divides every wider bucket width, so the rendered buckets stay exact. At most ~100k map nodes
// (~7 MB), whatever the log size.
//
// Rows are the caller's: the summary uses row 0 for all annotated lines and 1 + i for category i.
//
// Not thread-safe; a copyable value.
#pragma once
#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace coinone {

// How the timeline is cut: `count` buckets of `width` seconds from `start` (a multiple of
// `width`, so bucket edges fall on round times in UTC).
struct TimelineScale {
  int64_t start = 0;
  int64_t width = 1;
  size_t count = 1;
};

// The narrowest "nice" width (1s 2s 5s 10s 15s 30s 1m 2m 5m 10m 15m 30m 1h 2h 3h 6h 12h 1d 2d
// 1w 2w 4w 13w 52w, then multiples of 52w) that is a multiple of `grain` and cuts first..last
// (inclusive) into at most `max_buckets` aligned buckets. Requires first <= last, grain >= 1
// dividing 604800 or a multiple of it, max_buckets >= 2.
TimelineScale choose_timeline_scale(int64_t first, int64_t last, int64_t grain, size_t max_buckets);

// "1s", "15m", "6h", "1d", "2w": a bucket width as printed. Widths that are not a whole number
// of the largest fitting unit fall back to a smaller one ("90m" rather than "1.5h").
std::string format_duration(int64_t seconds);

// The rendered form: the scale and, per row, the count in each bucket.
struct TimelineGrid {
  TimelineScale scale;
  std::vector<std::vector<uint64_t>> rows;  // [row][bucket]
};

class Timeline {
 public:
  // Cells kept before the slots coarsen.
  static constexpr size_t kMaxCells = 100'000;

  // One line at `time` (seconds since the epoch, UTC) in `row`.
  void add(int64_t time, uint32_t row);
  bool empty() const { return cells_.empty(); }
  // Cuts the span into at most `max_buckets` buckets (choose_timeline_scale) and sums each row's
  // cells into them; `rows` rows in all (rows never added stay zero). Requires !empty().
  TimelineGrid grid(size_t max_buckets, size_t rows) const;

 private:
  struct Cell {
    int64_t slot;  // start second, a multiple of grain_
    uint32_t row;
    auto operator<=>(const Cell&) const = default;
  };
  void coarsen();

  std::map<Cell, uint64_t> cells_;
  int64_t grain_ = 1;
  int64_t first_ = 0, last_ = 0;  // over every time added, valid when !empty()
};

}  // namespace coinone
