// The summary as one JSON object (--summary=json); keys and order are documented in summary.h.
#include <fmt/format.h>

#include <iterator>

#include "coinone_annotate/base/json_text.h"
#include "coinone_annotate/report/summary.h"

namespace coinone {

namespace {

void append_counts_json(const std::vector<uint64_t>& counts, std::string& out) {
  out += '[';
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) out += ',';
    fmt::format_to(std::back_inserter(out), "{}", counts[i]);
  }
  out += ']';
}

}  // namespace

void Summary::render_json(std::string& out) const {
  append_totals_json(out);
  const auto sorted = sorted_codes();
  append_code_counts_json("by_code", sorted, false, out);
  append_category_counts_json(out);
  append_code_counts_json("unknown", sorted, true, out);
  if (const uint64_t others = unknown_others(); others > 0)
    fmt::format_to(std::back_inserter(out), ",\"unknown_others\":{}", others);
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
                 "\"errors\":{},\"more\":{},\"untimed\":{},\"time_zone\":",
                 lines, bytes, failed, annotated_, errors_, more_, untimed_);
  append_json_string(zone_.name(), out);
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
    append_json_string(category_name(categories[i]), out);
    fmt::format_to(std::back_inserter(out), ":{}", category_counts_[categories[i]]);
  }
  out += '}';
}

void Summary::append_files_json(std::string& out) const {
  out += ",\"files\":[";
  bool first = true;
  for (const uint32_t i : sorted_files()) {
    const FileStats& file = files_[i];
    out += first ? "{\"name\":" : ",{\"name\":";
    first = false;
    append_json_string(file.name, out);
    fmt::format_to(std::back_inserter(out),
                   ",\"lines\":{},\"bytes\":{},\"annotated\":{},\"errors\":{},\"more\":{},"
                   "\"failed\":{},\"first\":",
                   file.lines, file.bytes, file.annotated, file.errors, file.more, file.failed);
    append_time_json(file.first_time, out);
    out += ",\"last\":";
    append_time_json(file.last_time, out);
    out += '}';
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
    append_json_string(category_name(stats.category), out);
    const std::string_view english =
        stats.known ? std::string_view(stats.meaning) : kUnknownMeaning;
    const std::string_view korean =
        stats.known ? std::string_view(stats.korean) : kUnknownMeaningKo;
    if (lang_ == Lang::kBoth) {
      out += ",\"meaning_en\":";
      append_json_string(english, out);
      if (!korean.empty()) {
        out += ",\"meaning_ko\":";
        append_json_string(korean, out);
      }
    } else {
      out += ",\"meaning\":";
      append_json_string(lang_ == Lang::kKorean && !korean.empty() ? korean : english, out);
    }
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
  append_time_json(place.time, out);
  out += '}';
}

// "2026-11-20T09:15:02+09:00" (ISO 8601 with the report zone's offset), or null.
void Summary::append_time_json(std::optional<int64_t> time, std::string& out) const {
  if (time)
    append_json_string(time_text(*time, 'T'), out);
  else
    out += "null";
}

void Summary::append_timeline_json(std::string& out) const {
  if (timeline_.empty()) {
    out += "null";
    return;
  }
  const TimelineGrid timeline = timeline_grid();
  const TimelineScale& scale = timeline.scale;
  fmt::format_to(std::back_inserter(out),
                 "{{\"bucket_seconds\":{},\"bucket\":\"{}\",\"start\":\"{}\",\"end\":\"{}\","
                 "\"untimed\":{},\"lines\":",
                 scale.width, format_duration(scale.width), time_text(scale.start, 'T'),
                 time_text(scale.start + static_cast<int64_t>(scale.count) * scale.width, 'T'),
                 untimed_);
  append_counts_json(timeline.rows[0], out);
  out += ",\"categories\":{";
  const auto categories = sorted_categories();
  for (size_t i = 0; i < categories.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(category_name(categories[i]), out);
    out += ':';
    append_counts_json(timeline.rows[1 + categories[i]], out);
  }
  out += "}}";
}

}  // namespace coinone
