// The summary as text for a terminal: aligned tables, colours by advice, sparklines.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include "coinone_annotate/report/summary.h"

namespace coinone {

namespace {

// Terminal columns of UTF-8 text: one per code point, two for the wide CJK and Hangul ranges
// U+3000..U+DFFF (lead bytes 0xE3..0xED), which --lang ko puts in the report. Other wide
// characters (Hangul Jamo, emoji) would misalign by a column, which we accept.
size_t display_width(std::string_view text) {
  size_t width = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) width += byte >= 0xE3 && byte <= 0xED ? 2 : 1;
  }
  return width;
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
  for (const CodeStats* stats : sorted_codes()) ++distinct[stats->category];
  const bool others = unknown_others() > 0;  // "100+": more unknown codes than listed
  const uint64_t total = errors_ - more_;
  TextTable table({{"count", Align::kRight},
                   {"share", Align::kRight},
                   {"codes", Align::kRight},
                   {"category", Align::kLeft}});
  for (const uint32_t i : sorted_categories()) {
    const uint64_t count = category_counts_[i];
    table.add(
        {{with_commas(count)},
         {fmt::format("{}%", (count * 100 + total / 2) / total)},
         {with_commas(distinct[i]) + (others && categories_[i] == kUnknownCategory ? "+" : "")},
         {std::string(category_name(i))}});
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
               {std::string(category_name(stats->category))},
               {meaning_text(*stats)},
               {std::string(advice_words(stats->advice)), advice_color(stats->advice)},
               {stats->retryable ? "yes" : "no"}});
  }
  if (unknowns < sorted.size()) {
    heading(out, "By code", color);
    known.render(out, color);
  }
  if (unknowns > 0) {
    heading(out, fmt::format("Unknown codes ({})", kUnknownMeaning), color);
    unknown.render(out, color);
    if (const uint64_t others = unknown_others(); others > 0)
      out += fmt::format("  and {} of other unknown codes (the {} most frequent are listed)\n",
                         plural(others, "occurrence", "occurrences"), kShownUnknownCodes);
  }
}

std::string Summary::place_text(const Place& place) const {
  std::string text = fmt::format("{}:{}", printable(files_[place.file].name), place.line);
  if (place.time) text += fmt::format(" ({})", time_text(*place.time));
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
  for (const uint32_t i : sorted_files()) {
    const FileStats& file = files_[i];
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
  const TimelineGrid timeline = timeline_grid();
  const TimelineScale& scale = timeline.scale;
  heading(out, fmt::format("Timeline ({} per column)", format_duration(scale.width)), color);
  std::vector<std::pair<std::string, uint32_t>> rows{{"all annotated lines", 0}};
  for (const uint32_t i : sorted_categories()) rows.emplace_back(category_name(i), 1 + i);
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
  out += fmt::format("  {}   {} .. {}\n", std::string(label_width, ' '), time_text(scale.start),
                     time_text(scale.start + static_cast<int64_t>(scale.count) * scale.width));
  if (untimed_ > 0)
    out += fmt::format("  {} without a leading timestamp not shown\n",
                       plural(untimed_, "annotated line", "annotated lines"));
}

}  // namespace coinone
