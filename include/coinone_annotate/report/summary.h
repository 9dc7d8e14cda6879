// Summary: the --summary triage report, for post-mortems over rotated bot logs.
//
//     coinone-annotate --summary --only-errors logs/* > /dev/null
//
// While the run streams, the caller tells the summary where it is (begin_file / end_file) and
// hands it every annotated line (record). At the end it renders one report, as text for a
// terminal (render_text) or as one line of JSON (render_json); the caller writes it to stderr.
//
// What it keeps, and why memory stays bounded by the code table and the number of files (not by
// the number of lines, nor by the number of distinct codes in the input):
//   - per code of the table that was seen: its count, what the table says about it (copied at
//     first sight, so a table reload during a follow does not leave dangling pointers), and the
//     first and last place it was seen (file, line, the line's leading timestamp; timestamp.h);
//   - the same for at most kTrackedUnknownCodes codes not in the table, chosen by the
//     space-saving algorithm (Metwally et al., 2005): a new unknown code takes the place of the
//     one with the lowest estimate, inheriting that estimate. Any code more frequent than
//     1/kTrackedUnknownCodes of the unknown occurrences is kept, with its exact count; a kept
//     code's count and first place are those since it was last taken in. Occurrences of the
//     codes not kept are counted as "others". 2 million distinct unknown codes used 1.5 GB
//     when every one was kept; README (Reliability) has the figure now;
//   - per category and per file: counts, and per file the times of its earliest and latest
//     annotated lines;
//   - the timeline (timeline.h): counts per (time slot, row), rows being "all annotated lines"
//     and each category; at most ~100k map nodes, ~7 MB, whatever the log size.
//
// Counting rules. A line counts once as "annotated"; each code shown on it counts once for that
// code, its category and the file ("errors"). Codes beyond Verdict::kMaxShown ("+N more") are
// counted in the totals ("more", included in "errors") but belong to no code or category.
// Unknown codes are counted by their digit string, under the category "unknown". Lines without a
// leading timestamp count everywhere except in the timeline, and the report says how many.
//
// Time. First and last seen are the earliest and latest sightings by timestamp, whatever the
// order of the files (logrotate's bot.log.1 is older than bot.log, but `bot.log*` lists it
// after): equal times keep the first read as first and the last read as last. A sighting
// without a timestamp cannot be placed among timed ones; it is first or last only for a code
// never seen with one, in reading order. Timestamps without a zone are read in the summary's
// TimeZone (set_time_zone; --tz, else the machine's zone), and every time the report prints
// carries that zone's offset ("2026-11-20 09:15:02+09:00"). The files are listed by the time
// of their earliest annotated line; those without one follow, in reading order. The timeline's
// buckets stay aligned on UTC (timeline.h): in Seoul a day column starts at 09:00.
//
// The recording is in summary.cpp, the two renderings in summary_text.cpp and summary_json.cpp.
//
// record() costs a map lookup per shown code and per timeline cell: 150-350 ns for a line with
// two codes and an ISO timestamp (g++ 12 -O2), paid only on annotated lines. Rendering sorts by
// count descending, then code ascending (numerically). The report lists every table code seen
// and the kShownUnknownCodes most frequent unknown ones, so its size is bounded too.
//
// Not thread-safe: one summary per run, fed by the thread that owns the output. Copyable and
// movable (a value).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/verdict.h"
#include "coinone_annotate/report/timeline.h"
#include "coinone_annotate/report/timestamp.h"

namespace coinone {

// "0 B", "999 B", "1.0 KiB", "98.1 KiB", "3.4 GiB" (binary units, one decimal).
std::string format_bytes(uint64_t bytes);

class Summary {
 public:
  // Columns of the timeline sparklines.
  static constexpr size_t kTimelineBuckets = 40;
  // Unknown codes kept while recording (about 200 bytes each), and listed in the report. Ten
  // times more are kept than listed, so that the listed ones are the most frequent and their
  // counts exact, unless the input has no code that stands out.
  static constexpr size_t kTrackedUnknownCodes = 1000;
  static constexpr size_t kShownUnknownCodes = 100;

  // The table gives the order of the timeline rows (table order, then "unknown"), so that two
  // reports line up; what a code means is taken from each verdict's entries.
  explicit Summary(std::shared_ptr<const CodeTable> table);

  // The language of categories, meanings and advice words (--lang; default English). Korean:
  // the table's Korean names and text (English where a code has none); both: English, with
  // "English / Korean" meanings in text and meaning_en / meaning_ko members in JSON. Headings
  // and JSON keys stay English; JSON "advice" stays the English class name.
  void set_lang(Lang lang) { lang_ = lang; }

  // The year given to syslog timestamps (which carry none); default: the current UTC year.
  void set_syslog_year(SyslogYear year) { syslog_year_ = year; }

  // The zone for timestamps that carry none, and of every time printed; default UTC. Set it
  // before the first record().
  void set_time_zone(TimeZone zone) { zone_ = std::move(zone); }

  // Starts a file; lines recorded from now on belong to it. A record() or end_file() without
  // any begin_file() starts a file named "-".
  void begin_file(std::string_view name);
  // The current file's totals, given when it ends (failed: it could not be read to its end;
  // the lines and bytes are then those read before the failure).
  void end_file(uint64_t lines, uint64_t bytes, bool failed);

  // One annotated line: its 1-based number within the current file, its content (only the
  // leading timestamp is read, so for a line too long for the buffer pass its first piece) and
  // its verdict (ignored when empty). The verdict's strings are not kept.
  void record(uint64_t line_number, std::string_view line, const Verdict& verdict);
  // The same with the line's leading timestamp already read by line_time(): a search on
  // another thread (-j N) reads it there and records the line later, in the file's turn; the
  // time zone is applied here, as record() does.
  void record_at(uint64_t line_number, std::optional<LeadingTime> time, const Verdict& verdict);
  // The leading timestamp record() reads from `line`, as written (zone not yet applied). Safe to
  // call from any thread while set_syslog_year() is not.
  std::optional<LeadingTime> line_time(std::string_view line) const;

  // Appends the report for a terminal, each line ending in '\n'; ANSI colours when `color`.
  void render_text(std::string& out, bool color) const;
  // Appends the report as one JSON object and a '\n'. Keys in a fixed order:
  //   lines, bytes, files_failed, annotated, errors, more, untimed, time_zone (its name),
  //   by_code {code: count}, by_category {category: count}, unknown {code: count},
  //   unknown_others (occurrences of unknown codes not listed; only when there are any),
  //   files [{name, lines, bytes, annotated, errors, more, failed, first, last}] by time
  //     (first/last: the times of its earliest and latest annotated lines, or null),
  //   codes [{code, known, category, meaning, advice, retry, count, first, last}] (with
  //     --lang both, meaning_en and meaning_ko instead of meaning)
  //     where first/last are {file, line, time} (time "2026-11-20T09:15:02+09:00" or null)
  //     and advice/retry are null for unknown codes,
  //   timeline null, or {bucket_seconds, bucket, start, end, untimed, lines [..],
  //     categories {category: [..]}} (end = start + count * bucket_seconds, exclusive).
  // Objects keyed by code or category follow the report's order (count descending, then code or
  // name); "errors" counts every code occurrence, the "+N more" ones included.
  void render_json(std::string& out) const;

 private:
  struct Place {
    uint32_t file = 0;
    uint64_t line = 0;
    std::optional<int64_t> time;
  };
  struct CodeStats {
    std::string digits;
    bool known = false;
    std::string meaning;  // English text from the table; empty when unknown
    std::string korean;   // Korean text from the table; empty when unknown or when it has none
    Advice advice = Advice::kFixRequest;
    bool retryable = false;
    uint32_t category = 0;  // index into categories_
    uint64_t count = 0;
    uint64_t inherited = 0;  // unknown: the estimate of the code it replaced (space-saving)
    Place first, last;
  };
  struct FileStats {
    std::string name;
    uint64_t lines = 0, bytes = 0, annotated = 0, errors = 0, more = 0;
    bool failed = false;
    std::optional<int64_t> first_time, last_time;  // of its annotated lines
  };
  CodeStats& stats_for(const ShownCode& shown);
  size_t unknown_slot(std::string_view digits);
  void count_unknown(size_t index);
  uint64_t unknown_others() const;
  uint32_t category_index(std::string_view name);
  FileStats& current_file();
  static void place_in_time(const Place& here, CodeStats& stats);
  std::vector<uint32_t> sorted_files() const;
  std::string time_text(int64_t seconds, char separator = ' ') const;
  std::vector<const CodeStats*> sorted_codes() const;
  std::vector<uint32_t> sorted_categories() const;
  TimelineGrid timeline_grid() const;
  void render_text_totals(std::string& out, bool color) const;
  void render_text_categories(std::string& out, bool color) const;
  void render_text_codes(std::string& out, bool color) const;
  void render_text_seen(std::string& out, bool color) const;
  void render_text_files(std::string& out, bool color) const;
  void render_text_timeline(std::string& out, bool color) const;
  void append_totals_json(std::string& out) const;
  void append_code_counts_json(std::string_view key, const std::vector<const CodeStats*>& sorted,
                               bool only_unknown, std::string& out) const;
  void append_category_counts_json(std::string& out) const;
  void append_files_json(std::string& out) const;
  void append_codes_json(const std::vector<const CodeStats*>& sorted, std::string& out) const;
  void append_place_json(const Place& place, std::string& out) const;
  void append_time_json(std::optional<int64_t> time, std::string& out) const;
  void append_timeline_json(std::string& out) const;
  std::string place_text(const Place& place) const;
  std::string_view category_name(uint32_t category) const;  // in lang_
  std::string meaning_text(const CodeStats& stats) const;   // in lang_, for the text report
  std::string_view advice_words(Advice advice) const;       // in lang_, for the text report

  std::shared_ptr<const CodeTable> table_;
  std::optional<SyslogYear> syslog_year_;
  TimeZone zone_;
  Lang lang_ = Lang::kEnglish;
  std::vector<FileStats> files_;
  std::vector<CodeStats> codes_;
  std::map<std::string, size_t, std::less<>> code_index_;  // digits -> index into codes_
  // The unknown codes kept, by estimate (count + inherited): the first is the next to go.
  std::set<std::pair<uint64_t, size_t>> unknown_by_estimate_;
  uint64_t unknown_total_ = 0;  // occurrences of codes that are unknown in codes_ or were let go
  std::vector<std::string> categories_;
  std::vector<uint64_t> category_counts_;
  uint64_t annotated_ = 0, errors_ = 0, more_ = 0, untimed_ = 0;
  Timeline timeline_;  // row 0: all annotated lines; 1 + i: category i
};

}  // namespace coinone
