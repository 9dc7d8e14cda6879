#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "coinone_annotate/report/time_zone.h"
#include "coinone_annotate/report/timestamp.h"

using namespace coinone;

namespace {

// Epoch values from Python's calendar.timegm (wall clocks read as UTC) and zoneinfo (fold=0),
// not from the code under test.
constexpr int64_t kWallSeoul = 1795166102;    // 2026-11-20 09:15:02
constexpr int64_t kUtcSeoul = 1795133702;     // the same in Asia/Seoul: 00:15:02Z
constexpr int64_t kWallSkipped = 1772937000;  // 2026-03-08 02:30, skipped in New York
constexpr int64_t kUtcSkipped = 1772955000;   // read at -05:00: 07:30Z
constexpr int64_t kWallTwice = 1793496600;    // 2026-11-01 01:30, twice in New York
constexpr int64_t kUtcTwice = 1793511000;     // the earlier, at -04:00: 05:30Z
constexpr int64_t kWallAfter = 1793502000;    // 2026-11-01 03:00 in New York
constexpr int64_t kUtcAfter = 1793520000;     // at -05:00: 08:00Z
constexpr int64_t kWallSummer = 1782892800;   // 2026-07-01 08:00 in New York
constexpr int64_t kUtcSummer = 1782907200;    // at -04:00: 12:00Z

TimeZone zone(std::string_view name) {
  std::string error;
  const auto found = TimeZone::locate(name, error);
  INFO(name << ": " << error);
  REQUIRE(found.has_value());
  return *found;
}

// Runs `body` with TZ set to `value` (unset when null), then puts TZ back.
template <typename Body>
void with_tz(const char* value, Body body) {
  const char* old = std::getenv("TZ");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  if (value)
    ::setenv("TZ", value, 1);
  else
    ::unsetenv("TZ");
  body();
  if (saved)
    ::setenv("TZ", saved->c_str(), 1);
  else
    ::unsetenv("TZ");
}

}  // namespace

TEST_SUITE("time_zone") {
  TEST_CASE("wall clock to UTC, around summer time") {
    const struct {
      std::string_view zone;
      int64_t wall, utc;
    } cases[] = {
        {"Asia/Seoul", kWallSeoul, kUtcSeoul},
        {"America/New_York", kWallSummer, kUtcSummer},
        {"America/New_York", kWallSkipped, kUtcSkipped},  // skipped: the offset before
        {"America/New_York", kWallTwice, kUtcTwice},      // twice: the earlier
        {"America/New_York", kWallAfter, kUtcAfter},
        {"UTC", kWallSeoul, kWallSeoul},
        {"Etc/UTC", kWallSeoul, kWallSeoul},
    };
    for (const auto& c : cases) {
      CAPTURE(c.zone);
      CAPTURE(c.wall);
      CHECK(zone(c.zone).to_utc(c.wall) == c.utc);
    }
  }

  TEST_CASE("offsets at UTC instants") {
    CHECK(zone("Asia/Seoul").offset_at(kUtcSeoul) == 9 * 3600);
    const TimeZone new_york = zone("America/New_York");
    CHECK(new_york.offset_at(kUtcSummer) == -4 * 3600);
    CHECK(new_york.offset_at(kUtcAfter) == -5 * 3600);
    CHECK(new_york.offset_at(kUtcTwice) == -4 * 3600);
    CHECK(new_york.offset_at(kUtcSummer) == -4 * 3600);  // back again, past the cache
    CHECK(zone("Asia/Kolkata").offset_at(kUtcSeoul) == 5 * 3600 + 1800);
    CHECK(TimeZone().offset_at(kUtcSeoul) == 0);
    CHECK(TimeZone().name() == "UTC");
  }

  // The cache must never change an answer: every 10 minutes through two years with transitions
  // (Samoa skipped 2011-12-30 whole; Lord Howe shifts by half an hour), walked forwards and
  // backwards through one TimeZone, each compared with a fresh copy that has no cache.
  TEST_CASE("the cached span gives the library's answer") {
    for (const std::string_view name :
         {"America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Apia"}) {
      CAPTURE(name);
      const TimeZone pristine = zone(name);
      TimeZone warm = pristine;
      for (const int64_t year_start : {int64_t{1293840000}, int64_t{1767225600}}) {  // 2011, 2026
        int mismatches = 0;
        for (int64_t wall = year_start; wall < year_start + 366 * 86400; wall += 600) {
          TimeZone fresh = pristine;
          if (warm.to_utc(wall) != fresh.to_utc(wall) && ++mismatches <= 3) CHECK(wall == -1);
        }
        for (int64_t wall = year_start + 366 * 86400; wall > year_start; wall -= 599) {
          TimeZone fresh = pristine;
          if (warm.to_utc(wall) != fresh.to_utc(wall) && ++mismatches <= 3) CHECK(wall == -1);
        }
        CHECK(mismatches == 0);
      }
    }
  }

  TEST_CASE("far from any transition") {
    const TimeZone new_york = zone("America/New_York");
    // Year 9999, the largest a timestamp can write; the database's rules end long before.
    CHECK(new_york.to_utc(253402300799) - 253402300799 >= 4 * 3600);
    CHECK(new_york.to_utc(-62135596800) - -62135596800 > 0);  // year 1, local mean time
  }

  TEST_CASE("unknown names") {
    for (const std::string_view name : {"Nope/Zone", "", "../../etc/passwd", "asia/seoul"}) {
      CAPTURE(name);
      std::string error;
      CHECK_FALSE(TimeZone::locate(name, error).has_value());
      CHECK(error == "unknown time zone (not in /usr/share/zoneinfo)");
    }
  }

  TEST_CASE("the machine's zone: TZ, else /etc/localtime") {
    const struct {
      const char* tz;
      std::string_view name;
      bool noted;
    } cases[] = {
        {"Asia/Seoul", "Asia/Seoul", false},
        {":Asia/Tokyo", "Asia/Tokyo", false},
        {"/usr/share/zoneinfo/Europe/Paris", "Europe/Paris", false},
        {"", "UTC", false},
        {"UTC", "UTC", false},
        {"KST-9", "UTC", true},  // a POSIX rule, not a name: read as UTC, with a warning
        {"Nope/Zone", "UTC", true},
    };
    for (const auto& c : cases) {
      CAPTURE(c.tz);
      with_tz(c.tz, [&] {
        std::string note;
        CHECK(TimeZone::local(note).name() == c.name);
        CHECK(note.empty() != c.noted);
        if (c.noted) CHECK(note.find("times without a zone are read as UTC") != note.npos);
      });
    }
    with_tz(nullptr, [] {
      std::string note;
      const TimeZone local = TimeZone::local(note);
      CHECK(note.empty());  // this machine has /etc/localtime and its database
      CHECK_FALSE(local.name().empty());
    });
  }
}
