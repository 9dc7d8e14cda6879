#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "coinone_annotate/report/metrics.h"
#include "coinone_annotate/report/prometheus_text.h"
#include "report/metrics_samples.h"

using namespace coinone;
using namespace coinone::test;

TEST_SUITE("prometheus_text") {
  TEST_CASE("rendering, line by line") {
    Metrics m(std::vector<CodeLabel>{{"103", "Order / Balance"}, {"4", "Access & Auth"}});
    m.add_read(4096, 40, at_ms(1700000000250));
    const std::array<uint32_t, 1> code_103{0};
    const std::array<std::string_view, 2> unknown{"9999", "10000"};
    m.record_annotation(code_103, unknown);
    m.record_annotation(code_103);
    m.record_read_error();

    const std::string expected =
        "# HELP coinone_annotate_lines_read_total Lines read from the input.\n"
        "# TYPE coinone_annotate_lines_read_total counter\n"
        "coinone_annotate_lines_read_total 40\n"
        "# HELP coinone_annotate_bytes_read_total Bytes read from the input.\n"
        "# TYPE coinone_annotate_bytes_read_total counter\n"
        "coinone_annotate_bytes_read_total 4096\n"
        "# HELP coinone_annotate_annotated_lines_total Lines annotated with at least one error "
        "code.\n"
        "# TYPE coinone_annotate_annotated_lines_total counter\n"
        "coinone_annotate_annotated_lines_total 2\n"
        "# HELP coinone_annotate_errors_total Known Coinone error codes seen, by code.\n"
        "# TYPE coinone_annotate_errors_total counter\n"
        "coinone_annotate_errors_total{code=\"103\",category=\"Order / Balance\"} 2\n"
        "# HELP coinone_annotate_errors_by_category_total Known Coinone error codes seen, by "
        "category.\n"
        "# TYPE coinone_annotate_errors_by_category_total counter\n"
        "coinone_annotate_errors_by_category_total{category=\"Order / Balance\"} 2\n"
        "# HELP coinone_annotate_unknown_codes_total Error codes seen that are not in the code "
        "table.\n"
        "# TYPE coinone_annotate_unknown_codes_total counter\n"
        "coinone_annotate_unknown_codes_total 2\n"
        "# HELP coinone_annotate_unknown_code_total Unknown error codes seen, by code (the first "
        "100 distinct codes only).\n"
        "# TYPE coinone_annotate_unknown_code_total counter\n"
        "coinone_annotate_unknown_code_total{code=\"9999\"} 1\n"
        "coinone_annotate_unknown_code_total{code=\"10000\"} 1\n"
        "# HELP coinone_annotate_read_errors_total Failed reads of the input.\n"
        "# TYPE coinone_annotate_read_errors_total counter\n"
        "coinone_annotate_read_errors_total 1\n"
        "# HELP coinone_annotate_write_errors_total Failed writes of the output.\n"
        "# TYPE coinone_annotate_write_errors_total counter\n"
        "coinone_annotate_write_errors_total 0\n"
        "# HELP coinone_annotate_table_reloads_total Code table reloads that succeeded.\n"
        "# TYPE coinone_annotate_table_reloads_total counter\n"
        "coinone_annotate_table_reloads_total 0\n"
        "# HELP coinone_annotate_table_reload_failures_total Code table reloads that failed.\n"
        "# TYPE coinone_annotate_table_reload_failures_total counter\n"
        "coinone_annotate_table_reload_failures_total 0\n"
        "# HELP coinone_annotate_follow_rotated_files_lost_total Follow: rotated files deleted "
        "(rotate N) before the follower read them.\n"
        "# TYPE coinone_annotate_follow_rotated_files_lost_total counter\n"
        "coinone_annotate_follow_rotated_files_lost_total 0\n"
        "# HELP coinone_annotate_follow_truncations_total Follow: copytruncate rotations; lines "
        "written between the copy and the truncate are lost.\n"
        "# TYPE coinone_annotate_follow_truncations_total counter\n"
        "coinone_annotate_follow_truncations_total 0\n"
        "# HELP coinone_annotate_last_line_timestamp_seconds Unix time of the last read that "
        "returned data (0: none yet).\n"
        "# TYPE coinone_annotate_last_line_timestamp_seconds gauge\n"
        "coinone_annotate_last_line_timestamp_seconds 1700000000.250\n"
        "# HELP coinone_annotate_healthy 1 while reading the input works, 0 while it fails.\n"
        "# TYPE coinone_annotate_healthy gauge\n"
        "coinone_annotate_healthy 1\n";
    const std::string got = render_prometheus(m.snapshot());
    CHECK(got == expected);
    // The same, line by line, so that a failure names the line.
    size_t at = 0;
    while (at < expected.size()) {
      const size_t end = expected.find('\n', at);
      const std::string line = expected.substr(at, end - at);
      CAPTURE(line);
      CHECK(has_line(got, line));
      at = end + 1;
    }
  }

  TEST_CASE("a fresh object renders zeros and a zero timestamp") {
    const std::string got = render_prometheus(Metrics(std::vector<CodeLabel>{}).snapshot());
    CHECK(has_line(got, "coinone_annotate_lines_read_total 0"));
    CHECK(has_line(got, "coinone_annotate_last_line_timestamp_seconds 0.000"));
    CHECK(has_line(got, "# TYPE coinone_annotate_errors_total counter"));
    CHECK(got.find("coinone_annotate_errors_total{") == std::string::npos);
  }

  TEST_CASE("label values are escaped") {
    const struct {
      const char* raw;
      const char* escaped;
    } cases[] = {
        {"plain / text & more", "plain / text & more"},
        {"a\"b", "a\\\"b"},
        {"back\\slash", "back\\\\slash"},
        {"two\nlines", "two\\nlines"},
        {"\\n is not a newline", "\\\\n is not a newline"},
        {"tab\tand\rcr stay", "tab\tand\rcr stay"},
        {"잔고 부족", "잔고 부족"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.raw);
      std::string out;
      append_label_value(c.raw, out);
      CHECK(out == c.escaped);
    }
    Metrics m(std::vector<CodeLabel>{{"1", "q\"\\\n"}});
    const std::array<uint32_t, 1> one{0};
    const std::array<std::string_view, 1> odd{"7\"7"};
    m.record_annotation(one, odd);
    const std::string got = render_prometheus(m.snapshot());
    CHECK(has_line(got, "coinone_annotate_errors_total{code=\"1\",category=\"q\\\"\\\\\\n\"} 1"));
    CHECK(has_line(got, "coinone_annotate_errors_by_category_total{category=\"q\\\"\\\\\\n\"} 1"));
    CHECK(has_line(got, "coinone_annotate_unknown_code_total{code=\"7\\\"7\"} 1"));
  }

  TEST_CASE("the advice label follows the category; without one it is left out") {
    Metrics m(std::vector<CodeLabel>{{"4", "Access & Auth", "contact-coinone"}, {"7", "Other"}});
    const std::array<uint32_t, 2> both{0, 1};
    m.record_annotation(both);
    const std::string got = render_prometheus(m.snapshot());
    CHECK(has_line(got,
                   "coinone_annotate_errors_total{code=\"4\",category=\"Access & Auth\","
                   "advice=\"contact-coinone\"} 1"));
    CHECK(has_line(got, "coinone_annotate_errors_total{code=\"7\",category=\"Other\"} 1"));
    // Categories and unknown codes have no advice of their own.
    CHECK(has_line(got, "coinone_annotate_errors_by_category_total{category=\"Access & Auth\"} 1"));
  }
}
