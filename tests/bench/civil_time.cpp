// Civil time for the corpus timestamps: civil_from_ms(), the inverse of days_from_civil() (see
// civil_time.h).
#include "civil_time.h"

namespace corpus {

CivilTime civil_from_ms(int64_t ms) {
  const int64_t days = ms / 86400000;
  const auto in_day = static_cast<unsigned>(ms % 86400000);
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  CivilTime t{};
  t.year = static_cast<unsigned>(y + (m <= 2 ? 1 : 0));
  t.month = m;
  t.day = d;
  t.hour = in_day / 3600000;
  t.minute = in_day / 60000 % 60;
  t.second = in_day / 1000 % 60;
  t.millis = in_day % 1000;
  return t;
}

}  // namespace corpus
