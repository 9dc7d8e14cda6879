// Civil time for the corpus timestamps: a millisecond clock (milliseconds since 1970-01-01 UTC)
// to and from year, month, day and time of day, with Howard Hinnant's days <-> civil algorithms
// (proleptic Gregorian calendar, no time zones, no leap seconds).
#pragma once
#include <cstdint>
#include <string_view>

namespace corpus {

using namespace std::string_view_literals;

struct CivilTime {
  unsigned year, month, day, hour, minute, second, millis;
};

// Days since 1970-01-01 of the civil date y-m-d.
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The civil time of `ms` milliseconds since 1970-01-01 (ms >= 0).
CivilTime civil_from_ms(int64_t ms);

// English month abbreviations, as the access log prints them.
inline constexpr std::string_view kMonthAbbr[] = {"Jan"sv, "Feb"sv, "Mar"sv, "Apr"sv,
                                                  "May"sv, "Jun"sv, "Jul"sv, "Aug"sv,
                                                  "Sep"sv, "Oct"sv, "Nov"sv, "Dec"sv};

}  // namespace corpus
