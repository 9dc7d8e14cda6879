#include "coinone_annotate/report/prometheus_text.h"

#include <fmt/format.h>

#include <iterator>
#include <utility>

namespace coinone {

void append_label_value(std::string_view value, std::string& out) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

namespace {

constexpr std::string_view kPrefix = "coinone_annotate_";

void append_family(std::string_view name, std::string_view type, std::string_view help,
                   std::string& out) {
  fmt::format_to(std::back_inserter(out), "# HELP {}{} {}\n# TYPE {}{} {}\n", kPrefix, name, help,
                 kPrefix, name, type);
}

void append_counter(std::string_view name, std::string_view help, uint64_t value,
                    std::string& out) {
  append_family(name, "counter", help, out);
  fmt::format_to(std::back_inserter(out), "{}{} {}\n", kPrefix, name, value);
}

// One sample with labels; an empty code, category, advice or file leaves that label out.
void append_labelled(std::string_view name, const MetricsSnapshot::Count& count, std::string& out) {
  fmt::format_to(std::back_inserter(out), "{}{}{{", kPrefix, name);
  const std::pair<std::string_view, std::string_view> labels[] = {{"code", count.code},
                                                                  {"category", count.category},
                                                                  {"advice", count.advice},
                                                                  {"file", count.file}};
  const char* separator = "";
  for (const auto& [label, value] : labels) {
    if (value.empty()) continue;
    fmt::format_to(std::back_inserter(out), "{}{}=\"", separator, label);
    append_label_value(value, out);
    out += '"';
    separator = ",";
  }
  fmt::format_to(std::back_inserter(out), "}} {}\n", count.value);
}

void append_labelled_counter(std::string_view name, std::string_view help,
                             const std::vector<MetricsSnapshot::Count>& counts, std::string& out) {
  append_family(name, "counter", help, out);
  for (const auto& count : counts) append_labelled(name, count, out);
}

}  // namespace

std::string render_prometheus(const MetricsSnapshot& s) {
  std::string out;
  out.reserve(1024 + 96 * (s.codes.size() + s.categories.size() + s.unknown.size()));
  append_counter("lines_read_total", "Lines read from the input.", s.lines_read, out);
  append_counter("bytes_read_total", "Bytes read from the input.", s.bytes_read, out);
  append_counter("annotated_lines_total", "Lines annotated with at least one error code.",
                 s.annotated_lines, out);
  append_labelled_counter("errors_total", "Known Coinone error codes seen, by code.", s.codes, out);
  append_labelled_counter("errors_by_category_total",
                          "Known Coinone error codes seen, by category.", s.categories, out);
  append_counter("unknown_codes_total", "Error codes seen that are not in the code table.",
                 s.unknown_codes, out);
  append_labelled_counter(
      "unknown_code_total",
      fmt::format("Unknown error codes seen, by code (the first {} distinct codes only).",
                  Metrics::kMaxTrackedUnknown),
      s.unknown, out);
  append_counter("read_errors_total", "Failed reads of the input.", s.read_errors, out);
  append_counter("write_errors_total", "Failed writes of the output.", s.write_errors, out);
  append_counter("table_reloads_total", "Code table reloads that succeeded.", s.table_reloads, out);
  append_counter("table_reload_failures_total", "Code table reloads that failed.",
                 s.table_reload_failures, out);
  append_counter("follow_rotated_files_lost_total",
                 "Follow: rotated files deleted (rotate N) before the follower read them.",
                 s.rotated_files_lost, out);
  append_counter("follow_truncations_total",
                 "Follow: copytruncate rotations; lines written between the copy and the "
                 "truncate are lost.",
                 s.truncations, out);
  if (!s.follow_files.empty())
    append_labelled_counter(
        "follow_lines_total",
        "Follow: lines passed on per file (a bounded number of files by name, the rest as "
        "\"(other)\").",
        s.follow_files, out);
  append_family("last_line_timestamp_seconds", "gauge",
                "Unix time of the last read that returned data (0: none yet).", out);
  fmt::format_to(std::back_inserter(out), "{}last_line_timestamp_seconds {}.{:03}\n", kPrefix,
                 s.last_line_time_ms / 1000, s.last_line_time_ms % 1000);
  append_family("healthy", "gauge", "1 while reading the input works, 0 while it fails.", out);
  fmt::format_to(std::back_inserter(out), "{}healthy {}\n", kPrefix, s.healthy ? 1 : 0);
  return out;
}

}  // namespace coinone
