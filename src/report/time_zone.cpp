#include "coinone_annotate/report/time_zone.h"

#include <date/tz.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>

namespace coinone {

namespace {

// Where Debian's tzdata puts the database, and where the date library looks for it; and a zone
// every copy of the database has (an empty or missing directory means no database).
constexpr char kZoneDir[] = "/usr/share/zoneinfo";
constexpr char kAlwaysThere[] = "/usr/share/zoneinfo/Etc/UTC";

bool exists(const char* path) {
  struct stat st {};
  return ::lstat(path, &st) == 0;
}

bool is_builtin_utc(std::string_view name) { return name == "UTC" || name == "Etc/UTC"; }

int seconds_of(std::chrono::seconds offset) { return static_cast<int>(offset.count()); }

}  // namespace

std::optional<TimeZone> TimeZone::locate(std::string_view name, std::string& error) {
  TimeZone zone;
  if (is_builtin_utc(name)) {
    zone.name_ = name;
    return zone;
  }
  try {
    zone.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {  // runtime_error: not found, or no database at all
    error = exists(kAlwaysThere)
                ? fmt::format("unknown time zone (not in {})", kZoneDir)
                : fmt::format("no time zone database in {} (Debian package tzdata)", kZoneDir);
    return std::nullopt;
  }
  zone.name_ = zone.zone_->name();
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
  TimeZone zone;
  try {
    zone.zone_ = date::current_zone();
    zone.name_ = zone.zone_->name();
  } catch (const std::exception& e) {
    // Without /etc/localtime glibc uses UTC too: that is then the machine's zone, no news.
    if (exists("/etc/localtime"))
      note = fmt::format(
          "/etc/localtime: {}; times without a zone are read as UTC (--tz sets the zone)",
          e.what());
    return {};
  }
  return zone;
}

int64_t TimeZone::to_utc(int64_t wall) const {
  if (wall >= wall_span_.begin && wall < wall_span_.end) return wall - wall_span_.offset;
  if (zone_ == nullptr) return wall;
  using std::chrono::seconds;
  const date::local_info info = zone_->get_info(date::local_seconds{seconds{wall}});
  const int offset = seconds_of(info.first.offset);
  if (info.result == date::local_info::unique) {
    // The wall times this offset answers alone: not those that the neighbouring periods'
    // offsets also reach (repeated) or skip.
    const int64_t begin = info.first.begin.time_since_epoch().count();
    const int64_t end = info.first.end.time_since_epoch().count();
    const int before = seconds_of(zone_->get_info(date::sys_seconds{seconds{begin - 1}}).offset);
    const int after = seconds_of(zone_->get_info(date::sys_seconds{seconds{end}}).offset);
    wall_span_ = {begin + std::max(offset, before), end + std::min(offset, after), offset};
  }
  return wall - offset;  // first: the earlier reading, or the offset before a skip
}

int TimeZone::offset_at(int64_t utc) const {
  if (zone_ == nullptr) return 0;
  if (utc >= utc_span_.begin && utc < utc_span_.end) return utc_span_.offset;
  const date::sys_info info = zone_->get_info(date::sys_seconds{std::chrono::seconds{utc}});
  utc_span_ = {info.begin.time_since_epoch().count(), info.end.time_since_epoch().count(),
               seconds_of(info.offset)};
  return utc_span_.offset;
}

}  // namespace coinone
