#include "coinone_annotate/report/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace coinone {

std::string format_bytes(uint64_t bytes) {
  static constexpr std::array<std::string_view, 6> kUnits{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  // 1023.95 KiB would print as "1024.0 KiB"; move up a unit before that happens.
  while (value >= 1023.95 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

// ---- recording --------------------------------------------------------------------------

Summary::Summary(std::shared_ptr<const CodeTable> table) : table_(std::move(table)) {
  for (std::string& name : table_->categories()) categories_.push_back(std::move(name));
  categories_.emplace_back(kUnknownCategory);
  category_counts_.assign(categories_.size(), 0);
}

void Summary::begin_file(std::string_view name) {
  FileStats file;
  file.name = name;
  files_.push_back(std::move(file));
}

Summary::FileStats& Summary::current_file() {
  if (files_.empty()) begin_file("-");
  return files_.back();
}

void Summary::end_file(uint64_t lines, uint64_t bytes, bool failed) {
  FileStats& file = current_file();
  file.lines = lines;
  file.bytes = bytes;
  file.failed = failed;
}

std::optional<LeadingTime> Summary::line_time(std::string_view line) const {
  return read_leading_time(line, syslog_year_);
}

void Summary::record(uint64_t line_number, std::string_view line, const Verdict& verdict) {
  if (!verdict.empty()) record_at(line_number, line_time(line), verdict);
}

// The zone is applied here, on the thread that owns the summary: TimeZone's cache is not
// thread-safe, the parse in line_time() is.
void Summary::record_at(uint64_t line_number, std::optional<LeadingTime> written,
                        const Verdict& verdict) {
  if (verdict.empty()) return;
  FileStats& file = current_file();
  std::optional<int64_t> time;
  if (written) time = written->zoned ? written->seconds : zone_.to_utc(written->seconds);
  const Place here{static_cast<uint32_t>(files_.size() - 1), line_number, time};
  ++annotated_;
  ++file.annotated;
  if (time) {
    file.first_time = std::min(file.first_time.value_or(*time), *time);
    file.last_time = std::max(file.last_time.value_or(*time), *time);
  }
  for (const ShownCode& shown : verdict.shown) {
    CodeStats& stats = stats_for(shown);
    if (stats.count++ == 0) stats.first = stats.last = here;
    place_in_time(here, stats);
    if (!stats.known) count_unknown(static_cast<size_t>(&stats - codes_.data()));
    ++category_counts_[stats.category];
    if (time) timeline_.add(*time, 1 + stats.category);
  }
  const uint64_t codes = verdict.shown.size() + verdict.more;
  errors_ += codes;
  file.errors += codes;
  more_ += verdict.more;
  file.more += verdict.more;
  if (time)
    timeline_.add(*time, 0);
  else
    ++untimed_;
}

// First and last seen by time (see the top of summary.h): a timed sighting takes the place of an
// untimed one, an untimed one never that of a timed one; ties keep reading order.
void Summary::place_in_time(const Place& here, CodeStats& stats) {
  if (here.time && (!stats.first.time || *here.time < *stats.first.time)) stats.first = here;
  if (here.time ? !stats.last.time || *here.time >= *stats.last.time : !stats.last.time)
    stats.last = here;
}

Summary::CodeStats& Summary::stats_for(const ShownCode& shown) {
  auto found = code_index_.find(shown.digits);
  size_t index = 0;
  if (found != code_index_.end()) {
    index = found->second;
  } else if (shown.entry == nullptr) {
    index = unknown_slot(shown.digits);
  } else {
    index = codes_.size();
    code_index_.emplace(std::string(shown.digits), index);
    CodeStats fresh;
    fresh.digits = shown.digits;
    codes_.push_back(std::move(fresh));
  }
  CodeStats& stats = codes_[index];
  // A code first seen unknown can become known after a table reload; take the new meaning.
  // Its earlier occurrences stay under "unknown" in the category totals and the timeline.
  if (shown.entry != nullptr && !stats.known) {
    unknown_by_estimate_.erase({stats.count + stats.inherited, index});
    unknown_total_ -= stats.count;  // they are now this known code's
    stats.inherited = 0;
    stats.known = true;
    stats.meaning = shown.entry->english;
    stats.korean = shown.entry->korean;
    stats.advice = shown.entry->advice;
    stats.retryable = shown.entry->retryable;
    stats.category = category_index(shown.entry->category);
  }
  return stats;
}

// Where a new unknown code is kept: a fresh slot while there are fewer than
// kTrackedUnknownCodes, else the slot of the code with the lowest estimate, whose estimate the
// newcomer inherits (space-saving). The occurrences of the code let go stay in unknown_total_.
// Once every slot is taken, the map and set nodes are reused: no allocation per new code.
size_t Summary::unknown_slot(std::string_view digits) {
  if (unknown_by_estimate_.size() < kTrackedUnknownCodes) {
    const size_t index = codes_.size();
    codes_.emplace_back();
    codes_[index].digits = digits;
    codes_[index].category = category_index(kUnknownCategory);
    code_index_.emplace(std::string(digits), index);
    unknown_by_estimate_.emplace(0, index);
    return index;
  }
  auto lowest = unknown_by_estimate_.extract(unknown_by_estimate_.begin());
  const size_t index = lowest.value().second;
  CodeStats& stats = codes_[index];
  auto entry = code_index_.extract(stats.digits);
  entry.key() = digits;
  code_index_.insert(std::move(entry));
  stats.digits = digits;
  stats.inherited = lowest.value().first;
  stats.count = 0;
  stats.first = stats.last = Place{};
  unknown_by_estimate_.insert(std::move(lowest));  // still at the inherited estimate
  return index;
}

// After an unknown code's count went up by one: its place in the estimate order, and the total.
void Summary::count_unknown(size_t index) {
  const CodeStats& stats = codes_[index];
  const uint64_t estimate = stats.count + stats.inherited;
  auto node = unknown_by_estimate_.extract({estimate - 1, index});
  node.value().first = estimate;
  unknown_by_estimate_.insert(std::move(node));
  ++unknown_total_;
}

std::string_view Summary::category_name(uint32_t category) const {
  return lang_ == Lang::kKorean ? korean_category(categories_[category])
                                : std::string_view(categories_[category]);
}

std::string Summary::meaning_text(const CodeStats& stats) const {
  if (stats.korean.empty() || lang_ == Lang::kEnglish) return stats.meaning;
  return lang_ == Lang::kKorean ? stats.korean : stats.meaning + " / " + stats.korean;
}

std::string_view Summary::advice_words(Advice advice) const {
  return lang_ == Lang::kKorean ? korean_advice_name(advice) : advice_name(advice);
}

uint32_t Summary::category_index(std::string_view name) {
  const auto found = std::find(categories_.begin(), categories_.end(), name);
  if (found != categories_.end()) return static_cast<uint32_t>(found - categories_.begin());
  categories_.emplace_back(name);  // a category of a table loaded after start-up
  category_counts_.push_back(0);
  return static_cast<uint32_t>(categories_.size() - 1);
}

// ---- shared by both renderings ----------------------------------------------------------

TimelineGrid Summary::timeline_grid() const {
  return timeline_.grid(kTimelineBuckets, 1 + categories_.size());
}

// The codes the report lists: every table code seen and the kShownUnknownCodes most frequent
// unknown ones. Count descending, then the code as a number (digits are normalised: shorter is
// smaller).
std::vector<const Summary::CodeStats*> Summary::sorted_codes() const {
  std::vector<const CodeStats*> sorted;
  for (const CodeStats& stats : codes_) sorted.push_back(&stats);
  std::sort(sorted.begin(), sorted.end(), [](const CodeStats* a, const CodeStats* b) {
    if (a->count != b->count) return a->count > b->count;
    if (a->digits.size() != b->digits.size()) return a->digits.size() < b->digits.size();
    return a->digits < b->digits;
  });
  std::vector<const CodeStats*> listed;
  size_t unknown = 0;
  for (const CodeStats* stats : sorted)
    if (stats->known || unknown++ < kShownUnknownCodes) listed.push_back(stats);
  return listed;
}

// Occurrences of unknown codes that the report does not list.
uint64_t Summary::unknown_others() const {
  uint64_t listed = 0;
  for (const CodeStats* stats : sorted_codes())
    if (!stats->known) listed += stats->count;
  return unknown_total_ - listed;
}

// Indices into files_, by the time of their earliest annotated line; untimed files after, in
// reading order.
std::vector<uint32_t> Summary::sorted_files() const {
  std::vector<uint32_t> sorted(files_.size());
  for (uint32_t i = 0; i < sorted.size(); ++i) sorted[i] = i;
  std::stable_sort(sorted.begin(), sorted.end(), [&](uint32_t a, uint32_t b) {
    const auto& ta = files_[a].first_time;
    const auto& tb = files_[b].first_time;
    return ta && (!tb || *ta < *tb);
  });
  return sorted;
}

// "2026-11-20 09:15:02+09:00" in the report's zone ('T' instead of ' ' for JSON).
std::string Summary::time_text(int64_t seconds, char separator) const {
  return format_timestamp(seconds, zone_.offset_at(seconds), separator);
}

// Categories with a count, by count descending, then name.
std::vector<uint32_t> Summary::sorted_categories() const {
  std::vector<uint32_t> sorted;
  for (uint32_t i = 0; i < categories_.size(); ++i)
    if (category_counts_[i] > 0) sorted.push_back(i);
  std::sort(sorted.begin(), sorted.end(), [&](uint32_t a, uint32_t b) {
    if (category_counts_[a] != category_counts_[b])
      return category_counts_[a] > category_counts_[b];
    return categories_[a] < categories_[b];
  });
  return sorted;
}

}  // namespace coinone
