#include "coinone_annotate/report/time_zone.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace coinone {

namespace {

// Where Debian's tzdata puts the database; and a zone every copy of it has (an empty or missing
// directory means no database).
constexpr char kZoneDir[] = "/usr/share/zoneinfo";
constexpr char kAlwaysThere[] = "/usr/share/zoneinfo/Etc/UTC";
constexpr char kLocalTime[] = "/etc/localtime";

// Every offset change since 1970 falls on a whole minute, so one minute of wall or UTC time has
// one offset (and one reading): the unit of the caches.
constexpr int64_t kMinute = 60;
// Offsets change at most once within a day around any instant (summer time, a zone's move).
constexpr int64_t kDay = 86400;

bool exists(const char* path) {
  struct stat st {};
  return ::lstat(path, &st) == 0;
}

bool is_builtin_utc(std::string_view name) { return name == "UTC" || name == "Etc/UTC"; }

// A TZif file ("TZif" magic): what glibc reads for TZ=":PATH".
bool is_zone_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::array<char, 4> magic{};
  const bool ok =
      ::read(fd, magic.data(), magic.size()) == 4 && std::string_view(magic.data(), 4) == "TZif";
  ::close(fd);
  return ok;
}

// A zone name stays inside the database: no absolute path, no "..".
bool is_plain_name(std::string_view name) {
  return !name.empty() && !name.starts_with('/') && name.find("..") == name.npos;
}

// glibc's zone is the process's TZ: switching it costs a tzset(), and localtime_r() reads it.
// Every lookup goes through here under one lock; the caches keep lookups to about one a minute
// of log time, and a process normally uses one zone, so TZ is set once.
std::mutex g_tz_lock;
std::string g_tz_active;  // the TZ value set last

int offset_in(const std::string& tz, int64_t utc) {
  std::lock_guard lock(g_tz_lock);
  if (g_tz_active != tz) {
    ::setenv("TZ", tz.c_str(), 1);
    ::tzset();
    g_tz_active = tz;
  }
  const time_t t = static_cast<time_t>(utc);
  struct tm tm {};
  if (::localtime_r(&t, &tm) == nullptr) return 0;
  return static_cast<int>(tm.tm_gmtoff);
}

int64_t floor_minute(int64_t t) { return t - (((t % kMinute) + kMinute) % kMinute); }

}  // namespace

std::optional<TimeZone> TimeZone::locate(std::string_view name, std::string& error) {
  TimeZone zone;
  if (is_builtin_utc(name)) {
    zone.name_ = name;
    return zone;
  }
  const std::string path = fmt::format("{}/{}", kZoneDir, name);
  if (!is_plain_name(name) || !is_zone_file(path)) {
    error = exists(kAlwaysThere)
                ? fmt::format("unknown time zone (not in {})", kZoneDir)
                : fmt::format("no time zone database in {} (Debian package tzdata)", kZoneDir);
    return std::nullopt;
  }
  zone.name_ = name;
  zone.tz_ = ":" + path;
  return zone;
}

TimeZone TimeZone::local(std::string& note) {
  if (const char* tz = std::getenv("TZ"); tz != nullptr) {
    std::string_view name = tz;
    if (name.starts_with(':')) name.remove_prefix(1);
    // glibc also takes a path; the zone is what follows "zoneinfo/" in it.
    if (const size_t at = name.rfind("zoneinfo/"); name.starts_with('/') && at != name.npos)
      name.remove_prefix(at + 9);
    if (name.empty()) return {};  // POSIX: an empty TZ is UTC
    std::string error;
    if (auto zone = locate(name, error)) return *zone;
    note = fmt::format("TZ={}: {}; times without a zone are read as UTC (--tz sets the zone)", tz,
                       error);
    return {};
  }
  // Without /etc/localtime glibc uses UTC too: that is then the machine's zone, no news.
  if (!exists(kLocalTime)) return {};
  if (!is_zone_file(kLocalTime)) {
    note = fmt::format(
        "{}: not a time zone file; times without a zone are read as UTC (--tz "
        "sets the zone)",
        kLocalTime);
    return {};
  }
  TimeZone zone;
  zone.tz_ = fmt::format(":{}", kLocalTime);
  // The name: where the link points inside the database (Debian links it), else the file.
  zone.name_ = kLocalTime;
  std::array<char, 4096> target{};
  const ssize_t n = ::readlink(kLocalTime, target.data(), target.size() - 1);
  if (n > 0) {
    const std::string_view link(target.data(), static_cast<size_t>(n));
    if (const size_t at = link.rfind("zoneinfo/"); at != link.npos) {
      zone.name_ = link.substr(at + 9);
      if (is_builtin_utc(zone.name_)) zone.tz_.clear();
    }
  }
  return zone;
}

int64_t TimeZone::to_utc(int64_t wall) const {
  if (wall >= wall_span_.begin && wall < wall_span_.end) return wall - wall_span_.offset;
  if (tz_.empty()) return wall;
  // The readings of `wall` are the offsets o with offset(wall - o) == o. Around it (a day either
  // way) there are at most two offsets: the one before and the one after a change.
  const int before = offset_in(tz_, wall - kDay);
  const int after = offset_in(tz_, wall + kDay);
  const bool before_reads = offset_in(tz_, wall - before) == before;
  const bool after_reads = offset_in(tz_, wall - after) == after;
  int offset = before;  // also the reading of a skipped wall time: the offset before the skip
  if (before_reads && after_reads)
    offset = std::max(before, after);  // repeated: the earlier instant
  else if (after_reads)
    offset = after;
  // Cache the minute when it has one reading only (not inside a repeated or skipped hour).
  if (before == after || before_reads != after_reads) {
    const int64_t begin = floor_minute(wall);
    wall_span_ = {begin, begin + kMinute, offset};
  }
  return wall - offset;
}

int TimeZone::offset_at(int64_t utc) const {
  if (tz_.empty()) return 0;
  if (utc >= utc_span_.begin && utc < utc_span_.end) return utc_span_.offset;
  const int64_t begin = floor_minute(utc);
  utc_span_ = {begin, begin + kMinute, offset_in(tz_, utc)};
  return utc_span_.offset;
}

}  // namespace coinone
