#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>

#include "coinone_annotate/report/timeline.h"

using namespace coinone;

namespace {
constexpr int64_t kNineFifteen = 1795166102;  // 2026-11-20 09:15:02 UTC (calendar.timegm)
}  // namespace

TEST_SUITE("timeline") {
  TEST_CASE("timeline scale for spans of seconds, hours and days") {
    const struct {
      const char* what;
      int64_t first, last, grain, width;
      size_t count;
    } cases[] = {
        {"one instant", kNineFifteen, kNineFifteen, 1, 1, 1},
        {"30 seconds", kNineFifteen, kNineFifteen + 30, 1, 1, 31},
        {"39 seconds", kNineFifteen, kNineFifteen + 39, 1, 1, 40},
        {"40 seconds need 2s", kNineFifteen, kNineFifteen + 40, 1, 2, 21},
        {"3 minutes", kNineFifteen, kNineFifteen + 180, 1, 5, 37},
        {"15 minutes", kNineFifteen, kNineFifteen + 900, 1, 30, 31},
        {"2 hours", kNineFifteen, kNineFifteen + 7200, 1, 300, 25},
        {"8 hours", kNineFifteen, kNineFifteen + 8 * 3600, 1, 900, 33},
        {"1 day", kNineFifteen, kNineFifteen + 86400, 1, 3600, 25},
        {"3 days", kNineFifteen, kNineFifteen + 3 * 86400, 1, 7200, 37},
        {"12 days", kNineFifteen, kNineFifteen + 12 * 86400, 1, 43200, 25},
        {"60 days", kNineFifteen, kNineFifteen + 60 * 86400, 1, 172800, 31},
        {"1 year", kNineFifteen, kNineFifteen + 365 * 86400, 1, 2 * 604800, 27},
        {"30 s at minute grain", kNineFifteen, kNineFifteen + 30, 60, 60, 1},
        {"3 days at hour grain", kNineFifteen, kNineFifteen + 3 * 86400, 3600, 7200, 37},
        {"10 days at day grain", kNineFifteen, kNineFifteen + 10 * 86400, 86400, 86400, 11},
        {"before 1970", -100, 100, 1, 10, 21},
    };
    for (const auto& c : cases) {
      CAPTURE(c.what);
      const TimelineScale scale = choose_timeline_scale(c.first, c.last, c.grain, 40);
      CHECK(scale.width == c.width);
      CHECK(scale.count == c.count);
      CHECK(scale.start % scale.width == 0);
      CHECK(scale.start <= c.first);
      CHECK(c.last < scale.start + static_cast<int64_t>(scale.count) * scale.width);
    }
    // Centuries: beyond the nice widths, whole multiples of 52 weeks, still at most 40 buckets.
    const TimelineScale wide = choose_timeline_scale(0, 200LL * 365 * 86400, 1, 40);
    CHECK(wide.width % (52 * 604800) == 0);
    CHECK(wide.count <= 40);
  }

  TEST_CASE("coarsening keeps every count and each row apart") {
    Timeline timeline;
    // 60,001 seconds in two rows: 120,002 one-second cells, past kMaxCells.
    for (int64_t i = 0; i <= 60'000; ++i) {
      timeline.add(kNineFifteen + i, 0);
      if (i % 2 == 0) timeline.add(kNineFifteen + i, 1);
    }
    const TimelineGrid grid = timeline.grid(40, 3);
    REQUIRE(grid.rows.size() == 3);
    const auto sum = [](const std::vector<uint64_t>& row) {
      return std::accumulate(row.begin(), row.end(), uint64_t{0});
    };
    CHECK(sum(grid.rows[0]) == 60'001);
    CHECK(sum(grid.rows[1]) == 30'001);
    CHECK(sum(grid.rows[2]) == 0);
    CHECK(grid.scale.count <= 40);
    CHECK(grid.scale.width % 60 == 0);  // coarsened to the minute grain at least
  }
}
