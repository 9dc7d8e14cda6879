#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "coinone_annotate/report/timestamp.h"

using namespace coinone;

namespace {

// Epoch values from Python's calendar.timegm, not from the code under test:
// 2026-11-20 09:15:02 UTC and the same wall time at +09:00 (00:15:02 UTC).
constexpr int64_t kNineFifteen = 1795166102;
constexpr int64_t kNineFifteenSeoul = 1795133702;

struct Case {
  std::string_view line;
  std::optional<int64_t> expected;
};

void check_cases(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    CAPTURE(c.line);
    CHECK(leading_timestamp(c.line, SyslogYear{2026}) == c.expected);
  }
}

}  // namespace

TEST_SUITE("timestamp") {
  TEST_CASE("ISO 8601 and Python logging") {
    check_cases({
        {"2026-11-20T09:15:02Z order failed", kNineFifteen},
        {"2026-11-20T09:15:02z", kNineFifteen},
        {"2026-11-20 09:15:02 INFO", kNineFifteen},
        {"2026-11-20t09:15:02", kNineFifteen},
        {"2026-11-20T09:15:02.114Z", kNineFifteen},
        {"2026-11-20T09:15:02.114+09:00", kNineFifteenSeoul},
        {"2026-11-20T09:15:02+0900", kNineFifteenSeoul},
        {"2026-11-20T09:15:02+09", kNineFifteenSeoul},
        {"2026-11-20T09:15:02-05:30", kNineFifteen + 5 * 3600 + 30 * 60},
        {"2026-11-20T09:15:02.123456789123456789123+00:00", kNineFifteen},
        {"2026-11-20 09:15:02,114 - bot - ERROR", kNineFifteen},
        {"2026-11-20 09:15:02,114-bot", kNineFifteen},  // a sign without digits is no zone
        {"2024-02-29 23:59:59", 1709251199},
        {"2000-01-01T00:00:00Z", 946684800},
        {"1969-12-31T23:59:59Z", -1},
    });
  }

  TEST_CASE("leading blanks and brackets") {
    check_cases({
        {"   2026-11-20T09:15:02Z", kNineFifteen},
        {"\t2026-11-20T09:15:02Z", kNineFifteen},
        {"[2026-11-20 09:15:02,114] ERROR", kNineFifteen},
        {"  [ 2026-11-20 09:15:02]", kNineFifteen},
        {"[Nov 20 09:15:02]", kNineFifteen},
    });
  }

  TEST_CASE("syslog takes the given year") {
    check_cases({
        {"Nov 20 09:15:02 host bot[12]: error", kNineFifteen},
        {"Jan  5 09:15:02 host bot", 1767604502},
        {"Jan 5 09:15:02 host bot", 1767604502},
        {"Jan 05 09:15:02.250 host", 1767604502},
    });
    CHECK(leading_timestamp("Feb 29 00:00:00 x", SyslogYear{2026}) == std::nullopt);
    CHECK(leading_timestamp("Feb 29 00:00:00 x", SyslogYear{2024}) ==
          std::optional<int64_t>(1709164800));
  }

  TEST_CASE("syslog without a year uses the current one") {
    const auto seen = leading_timestamp("Nov 20 09:15:02 host");
    REQUIRE(seen.has_value());
    // Some year from 2020 to 2100 on a machine with a sane clock; the day is what we gave.
    CHECK(*seen > 1577836800);
    CHECK(*seen < 4102444800);
    CHECK(format_timestamp(*seen, 0).substr(4) == "-11-20 09:15:02+00:00");
  }

  TEST_CASE("logfmt and JSON keys") {
    check_cases({
        {"time=2026-11-20T09:15:02Z level=error", kNineFifteen},
        {"ts=2026-11-20T09:15:02.114+09:00 msg=x", kNineFifteenSeoul},
        {"timestamp=2026-11-20T09:15:02Z", kNineFifteen},
        {"time=\"2026-11-20 09:15:02\" level=error", kNineFifteen},
        {"{\"ts\":\"2026-11-20T09:15:02Z\",\"level\":\"error\"}", kNineFifteen},
        {"{\"time\": \"2026-11-20T09:15:02.114+09:00\"}", kNineFifteenSeoul},
        {"{ \"timestamp\" : \"2026-11-20 09:15:02\" }", kNineFifteen},
        {"{\"ts\":1795166102,\"msg\":\"x\"}", kNineFifteen},
        {"{\"ts\": 1795166102.114}", kNineFifteen},
        {"{\"ts\":1795166102114}", kNineFifteen},
        {"{\"ts\":1795166102114123}", kNineFifteen},
        {"{\"ts\":1795166102114123456}", kNineFifteen},
    });
  }

  TEST_CASE("no timestamp gives nullopt") {
    check_cases({
        {"", std::nullopt},
        {"   ", std::nullopt},
        {"[", std::nullopt},
        {"ERROR order failed 2026-11-20T09:15:02Z", std::nullopt},  // not at the start
        {"2026-11-20", std::nullopt},
        {"2026-11-20 INFO", std::nullopt},
        {"2026-11-20T09:15", std::nullopt},
        {"2026-11-20T09:15:0", std::nullopt},
        {"2026-11-20X09:15:02", std::nullopt},
        {"2026/11/20 09:15:02", std::nullopt},
        {"26-11-20 09:15:02", std::nullopt},
        {"2026-13-20T09:15:02Z", std::nullopt},
        {"2026-00-20T09:15:02Z", std::nullopt},
        {"2026-02-30T09:15:02Z", std::nullopt},
        {"2026-11-31T09:15:02Z", std::nullopt},
        {"2026-11-20T24:00:00Z", std::nullopt},
        {"2026-11-20T09:60:00Z", std::nullopt},
        {"2026-11-20T09:15:61Z", std::nullopt},
        {"2026-11-20T09:15:02.Z", std::nullopt},
        {"2026-11-20T09:15:02+09:", std::nullopt},
        {"2026-11-20T09:15:02+24:00", std::nullopt},
        {"Nov 32 09:15:02", std::nullopt},
        {"Nov 20 9:15:02", std::nullopt},
        {"Nov20 09:15:02", std::nullopt},
        {"nov 20 09:15:02", std::nullopt},
        {"November 20 09:15:02", std::nullopt},
        {"Novel idea", std::nullopt},
        {"time=", std::nullopt},
        {"time=now", std::nullopt},
        {"{\"level\":\"error\",\"ts\":\"2026-11-20T09:15:02Z\"}", std::nullopt},
        {"{\"ts\":\"2026-11-20T09:15:02Z", std::nullopt},  // string not closed
        {"{\"ts\":\"yesterday\"}", std::nullopt},
        {"{\"ts\":null}", std::nullopt},
        {"{\"tsx\":\"2026-11-20T09:15:02Z\"}", std::nullopt},
    });
  }

  TEST_CASE("a leap second folds into the next minute") {
    CHECK(leading_timestamp("2016-12-31T23:59:60Z", SyslogYear{2026}) ==
          std::optional<int64_t>(1483228800));
  }

  TEST_CASE("format_timestamp: the wall clock at an offset, with the offset, never Z") {
    const struct {
      int64_t seconds;
      int offset;
      char separator;
      std::string_view text;
    } cases[] = {
        {0, 0, ' ', "1970-01-01 00:00:00+00:00"},
        {kNineFifteen, 0, ' ', "2026-11-20 09:15:02+00:00"},
        {kNineFifteenSeoul, 0, ' ', "2026-11-20 00:15:02+00:00"},
        {kNineFifteenSeoul, 9 * 3600, ' ', "2026-11-20 09:15:02+09:00"},
        {kNineFifteenSeoul, 9 * 3600, 'T', "2026-11-20T09:15:02+09:00"},
        {kNineFifteen, -(5 * 3600 + 30 * 60), 'T', "2026-11-20T03:45:02-05:30"},
        {kNineFifteen, 14 * 3600, ' ', "2026-11-20 23:15:02+14:00"},
        {kNineFifteen, 15 * 3600, ' ', "2026-11-21 00:15:02+15:00"},  // across midnight
        {1709251199, 0, ' ', "2024-02-29 23:59:59+00:00"},
        {946684800, -3600, ' ', "1999-12-31 23:00:00-01:00"},
        {-1, 0, ' ', "1969-12-31 23:59:59+00:00"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.seconds);
      CAPTURE(c.offset);
      CHECK(format_timestamp(c.seconds, c.offset, c.separator) == c.text);
    }
  }

  TEST_CASE("read_leading_time says whether the line gave a zone") {
    const struct {
      std::string_view line;
      int64_t seconds;
      bool zoned;
    } cases[] = {
        {"2026-11-20T09:15:02Z x", kNineFifteen, true},
        {"2026-11-20T09:15:02+09:00 x", kNineFifteenSeoul, true},
        {"2026-11-20T09:15:02+0000 x", kNineFifteen, true},
        {"2026-11-20 09:15:02,114 ERROR", kNineFifteen, false},
        {"2026-11-20 09:15:02,114-bot", kNineFifteen, false},
        {"Nov 20 09:15:02 host", kNineFifteen, false},
        {"time=\"2026-11-20 09:15:02\"", kNineFifteen, false},
        {"{\"ts\":\"2026-11-20T09:15:02\"}", kNineFifteen, false},
        {"{\"ts\":1795166102}", kNineFifteen, true},  // epoch seconds are UTC
    };
    for (const auto& c : cases) {
      CAPTURE(c.line);
      const auto time = read_leading_time(c.line, SyslogYear{2026});
      REQUIRE(time.has_value());
      CHECK(time->seconds == c.seconds);
      CHECK(time->zoned == c.zoned);
    }
    CHECK_FALSE(read_leading_time("no time").has_value());
  }

  TEST_CASE("a zone reads only the times that carry none") {
    std::string error;
    const auto seoul = TimeZone::locate("Asia/Seoul", error);
    INFO(error);
    REQUIRE(seoul.has_value());
    const struct {
      std::string_view line;
      std::optional<int64_t> expected;
    } cases[] = {
        {"2026-11-20 09:15:02,114 ERROR", kNineFifteenSeoul},  // Python, local time
        {"Nov 20 09:15:02 host bot", kNineFifteenSeoul},       // syslog, local time
        {"2026-11-20T09:15:02Z", kNineFifteen},                // UTC stays UTC
        {"2026-11-20T09:15:02-05:30", kNineFifteen + 5 * 3600 + 30 * 60},
        {"{\"ts\":1795166102}", kNineFifteen},
        {"no time", std::nullopt},
    };
    for (const auto& c : cases) {
      CAPTURE(c.line);
      CHECK(leading_timestamp(c.line, *seoul, SyslogYear{2026}) == c.expected);
      CHECK(leading_timestamp(c.line, TimeZone(), SyslogYear{2026}) ==
            leading_timestamp(c.line, SyslogYear{2026}));  // UTC: as before
    }
  }

  TEST_CASE("days_from_civil") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(1969, 12, 31) == -1);
  }
}
