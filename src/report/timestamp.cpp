#include "coinone_annotate/report/timestamp.h"

#include <fmt/format.h>

#include <array>
#include <ctime>

namespace coinone {

namespace {

constexpr int64_t kSecondsPerDay = 86400;

// A read position in the line. Every method either consumes what it looks for and says true, or
// leaves the position alone and says false, so the parsers below read like the grammar.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool eat(char c) {
    if (peek() != c || pos_ >= text_.size()) return false;
    ++pos_;
    return true;
  }
  bool eat(std::string_view literal) {
    if (!text_.substr(pos_).starts_with(literal)) return false;
    pos_ += literal.size();
    return true;
  }
  void skip_blanks() {
    while (peek() == ' ' || peek() == '\t') ++pos_;
  }
  // Exactly `count` decimal digits.
  bool digits(size_t count, int& out) {
    if (text_.size() - pos_ < count) return false;
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    out = value;
    return true;
  }
  // One or more digits, at most 19 (so the value fits); returns how many were read.
  size_t number(uint64_t& out) {
    size_t count = 0;
    uint64_t value = 0;
    while (count < 19 && peek() >= '0' && peek() <= '9') {
      value = value * 10 + static_cast<uint64_t>(peek() - '0');
      ++pos_;
      ++count;
    }
    out = value;
    return count;
  }
  void skip_digits() {
    while (peek() >= '0' && peek() <= '9') ++pos_;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

struct Civil {
  int64_t year;
  unsigned month, day;
};

// Howard Hinnant's civil_from_days (http://howardhinnant.github.io/date_algorithms.html).
Civil civil_from_days(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (month <= 2), month, day};
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

int current_utc_year() {
  const auto now = static_cast<int64_t>(std::time(nullptr));
  return static_cast<int>(civil_from_days(floor_div(now, kSecondsPerDay)).year);
}

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int offset_seconds = 0;  // east of UTC
  bool zoned = false;      // Z or an offset was given
};

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[static_cast<size_t>(month - 1)];
}

// Range checks; a second of 60 is a leap second and folds into the next minute.
std::optional<LeadingTime> to_epoch(const CivilTime& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in_month(t.year, t.month))
    return std::nullopt;
  if (t.hour > 23 || t.minute > 59 || t.second > 60) return std::nullopt;
  const int64_t days =
      days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
  return LeadingTime{
      days * kSecondsPerDay + t.hour * 3600 + t.minute * 60 + t.second - t.offset_seconds, t.zoned};
}

// HH:MM:SS with an optional fraction, which is dropped.
bool parse_clock(Cursor& c, CivilTime& t) {
  if (!c.digits(2, t.hour) || !c.eat(':') || !c.digits(2, t.minute) || !c.eat(':') ||
      !c.digits(2, t.second))
    return false;
  if (c.eat('.') || c.eat(',')) {
    uint64_t ignored = 0;
    if (c.number(ignored) == 0) return false;
    c.skip_digits();  // beyond 19 digits of fraction
  }
  return true;
}

// Z, +HH:MM, +HHMM or +HH. A sign not followed by two digits is not a zone (the time stays
// zoneless and the sign is left for whatever follows).
bool parse_zone(Cursor& c, CivilTime& t) {
  if (c.eat('Z') || c.eat('z')) {
    t.zoned = true;
    return true;
  }
  const char sign = c.peek();
  if (sign != '+' && sign != '-') return true;
  Cursor probe = c;
  probe.eat(sign);
  int hours = 0, minutes = 0;
  if (!probe.digits(2, hours)) return true;
  const bool colon = probe.eat(':');
  if (!probe.digits(2, minutes) && colon) return false;  // "+09:" is a broken zone
  if (hours > 23 || minutes > 59) return false;
  t.offset_seconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  t.zoned = true;
  c = probe;
  return true;
}

std::optional<LeadingTime> parse_iso(Cursor& c) {
  CivilTime t;
  if (!c.digits(4, t.year) || !c.eat('-') || !c.digits(2, t.month) || !c.eat('-') ||
      !c.digits(2, t.day))
    return std::nullopt;
  if (!c.eat('T') && !c.eat(' ') && !c.eat('t')) return std::nullopt;
  if (!parse_clock(c, t) || !parse_zone(c, t)) return std::nullopt;
  return to_epoch(t);
}

// "Nov 20 09:15:02" or "Nov  5 09:15:02" (syslog pads the day with a space).
std::optional<LeadingTime> parse_syslog(Cursor& c, std::optional<SyslogYear> year) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // Most lines without a timestamp start with a level or a word; one look at the first letter
  // rejects them before twelve month compares (80 ns -> 20 ns for "ERROR ...").
  if (std::string_view("JFMASOND").find(c.peek()) == std::string_view::npos) return std::nullopt;
  CivilTime t;
  for (size_t i = 0; i < kMonths.size() && t.month == 0; ++i)
    if (c.eat(kMonths[i])) t.month = static_cast<int>(i) + 1;
  if (t.month == 0 || !c.eat(' ')) return std::nullopt;
  const bool padded = c.eat(' ');
  if (!(padded ? c.digits(1, t.day) : c.digits(2, t.day) || c.digits(1, t.day)))
    return std::nullopt;
  if (!c.eat(' ') || !parse_clock(c, t)) return std::nullopt;
  // The clock is read only for syslog lines: one time() call per line then (~20 ns, vDSO).
  t.year = year ? year->value : current_utc_year();
  return to_epoch(t);
}

// Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by size: any of them
// between 2001 and 5138 has 10, 13, 16 or 19 digits. A fraction of seconds is dropped. Epoch
// values are UTC by definition.
std::optional<LeadingTime> parse_epoch(Cursor& c) {
  uint64_t value = 0;
  if (c.number(value) == 0) return std::nullopt;
  if (c.eat('.')) c.skip_digits();
  uint64_t divisor = 1;
  if (value >= 100'000'000'000'000'000ULL)
    divisor = 1'000'000'000;
  else if (value >= 100'000'000'000'000ULL)
    divisor = 1'000'000;
  else if (value >= 100'000'000'000ULL)
    divisor = 1'000;
  return LeadingTime{static_cast<int64_t>(value / divisor), true};
}

// {"ts":"...", {"time": "...", {"timestamp":1763630102 — the first member only, since that is
// where loggers put it and looking further would mean parsing the JSON.
std::optional<LeadingTime> parse_json_member(Cursor& c) {
  c.eat('{');
  c.skip_blanks();
  if (!c.eat("\"timestamp\"") && !c.eat("\"time\"") && !c.eat("\"ts\"")) return std::nullopt;
  c.skip_blanks();
  if (!c.eat(':')) return std::nullopt;
  c.skip_blanks();
  if (!c.eat('"')) return parse_epoch(c);
  const auto seconds = parse_iso(c);
  if (!seconds || !c.eat('"')) return std::nullopt;
  return seconds;
}

}  // namespace

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace {

std::optional<LeadingTime> parse_leading(std::string_view line, std::optional<SyslogYear> year) {
  Cursor c(line);
  c.skip_blanks();
  if (c.eat('[')) c.skip_blanks();
  if (c.peek() == '{') return parse_json_member(c);
  if (c.eat("timestamp=") || c.eat("time=") || c.eat("ts=")) {
    c.eat('"');
    return parse_iso(c);
  }
  if (c.peek() >= '0' && c.peek() <= '9') return parse_iso(c);
  return parse_syslog(c, year);
}

}  // namespace

std::optional<LeadingTime> read_leading_time(std::string_view line,
                                             std::optional<SyslogYear> year) {
  return parse_leading(line, year);
}

std::optional<int64_t> leading_timestamp(std::string_view line, const TimeZone& zone,
                                         std::optional<SyslogYear> year) {
  const auto time = parse_leading(line, year);
  if (!time) return std::nullopt;
  return time->zoned ? time->seconds : zone.to_utc(time->seconds);
}

std::optional<int64_t> leading_timestamp(std::string_view line, SyslogYear year) {
  const auto time = parse_leading(line, year);
  return time ? std::optional<int64_t>(time->seconds) : std::nullopt;
}

std::optional<int64_t> leading_timestamp(std::string_view line) {
  const auto time = parse_leading(line, std::nullopt);
  return time ? std::optional<int64_t>(time->seconds) : std::nullopt;
}

std::string format_timestamp(int64_t seconds, int offset, char separator) {
  const int64_t wall = seconds + offset;
  const int64_t days = floor_div(wall, kSecondsPerDay);
  const int64_t rest = wall - days * kSecondsPerDay;
  const Civil date = civil_from_days(days);
  const int minutes = (offset < 0 ? -offset : offset) / 60;
  return fmt::format("{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}{}{:02}:{:02}", date.year, date.month,
                     date.day, separator, rest / 3600, rest / 60 % 60, rest % 60,
                     offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
}

}  // namespace coinone
