// Timestamp: the time at the start of a log line, for the --summary timeline.
//
// Bots write their lines behind a handful of timestamp shapes. leading_timestamp() recognises
// them at the very start of the line, after optional blanks and an optional '[':
//
//     2026-11-20T09:15:02Z                 ISO 8601, 'T' or ' ' between date and time,
//     2026-11-20T09:15:02.114+09:00        optional fraction ('.' or ','), optional zone:
//     2026-11-20 09:15:02,114              Z, +HH:MM, +HHMM or +HH (Python logging's default
//                                          has ",mmm" and no zone)
//     Nov 20 09:15:02                      syslog (no year, no zone; day may be " 5")
//     time=2026-11-20T09:15:02Z            logfmt, key time= or ts=, value optionally quoted
//     {"ts":"2026-11-20T09:15:02Z", ...    JSON first member "ts", "time" or "timestamp", with
//     {"ts": 1763630102.114, ...           either an ISO string or epoch seconds / ms / us / ns
//
// The result is whole seconds since the Unix epoch, UTC: a zone offset is applied, a time
// without a zone (Python logging, syslog) is read in the TimeZone given (time_zone.h: --tz, or
// the machine's zone), fractions are dropped. Anything else, including impossible dates
// (2026-02-30) and times (25:00:00), gives nullopt: a line without a timestamp is normal.
//
// Hand-written, no allocation, no locale, no regex: it runs on every annotated line, and reads
// at most the first ~50 bytes of it: 20-50 ns a line (g++ 12 -O2), plus two compares for a
// zoneless time (TimeZone's cache). Thread-safe, except for the TimeZone (one per thread).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "coinone_annotate/report/time_zone.h"

namespace coinone {

// The year given to syslog timestamps, which carry none. A type of its own so that a call
// cannot swap it with another integer.
struct SyslogYear {
  int value;
};

// A timestamp as the line wrote it.
struct LeadingTime {
  // zoned: seconds since the epoch, UTC. Otherwise the wall clock, counted as if it were UTC.
  int64_t seconds;
  bool zoned;  // the line gave Z, an offset, or epoch seconds
};

// Parses a timestamp at the start of `line`; syslog times get `year`, or else the current UTC
// year. Note that a syslog file spanning New Year will jump back a year at the turn; nothing in
// the line says so.
std::optional<LeadingTime> read_leading_time(std::string_view line,
                                             std::optional<SyslogYear> year = std::nullopt);

// The timestamp at the start of `line` as UTC seconds, a zoneless one read in `zone`.
std::optional<int64_t> leading_timestamp(std::string_view line, const TimeZone& zone,
                                         std::optional<SyslogYear> year = std::nullopt);
// The same with zoneless times read as UTC.
std::optional<int64_t> leading_timestamp(std::string_view line);
std::optional<int64_t> leading_timestamp(std::string_view line, SyslogYear year);

// "2026-11-20 09:15:02+09:00": `seconds` since the epoch on the wall clock `offset` seconds east
// of UTC, with that offset, as the reports print it; `separator` 'T' gives ISO 8601's form.
std::string format_timestamp(int64_t seconds, int offset, char separator = ' ');

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12, day 1..31; not validated).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

}  // namespace coinone
