#include "coinone_annotate/report/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace coinone {

namespace {

constexpr std::string_view kUnknownCategory = "unknown";
constexpr std::string_view kUnknownMeaning = "not in the code table";
constexpr int64_t kWeek = 604800;
constexpr int64_t kYearOfWeeks = 52 * kWeek;

// Bucket widths a reader takes in at a glance; each divides the next coarser grain or is a
// multiple of it (see Summary::coarsen), which keeps re-bucketing exact.
constexpr std::array<int64_t, 24> kNiceWidths{
    1,     2,     5,      10,    15,        30,        60,         120,
    300,   600,   900,    1800,  3600,      7200,      10800,      21600,
    43200, 86400, 172800, kWeek, 2 * kWeek, 4 * kWeek, 13 * kWeek, kYearOfWeeks};
// Grains the timeline slots coarsen through; after the last, the grain grows tenfold.
constexpr std::array<int64_t, 5> kGrains{1, 60, 3600, 86400, kWeek};

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// ---- text helpers -----------------------------------------------------------------------

// Terminal columns of UTF-8 text: one per code point (the report's own strings are ASCII or
// block characters; wide CJK in file names would misalign by a column, which we accept).
size_t display_width(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// File names come from the command line and may hold control bytes; printing them raw could
// move the cursor or change colours in the reader's terminal.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  return out;
}

std::string with_commas(uint64_t value) {
  std::string digits = fmt::format("{}", value);
  for (size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, 1, ',');
  return digits;
}

std::string plural(uint64_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", with_commas(count), count == 1 ? one : many);
}

void paint(std::string& out, std::string_view text, std::string_view sgr, bool color) {
  if (!color || sgr.empty()) {
    out += text;
    return;
  }
  fmt::format_to(std::back_inserter(out), "\x1b[{}m{}\x1b[0m", sgr, text);
}

constexpr std::string_view kBold = "1";
constexpr std::string_view kDim = "2";
constexpr std::string_view kRed = "31";
constexpr std::string_view kYellow = "33";
constexpr std::string_view kCyan = "36";

// Colours by what the reader must do: red for their own mistakes to fix, yellow for waiting,
// magenta for money, bold red for what only Coinone can lift.
std::string_view advice_color(Advice advice) {
  switch (advice) {
    case Advice::kRetryLater:
      return "33";
    case Advice::kCheckFunds:
      return "35";
    case Advice::kContactCoinone:
      return "1;31";
    case Advice::kFixRequest:
    case Advice::kFixKeys:
    case Advice::kFixNonce:
      return "31";
  }
  return "";
}

void heading(std::string& out, std::string_view title, bool color) {
  out += '\n';
  paint(out, title, kBold, color);
  out += '\n';
}

// Aligned columns, two spaces apart, indented by two. Widths are measured without the colour
// escapes; the last column is not padded, so no line ends in blanks.
class TextTable {
 public:
  enum class Align { kLeft, kRight };
  struct Column {
    std::string_view title;
    Align align;
  };
  struct Cell {
    std::string text;
    std::string_view sgr = {};
  };

  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void add(std::vector<Cell> row) { rows_.push_back(std::move(row)); }

  void render(std::string& out, bool color) const {
    const std::vector<size_t> widths = column_widths();
    std::vector<Cell> titles;
    for (const Column& column : columns_) titles.push_back({std::string(column.title), kDim});
    render_row(titles, widths, out, color);
    for (const auto& row : rows_) render_row(row, widths, out, color);
  }

 private:
  std::vector<size_t> column_widths() const {
    std::vector<size_t> widths;
    for (const Column& column : columns_) widths.push_back(display_width(column.title));
    for (const auto& row : rows_)
      for (size_t i = 0; i < row.size(); ++i)
        widths[i] = std::max(widths[i], display_width(row[i].text));
    return widths;
  }

  void render_row(const std::vector<Cell>& row, const std::vector<size_t>& widths, std::string& out,
                  bool color) const {
    out += "  ";
    for (size_t i = 0; i < row.size(); ++i) {
      const size_t pad = widths[i] - display_width(row[i].text);
      const bool last = i + 1 == row.size();
      if (columns_[i].align == Align::kRight) out.append(pad, ' ');
      paint(out, row[i].text, row[i].sgr, color);
      if (columns_[i].align == Align::kLeft && !last) out.append(pad, ' ');
      if (!last) out += "  ";
    }
    out += '\n';
  }

  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
};

using Align = TextTable::Align;

// ---- JSON helpers -----------------------------------------------------------------------

// Length of the valid UTF-8 sequence at text[at], or 0 (stray continuation, overlong form,
// surrogate, beyond U+10FFFF, or cut short).
size_t utf8_length(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF)
    length = 3;
  else if (lead >= 0xF0 && lead <= 0xF4)
    length = 4;
  else
    return 0;
  if (lead == 0xE0) low = 0xA0;
  if (lead == 0xED) high = 0x9F;
  if (lead == 0xF0) low = 0x90;
  if (lead == 0xF4) high = 0x8F;
  if (text.size() - at < length || byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i)
    if ((byte(i) & 0xC0) != 0x80) return 0;
  return length;
}

// A JSON string, quotes included. File names are bytes, not text: invalid UTF-8 becomes
// U+FFFD so that the output stays valid JSON for every consumer.
void append_json_string(std::string_view text, std::string& out) {
  out += '"';
  for (size_t at = 0; at < text.size();) {
    const char c = text[at];
    const size_t length = utf8_length(text, at);
    if (length == 0) {
      out += "\\ufffd";
      ++at;
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out.append(text, at, length);
    }
    at += length;
  }
  out += '"';
}

// "2026-11-20T09:15:02Z": ISO 8601 for machines.
std::string iso_timestamp(int64_t seconds) {
  std::string text = format_timestamp(seconds);
  text[10] = 'T';
  return text;
}

void append_counts_json(const std::vector<uint64_t>& counts, std::string& out) {
  out += '[';
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) out += ',';
    fmt::format_to(std::back_inserter(out), "{}", counts[i]);
  }
  out += ']';
}

// ---- sparklines -------------------------------------------------------------------------

constexpr std::array<std::string_view, 8> kBlocks{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};

// Each row is scaled to its own peak: a category with 3 errors next to one with 3,000 must
// still show when its errors happened. Empty buckets are blank, so an onset stands out; any
// non-empty bucket gets at least the lowest block.
std::string sparkline(const std::vector<uint64_t>& counts) {
  const uint64_t peak = *std::max_element(counts.begin(), counts.end());
  std::string line;
  for (const uint64_t count : counts) {
    if (count == 0 || peak == 0) {
      line += ' ';
      continue;
    }
    const uint64_t level = (count * kBlocks.size() + peak - 1) / peak;  // 1..8
    line += kBlocks[static_cast<size_t>(level) - 1];
  }
  return line;
}

}  // namespace

// ---- free functions ---------------------------------------------------------------------

TimelineScale choose_timeline_scale(int64_t first, int64_t last, int64_t grain,
                                    size_t max_buckets) {
  const auto buckets = [&](int64_t width) {
    return static_cast<size_t>(floor_div(last, width) - floor_div(first, width) + 1);
  };
  int64_t width = 0;
  for (const int64_t nice : kNiceWidths) {
    if (nice % grain == 0 && buckets(nice) <= max_buckets) {
      width = nice;
      break;
    }
  }
  if (width == 0) {  // beyond 40 years of 52 weeks: whole multiples of the grain or of 52w
    const int64_t base = std::max(grain, kYearOfWeeks);
    const int64_t span = last - first + 1;
    width = base * std::max<int64_t>(1, span / (base * static_cast<int64_t>(max_buckets - 1)));
    while (buckets(width) > max_buckets) width += base;
  }
  return {floor_div(first, width) * width, width, buckets(width)};
}

std::string format_duration(int64_t seconds) {
  static constexpr std::array<std::pair<int64_t, char>, 5> kUnits{
      {{kWeek, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};
  for (const auto& [unit, suffix] : kUnits)
    if (seconds >= unit && seconds % unit == 0) return fmt::format("{}{}", seconds / unit, suffix);
  return fmt::format("{}s", seconds);
}

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

void Summary::record(uint64_t line_number, std::string_view line, const Verdict& verdict) {
  if (verdict.empty()) return;
  FileStats& file = current_file();
  const auto time = syslog_year_ ? leading_timestamp(line, *syslog_year_) : leading_timestamp(line);
  const Place here{static_cast<uint32_t>(files_.size() - 1), line_number, time};
  ++annotated_;
  ++file.annotated;
  for (const ShownCode& shown : verdict.shown) {
    CodeStats& stats = stats_for(shown);
    if (stats.count++ == 0) stats.first = here;
    stats.last = here;
    ++category_counts_[stats.category];
    if (time) add_to_timeline(*time, 1 + stats.category);
  }
  const uint64_t codes = verdict.shown.size() + verdict.more;
  errors_ += codes;
  file.errors += codes;
  more_ += verdict.more;
  file.more += verdict.more;
  if (time)
    add_to_timeline(*time, 0);
  else
    ++untimed_;
}

Summary::CodeStats& Summary::stats_for(const ShownCode& shown) {
  auto found = code_index_.find(shown.digits);
  if (found == code_index_.end()) {
    found = code_index_.emplace(std::string(shown.digits), codes_.size()).first;
    CodeStats fresh;
    fresh.digits = shown.digits;
    fresh.category = category_index(kUnknownCategory);
    codes_.push_back(std::move(fresh));
  }
  CodeStats& stats = codes_[found->second];
  // A code first seen unknown can become known after a table reload; take the new meaning.
  // Its earlier occurrences stay under "unknown" in the category totals and the timeline.
  if (shown.entry != nullptr && !stats.known) {
    stats.known = true;
    stats.meaning = shown.entry->english;
    stats.advice = shown.entry->advice;
    stats.retryable = shown.entry->retryable;
    stats.category = category_index(shown.entry->category);
  }
  return stats;
}

uint32_t Summary::category_index(std::string_view name) {
  const auto found = std::find(categories_.begin(), categories_.end(), name);
  if (found != categories_.end()) return static_cast<uint32_t>(found - categories_.begin());
  categories_.emplace_back(name);  // a category of a table loaded after start-up
  category_counts_.push_back(0);
  return static_cast<uint32_t>(categories_.size() - 1);
}

void Summary::add_to_timeline(int64_t time, uint32_t row) {
  if (timeline_.empty()) first_time_ = last_time_ = time;
  first_time_ = std::min(first_time_, time);
  last_time_ = std::max(last_time_, time);
  ++timeline_[Cell{floor_div(time, grain_) * grain_, row}];
  if (timeline_.size() > kMaxTimelineCells) coarsen();
}

// Merges slots into the next grain until the cells fit again. Each grain divides every nice
// width at or above it, so a bucket never has to split a slot.
void Summary::coarsen() {
  while (timeline_.size() > kMaxTimelineCells) {
    const auto next = std::upper_bound(kGrains.begin(), kGrains.end(), grain_);
    grain_ = next != kGrains.end() ? *next : grain_ < kYearOfWeeks ? kYearOfWeeks : grain_ * 10;
    std::map<Cell, uint64_t> merged;
    for (const auto& [cell, count] : timeline_)
      merged[Cell{floor_div(cell.slot, grain_) * grain_, cell.row}] += count;
    timeline_ = std::move(merged);
  }
}

// ---- shared by both renderings ----------------------------------------------------------

struct Summary::Timeline {
  TimelineScale scale;
  std::vector<std::vector<uint64_t>> rows;  // [row][bucket]; row 0 all lines, 1 + i category i
};

Summary::Timeline Summary::build_timeline() const {
  Timeline timeline;
  timeline.scale = choose_timeline_scale(first_time_, last_time_, grain_, kTimelineBuckets);
  const TimelineScale& scale = timeline.scale;
  timeline.rows.assign(1 + categories_.size(), std::vector<uint64_t>(scale.count, 0));
  for (const auto& [cell, count] : timeline_) {
    const auto bucket = static_cast<size_t>((cell.slot - scale.start) / scale.width);
    timeline.rows[cell.row][bucket] += count;
  }
  return timeline;
}

// Count descending, then the code as a number (digits are normalised: shorter is smaller).
std::vector<const Summary::CodeStats*> Summary::sorted_codes() const {
  std::vector<const CodeStats*> sorted;
  for (const CodeStats& stats : codes_) sorted.push_back(&stats);
  std::sort(sorted.begin(), sorted.end(), [](const CodeStats* a, const CodeStats* b) {
    if (a->count != b->count) return a->count > b->count;
    if (a->digits.size() != b->digits.size()) return a->digits.size() < b->digits.size();
    return a->digits < b->digits;
  });
  return sorted;
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

// ---- text -------------------------------------------------------------------------------

void Summary::render_text(std::string& out, bool color) const {
  paint(out, "coinone-annotate summary", kBold, color);
  out += '\n';
  render_text_totals(out, color);
  if (annotated_ > 0) {
    render_text_categories(out, color);
    render_text_codes(out, color);
    render_text_seen(out, color);
  }
  render_text_files(out, color);
  if (annotated_ > 0) render_text_timeline(out, color);
}

void Summary::render_text_totals(std::string& out, bool color) const {
  uint64_t lines = 0, bytes = 0, failed = 0;
  for (const FileStats& file : files_) {
    lines += file.lines;
    bytes += file.bytes;
    failed += file.failed;
  }
  out += "  read       " + plural(files_.size(), "file", "files");
  if (failed > 0) {
    out += " (";
    paint(out, fmt::format("{} failed", failed), kRed, color);
    out += ')';
  }
  out += fmt::format(", {}, {}\n", plural(lines, "line", "lines"), format_bytes(bytes));
  if (annotated_ == 0) {
    out += "  annotated  none: no Coinone error code was found\n";
    return;
  }
  out += fmt::format("  annotated  {}, {}", plural(annotated_, "line", "lines"),
                     plural(errors_, "code", "codes"));
  if (more_ > 0)
    out +=
        fmt::format(" ({} beyond the {} shown per line)", with_commas(more_), Verdict::kMaxShown);
  out += '\n';
}

void Summary::render_text_categories(std::string& out, bool color) const {
  heading(out, "By category", color);
  std::vector<uint64_t> distinct(categories_.size(), 0);
  for (const CodeStats& stats : codes_) ++distinct[stats.category];
  const uint64_t total = errors_ - more_;
  TextTable table({{"count", Align::kRight},
                   {"share", Align::kRight},
                   {"codes", Align::kRight},
                   {"category", Align::kLeft}});
  for (const uint32_t i : sorted_categories()) {
    const uint64_t count = category_counts_[i];
    table.add({{with_commas(count)},
               {fmt::format("{}%", (count * 100 + total / 2) / total)},
               {with_commas(distinct[i])},
               {categories_[i]}});
  }
  table.render(out, color);
}

void Summary::render_text_codes(std::string& out, bool color) const {
  const auto sorted = sorted_codes();
  TextTable known({{"count", Align::kRight},
                   {"code", Align::kRight},
                   {"category", Align::kLeft},
                   {"meaning", Align::kLeft},
                   {"advice", Align::kLeft},
                   {"retry", Align::kLeft}});
  TextTable unknown({{"count", Align::kRight}, {"code", Align::kRight}});
  size_t unknowns = 0;
  for (const CodeStats* stats : sorted) {
    if (!stats->known) {
      unknown.add({{with_commas(stats->count)}, {stats->digits, kYellow}});
      ++unknowns;
      continue;
    }
    known.add({{with_commas(stats->count)},
               {stats->digits, kBold},
               {categories_[stats->category]},
               {stats->meaning},
               {std::string(advice_name(stats->advice)), advice_color(stats->advice)},
               {stats->retryable ? "yes" : "no"}});
  }
  if (unknowns < sorted.size()) {
    heading(out, "By code", color);
    known.render(out, color);
  }
  if (unknowns > 0) {
    heading(out, fmt::format("Unknown codes ({})", kUnknownMeaning), color);
    unknown.render(out, color);
  }
}

std::string Summary::place_text(const Place& place) const {
  std::string text = fmt::format("{}:{}", printable(files_[place.file].name), place.line);
  if (place.time) text += fmt::format(" ({})", format_timestamp(*place.time));
  return text;
}

// First and last sightings get a table of their own: beside the meaning they would make rows
// of ~180 columns, which wrap in most terminals. Same order as the tables above.
void Summary::render_text_seen(std::string& out, bool color) const {
  heading(out, "First and last seen", color);
  TextTable table({{"code", Align::kRight}, {"first", Align::kLeft}, {"last", Align::kLeft}});
  std::vector<const CodeStats*> sorted = sorted_codes();
  std::stable_partition(sorted.begin(), sorted.end(),
                        [](const CodeStats* stats) { return stats->known; });
  for (const CodeStats* stats : sorted)
    table.add({{stats->digits, stats->known ? kBold : kYellow},
               {place_text(stats->first)},
               {stats->count == 1 ? std::string("(once)") : place_text(stats->last)}});
  table.render(out, color);
}

void Summary::render_text_files(std::string& out, bool color) const {
  if (files_.empty()) return;
  heading(out, "Files", color);
  TextTable table({{"lines", Align::kRight},
                   {"bytes", Align::kRight},
                   {"annotated", Align::kRight},
                   {"codes", Align::kRight},
                   {"file", Align::kLeft}});
  for (const FileStats& file : files_) {
    std::string name = printable(file.name);
    if (file.failed) name += " (failed)";
    table.add({{with_commas(file.lines)},
               {format_bytes(file.bytes)},
               {with_commas(file.annotated)},
               {with_commas(file.errors)},
               {std::move(name), file.failed ? kRed : std::string_view()}});
  }
  table.render(out, color);
}

void Summary::render_text_timeline(std::string& out, bool color) const {
  if (timeline_.empty()) {
    heading(out, "Timeline", color);
    out += "  no annotated line starts with a timestamp\n";
    return;
  }
  const Timeline timeline = build_timeline();
  const TimelineScale& scale = timeline.scale;
  heading(out, fmt::format("Timeline ({} per column)", format_duration(scale.width)), color);
  std::vector<std::pair<std::string, uint32_t>> rows{{"all annotated lines", 0}};
  for (const uint32_t i : sorted_categories()) rows.emplace_back(categories_[i], 1 + i);
  size_t label_width = 0;
  for (const auto& row : rows) label_width = std::max(label_width, display_width(row.first));
  for (const auto& [label, row] : rows) {
    const auto& counts = timeline.rows[row];
    uint64_t total = 0;
    for (const uint64_t count : counts) total += count;
    out += "  " + label + std::string(label_width - display_width(label), ' ') + "  │";
    paint(out, sparkline(counts), kCyan, color);
    out += fmt::format("│ {}\n", with_commas(total));
  }
  out +=
      fmt::format("  {}   {} .. {}\n", std::string(label_width, ' '), format_timestamp(scale.start),
                  format_timestamp(scale.start + static_cast<int64_t>(scale.count) * scale.width));
  if (untimed_ > 0)
    out += fmt::format("  {} without a leading timestamp not shown\n",
                       plural(untimed_, "annotated line", "annotated lines"));
}

// ---- JSON -------------------------------------------------------------------------------

void Summary::render_json(std::string& out) const {
  append_totals_json(out);
  const auto sorted = sorted_codes();
  append_code_counts_json("by_code", sorted, false, out);
  append_category_counts_json(out);
  append_code_counts_json("unknown", sorted, true, out);
  append_files_json(out);
  append_codes_json(sorted, out);
  out += ",\"timeline\":";
  append_timeline_json(out);
  out += "}\n";
}

void Summary::append_totals_json(std::string& out) const {
  uint64_t lines = 0, bytes = 0, failed = 0;
  for (const FileStats& file : files_) {
    lines += file.lines;
    bytes += file.bytes;
    failed += file.failed;
  }
  fmt::format_to(std::back_inserter(out),
                 "{{\"lines\":{},\"bytes\":{},\"files_failed\":{},\"annotated\":{},"
                 "\"errors\":{},\"more\":{},\"untimed\":{}",
                 lines, bytes, failed, annotated_, errors_, more_, untimed_);
}

void Summary::append_code_counts_json(std::string_view key,
                                      const std::vector<const CodeStats*>& sorted,
                                      bool only_unknown, std::string& out) const {
  fmt::format_to(std::back_inserter(out), ",\"{}\":{{", key);
  bool first = true;
  for (const CodeStats* stats : sorted) {
    if (only_unknown && stats->known) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(stats->digits, out);
    fmt::format_to(std::back_inserter(out), ":{}", stats->count);
  }
  out += '}';
}

void Summary::append_category_counts_json(std::string& out) const {
  out += ",\"by_category\":{";
  const auto categories = sorted_categories();
  for (size_t i = 0; i < categories.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(categories_[categories[i]], out);
    fmt::format_to(std::back_inserter(out), ":{}", category_counts_[categories[i]]);
  }
  out += '}';
}

void Summary::append_files_json(std::string& out) const {
  out += ",\"files\":[";
  for (size_t i = 0; i < files_.size(); ++i) {
    const FileStats& file = files_[i];
    out += i > 0 ? ",{\"name\":" : "{\"name\":";
    append_json_string(file.name, out);
    fmt::format_to(std::back_inserter(out),
                   ",\"lines\":{},\"bytes\":{},\"annotated\":{},\"errors\":{},\"more\":{},"
                   "\"failed\":{}}}",
                   file.lines, file.bytes, file.annotated, file.errors, file.more, file.failed);
  }
  out += ']';
}

void Summary::append_codes_json(const std::vector<const CodeStats*>& sorted,
                                std::string& out) const {
  out += ",\"codes\":[";
  for (size_t i = 0; i < sorted.size(); ++i) {
    const CodeStats& stats = *sorted[i];
    out += i > 0 ? ",{\"code\":" : "{\"code\":";
    append_json_string(stats.digits, out);
    fmt::format_to(std::back_inserter(out), ",\"known\":{},\"category\":", stats.known);
    append_json_string(categories_[stats.category], out);
    out += ",\"meaning\":";
    append_json_string(stats.known ? std::string_view(stats.meaning) : kUnknownMeaning, out);
    if (stats.known)
      fmt::format_to(std::back_inserter(out), ",\"advice\":\"{}\",\"retry\":{}",
                     advice_name(stats.advice), stats.retryable);
    else
      out += ",\"advice\":null,\"retry\":null";
    fmt::format_to(std::back_inserter(out), ",\"count\":{},\"first\":", stats.count);
    append_place_json(stats.first, out);
    out += ",\"last\":";
    append_place_json(stats.last, out);
    out += '}';
  }
  out += ']';
}

void Summary::append_place_json(const Place& place, std::string& out) const {
  out += "{\"file\":";
  append_json_string(files_[place.file].name, out);
  fmt::format_to(std::back_inserter(out), ",\"line\":{},\"time\":", place.line);
  if (place.time)
    append_json_string(iso_timestamp(*place.time), out);
  else
    out += "null";
  out += '}';
}

void Summary::append_timeline_json(std::string& out) const {
  if (timeline_.empty()) {
    out += "null";
    return;
  }
  const Timeline timeline = build_timeline();
  const TimelineScale& scale = timeline.scale;
  fmt::format_to(std::back_inserter(out),
                 "{{\"bucket_seconds\":{},\"bucket\":\"{}\",\"start\":\"{}\",\"end\":\"{}\","
                 "\"untimed\":{},\"lines\":",
                 scale.width, format_duration(scale.width), iso_timestamp(scale.start),
                 iso_timestamp(scale.start + static_cast<int64_t>(scale.count) * scale.width),
                 untimed_);
  append_counts_json(timeline.rows[0], out);
  out += ",\"categories\":{";
  const auto categories = sorted_categories();
  for (size_t i = 0; i < categories.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(categories_[categories[i]], out);
    out += ':';
    append_counts_json(timeline.rows[1 + categories[i]], out);
  }
  out += "}}";
}

}  // namespace coinone
