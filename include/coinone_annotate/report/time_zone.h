// TimeZone: the zone in which the report reads timestamps that carry none, and prints its times.
//
// Python's logging, syslog and most bots write the wall clock without a zone ("2026-11-20
// 09:15:02,114"); JSON loggers write UTC with a "Z". To put both on one time line the report
// reads zoneless times in one IANA zone: --tz NAME, else the machine's zone (the TZ variable,
// else /etc/localtime). Every time it prints carries that zone's offset at that instant
// ("2026-11-20 09:15:02+09:00"), never a bare "Z".
//
// The rules come from the system's database in /usr/share/zoneinfo (Debian package tzdata),
// read by glibc: TZ=":/usr/share/zoneinfo/NAME" and localtime_r(), which gives the offset at an
// instant (tm_gmtoff). "UTC" and "Etc/UTC" are built in, so that they work on a machine without
// that database. glibc knows one zone per process, through the TZ variable, so every lookup
// takes one lock and sets TZ when the zone differs from the last one asked (in practice once),
// and a name is first checked to be a zone file, as glibc would take an unknown name as UTC.
// Howard Hinnant's date library (Debian's libdate-tz) would give the zone rules directly, but as
// a shared C++ library it also loads libstdc++ at every start, which costs the plain filter more
// than its whole start-up budget (README, Performance).
//
// Cost: to_utc() and offset_at() cache the minute of their last answer (every offset change
// since 1970 falls on a whole minute): a log line in the same minute costs two compares; another
// minute, a few localtime_r() calls under the lock. No allocation.
//
// A value; copy it freely. Not thread-safe (the caches): give each thread its own copy.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coinone {

class TimeZone {
 public:
  // UTC, without the database.
  TimeZone() = default;

  // The zone called `name` ("Asia/Seoul", "UTC"). On failure, nullopt and `error` says why,
  // without the name: "unknown time zone (not in /usr/share/zoneinfo)", or, when that directory
  // holds no database, "no time zone database in /usr/share/zoneinfo (Debian package tzdata)".
  static std::optional<TimeZone> locate(std::string_view name, std::string& error);

  // The machine's zone: TZ when set (":Name" or "Name"; empty means UTC), else /etc/localtime,
  // else UTC. When TZ or /etc/localtime names no zone of the database, UTC, and `note` says so
  // (for a warning); otherwise `note` is left empty.
  static TimeZone local(std::string& note);

  // The zone's name as the database spells it ("Asia/Seoul", "UTC").
  const std::string& name() const { return name_; }

  // Seconds since the epoch (UTC) of a wall-clock time in this zone, given as the seconds since
  // the epoch that it would be if the wall clock were UTC. A wall time that occurs twice (the
  // hour when summer time ends) is taken as the earlier; one that never occurs (the hour skipped
  // when it starts) is read with the offset in force before the skip.
  int64_t to_utc(int64_t wall) const;

  // The offset east of UTC, in seconds, at a UTC instant.
  int offset_at(int64_t utc) const;

 private:
  // Wall times in [begin, end) have this offset; begin == end means nothing is cached.
  struct Span {
    int64_t begin = 0, end = 0;
    int offset = 0;
  };

  std::string tz_;  // the TZ value that selects the zone in glibc; empty: UTC
  std::string name_ = "UTC";
  mutable Span wall_span_;  // to_utc()'s cache, in wall-clock seconds
  mutable Span utc_span_;   // offset_at()'s cache, in UTC seconds
};

}  // namespace coinone
