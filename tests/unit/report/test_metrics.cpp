#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "coinone_annotate/report/metrics.h"
#include "coinone_annotate/report/metrics_server.h"
#include "coinone_annotate/report/prometheus_text.h"
#include "report/http_client.h"

using namespace coinone;
using coinone::test::http_request;

namespace {

using Clock = std::chrono::system_clock;

Clock::time_point at_ms(int64_t ms) { return Clock::time_point(std::chrono::milliseconds(ms)); }

std::vector<CodeLabel> sample_labels() {
  return {{"103", "Order / Balance"}, {"104", "Order / Balance"}, {"4", "Access & Auth"}};
}

uint64_t count_of(const std::vector<MetricsSnapshot::Count>& counts, std::string_view code,
                  std::string_view category = {}) {
  for (const auto& c : counts) {
    if (c.code == code && (category.empty() || c.category == category)) return c.value;
  }
  return 999999;  // absent
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

}  // namespace

TEST_SUITE("metrics") {
  TEST_CASE("counting") {
    Metrics m(sample_labels());
    m.add_read(100, 3, at_ms(5000));
    m.add_read(0, 0, at_ms(9000));  // no data: the last-line time stays
    m.add_read(20, 1, at_ms(6000));
    const std::array<uint32_t, 2> both{0, 2};
    const std::array<std::string_view, 1> unknown{"9999"};
    m.record_annotation(both, unknown);
    const std::array<uint32_t, 1> first{0};
    m.record_annotation(first);
    const std::array<uint32_t, 1> out_of_range{7};
    m.record_annotation(out_of_range);
    m.record_read_error();
    m.record_write_error();
    m.record_write_error();
    m.record_table_reload();
    m.record_table_reload_failure();

    const MetricsSnapshot s = m.snapshot();
    CHECK(s.lines_read == 4);
    CHECK(s.bytes_read == 120);
    CHECK(s.last_line_time_ms == 6000);
    CHECK(s.annotated_lines == 3);
    CHECK(count_of(s.codes, "103") == 2);
    CHECK(count_of(s.codes, "104") == 999999);  // never seen: no series
    CHECK(count_of(s.codes, "4") == 1);
    REQUIRE(s.categories.size() == 2);
    CHECK(s.categories[0].category == "Order / Balance");
    CHECK(s.categories[0].value == 2);
    CHECK(s.categories[1].category == "Access & Auth");
    CHECK(s.categories[1].value == 1);
    CHECK(s.unknown_codes == 1);
    CHECK(count_of(s.unknown, "9999") == 1);
    CHECK(s.read_errors == 1);
    CHECK(s.write_errors == 2);
    CHECK(s.table_reloads == 1);
    CHECK(s.table_reload_failures == 1);
    CHECK(s.healthy);
    m.set_healthy(false);
    CHECK_FALSE(m.healthy());
    CHECK_FALSE(m.snapshot().healthy);
  }

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

  TEST_CASE("unknown codes: a bounded map in numeric order, all counted in the total") {
    Metrics m(std::vector<CodeLabel>{});
    std::vector<std::string> codes;
    for (int i = 150; i > 0; --i) codes.push_back(std::to_string(i * 100));
    for (const std::string& code : codes) {
      const std::array<std::string_view, 2> twice{code, code};
      m.record_annotation({}, twice);
    }
    const std::string long_code(Metrics::kMaxTrackedUnknownLength + 1, '7');
    const std::array<std::string_view, 1> too_long{long_code};
    m.record_annotation({}, too_long);

    const MetricsSnapshot s = m.snapshot();
    CHECK(s.unknown_codes == 301);
    CHECK(s.annotated_lines == 151);
    REQUIRE(s.unknown.size() == Metrics::kMaxTrackedUnknown);
    // The first 100 seen were 15000 down to 5100; shown in numeric, not text, order.
    CHECK(s.unknown.front().code == "5100");
    CHECK(s.unknown.back().code == "15000");
    for (size_t i = 1; i < s.unknown.size(); ++i) {
      CAPTURE(i);
      CHECK(std::stoi(s.unknown[i - 1].code) < std::stoi(s.unknown[i].code));
      CHECK(s.unknown[i].value == 2);
    }
    CHECK(count_of(s.unknown, "5000") == 999999);
    CHECK(count_of(s.unknown, long_code) == 999999);
  }

  TEST_CASE("set_labels keeps the counts of codes and categories still present") {
    Metrics m(sample_labels());
    const std::array<uint32_t, 3> all{0, 1, 2};
    m.record_annotation(all);
    m.record_annotation(all);
    m.add_read(10, 1, at_ms(1000));
    // 104 leaves, 4 moves to a new place in the list, 131 arrives in a new category.
    m.set_labels(
        {{"4", "Access & Auth"}, {"131", "V2 Nonce / Signature"}, {"103", "Order / Balance"}});
    const std::array<uint32_t, 2> after{1, 2};  // 131 and 103
    m.record_annotation(after);

    const MetricsSnapshot s = m.snapshot();
    REQUIRE(s.codes.size() == 3);
    CHECK(s.codes[0].code == "4");
    CHECK(s.codes[0].value == 2);
    CHECK(s.codes[1].code == "131");
    CHECK(s.codes[1].value == 1);
    CHECK(s.codes[2].code == "103");
    CHECK(s.codes[2].value == 3);
    CHECK(count_of(s.codes, "104") == 999999);
    REQUIRE(s.categories.size() == 3);
    CHECK(s.categories[0].category == "Access & Auth");
    CHECK(s.categories[0].value == 2);
    CHECK(s.categories[1].category == "V2 Nonce / Signature");
    CHECK(s.categories[1].value == 1);
    CHECK(s.categories[2].category == "Order / Balance");
    CHECK(s.categories[2].value == 5);  // 103 and 104 twice each before, 103 once after
    CHECK(s.annotated_lines == 3);
    CHECK(s.lines_read == 1);
  }

  TEST_CASE("set_labels: a code moving to another category never makes a count go down") {
    Metrics m(sample_labels());  // 103, 104: Order / Balance; 4: Access & Auth
    const std::array<uint32_t, 3> all{0, 1, 2};
    m.record_annotation(all);
    const std::array<uint32_t, 1> code_4{2};
    m.record_annotation(code_4);
    m.record_annotation(code_4);
    // 4 (count 3) moves into Order / Balance (total 2, of which 104's 1 leaves with 104): that
    // category takes 4's count on top, 2 + 3; Access & Auth, left with a new code, keeps its 3.
    m.set_labels({{"103", "Order / Balance"}, {"4", "Order / Balance"}, {"5", "Access & Auth"}});
    MetricsSnapshot s = m.snapshot();
    REQUIRE(s.categories.size() == 2);
    CHECK(s.categories[0].category == "Order / Balance");
    CHECK(s.categories[0].value == 5);
    CHECK(s.categories[1].category == "Access & Auth");
    CHECK(s.categories[1].value == 3);
    const std::array<uint32_t, 1> code_5{2};
    m.record_annotation(code_5);
    s = m.snapshot();
    CHECK(s.categories[1].value == 4);
    // Moving it back: Order / Balance keeps 5, Access & Auth gets 4's 3 on top of its 4.
    m.set_labels(sample_labels());
    s = m.snapshot();
    CHECK(s.categories[0].value == 5);
    CHECK(s.categories[1].value == 4 + 3);
    CHECK(count_of(s.codes, "4") == 3);
    // Gone and back: its old count is not remembered, and at zero it has no series.
    CHECK(count_of(s.codes, "104") == 999999);
  }

  TEST_CASE("only codes and categories seen have series, across a reload too") {
    std::vector<CodeLabel> many;
    for (int i = 1; i <= 1000; ++i) many.push_back({std::to_string(i), "C" + std::to_string(i)});
    Metrics m(many);
    const std::array<uint32_t, 2> seen{4, 9};  // codes 5 and 10
    m.record_annotation(seen);
    MetricsSnapshot s = m.snapshot();
    REQUIRE(s.codes.size() == 2);
    CHECK(s.codes[0].code == "5");
    CHECK(s.codes[1].code == "10");
    REQUIRE(s.categories.size() == 2);
    CHECK(s.categories[0].category == "C5");
    CHECK(s.categories[1].category == "C10");
    std::string text = render_prometheus(s);
    CHECK(text.find("} 0\n") == std::string::npos);

    // A prepared list goes in; the old one comes back, for the caller to free.
    std::reverse(many.begin(), many.end());
    auto old = m.set_labels(Metrics::prepare_labels(many));
    CHECK(old != nullptr);
    const std::array<uint32_t, 1> again{999};  // code 1, index 999 after the reversal
    m.record_annotation(again);
    s = m.snapshot();
    REQUIRE(s.codes.size() == 3);  // in the new label order
    CHECK(s.codes[0].code == "10");
    CHECK(s.codes[0].value == 1);
    CHECK(s.codes[1].code == "5");
    CHECK(s.codes[2].code == "1");
    CHECK(s.categories.size() == 3);
    text = render_prometheus(s);
    CHECK(text.find("} 0\n") == std::string::npos);
  }

  TEST_CASE("verdicts map table entries to label indices") {
    CodeTable table;
    table.add({103, "Order / Balance", Advice::kCheckFunds, false, "Lack of balance", ""});
    table.add({4, "Access & Auth", Advice::kContactCoinone, false, "Blocked user access", ""});
    const std::vector<CodeLabel> labels = code_labels(table);
    REQUIRE(labels.size() == 2);
    CHECK(labels[0].code == "103");
    CHECK(labels[0].category == "Order / Balance");
    CHECK(labels[1].code == "4");

    Metrics m(labels);
    CodeTable other;
    other.add({5, "Elsewhere", Advice::kFixRequest, false, "Not this table", ""});
    Verdict verdict;
    verdict.shown.push_back({"4", table.find(4u)});
    verdict.shown.push_back({"9999", nullptr});
    verdict.shown.push_back({"5", other.find(5u)});  // another table's entry: line total only
    verdict.more = 2;
    m.record_annotation(verdict, table);

    const MetricsSnapshot s = m.snapshot();
    CHECK(s.annotated_lines == 1);
    CHECK(count_of(s.codes, "4") == 1);
    CHECK(count_of(s.codes, "103") == 999999);  // not seen: no series
    CHECK(s.unknown_codes == 1);
    CHECK(count_of(s.unknown, "9999") == 1);
  }

  TEST_CASE("two recording threads and a reader") {
    Metrics m(sample_labels());
    constexpr uint64_t kPerThread = 200000;
    auto record = [&m](uint32_t index) {
      const std::array<uint32_t, 1> code{index};
      for (uint64_t i = 0; i < kPerThread; ++i) {
        m.add_read(10, 1);
        m.record_annotation(code);
        if (i % 1000 == 0) {
          const std::array<std::string_view, 1> unknown{"9999"};
          m.record_annotation({}, unknown);
          m.set_healthy(i % 2000 == 0);
        }
      }
    };
    std::thread a(record, 0u);
    std::thread b(record, 1u);
    size_t renders = 0;
    uint64_t last_seen = 0;
    bool monotonic = true;
    for (int i = 0; i < 50; ++i) {
      const MetricsSnapshot s = m.snapshot();
      monotonic = monotonic && s.lines_read >= last_seen;
      last_seen = s.lines_read;
      if (!render_prometheus(m.snapshot()).empty()) ++renders;
    }
    a.join();
    b.join();
    CHECK(monotonic);
    CHECK(renders == 50);
    const MetricsSnapshot s = m.snapshot();
    CHECK(s.lines_read == 2 * kPerThread);
    CHECK(s.bytes_read == 20 * kPerThread);
    CHECK(count_of(s.codes, "103") == kPerThread);
    CHECK(count_of(s.codes, "104") == kPerThread);
    CHECK(s.categories[0].value == 2 * kPerThread);
    CHECK(s.unknown_codes == 2 * kPerThread / 1000);
    CHECK(count_of(s.unknown, "9999") == 2 * kPerThread / 1000);
    CHECK(s.annotated_lines == 2 * kPerThread + 2 * kPerThread / 1000);
  }

  TEST_CASE("listen addresses") {
    const struct {
      const char* text;
      const char* host;  // null: an error is expected
      int port;
    } cases[] = {
        {"9464", "127.0.0.1", 9464},
        {":9464", "127.0.0.1", 9464},
        {"0.0.0.0:80", "0.0.0.0", 80},
        {"localhost:0", "localhost", 0},
        {"[::1]:9464", "::1", 9464},
        {"[::]:65535", "::", 65535},
        {"", nullptr, 0},
        {":", nullptr, 0},
        {"host:", nullptr, 0},
        {"65536", nullptr, 0},
        {"-1", nullptr, 0},
        {"+80", nullptr, 0},
        {"9464x", nullptr, 0},
        {"000009464", nullptr, 0},
        {"::1:9464", nullptr, 0},
        {"[::1]", nullptr, 0},
        {"[]:80", nullptr, 0},
        {"[::1]9464", nullptr, 0},
    };
    for (const auto& c : cases) {
      CAPTURE(c.text);
      std::string error;
      const auto got = parse_listen_address(c.text, error);
      if (c.host == nullptr) {
        CHECK_FALSE(got.has_value());
        CHECK_FALSE(error.empty());
      } else {
        REQUIRE(got.has_value());
        CHECK(got->host == c.host);
        CHECK(got->port == c.port);
      }
    }
    CHECK(format_listen_address({"::1", 9464}) == "[::1]:9464");
    CHECK(format_listen_address({"127.0.0.1", 80}) == "127.0.0.1:80");
  }

  TEST_CASE("HTTP: /metrics, /healthz, 404, a busy port, prompt stop") {
    Metrics metrics(sample_labels());
    const std::array<uint32_t, 1> code{0};
    metrics.record_annotation(code);
    metrics.add_read(7, 1, at_ms(42000));

    std::string error;
    auto server = MetricsServer::start("127.0.0.1:0", metrics, error);
    REQUIRE_MESSAGE(server != nullptr, error);
    CHECK(error.empty());
    CHECK(server->port() > 0);
    CHECK(server->address() == "127.0.0.1:" + std::to_string(server->port()));

    const int port = server->port();
    auto res = http_request(port, "GET", "/metrics");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->header("Content-Type").starts_with("text/plain; version=0.0.4"));
    CHECK(res->body == render_prometheus(metrics.snapshot()));
    CHECK(has_line(res->body,
                   "coinone_annotate_errors_total{code=\"103\",category=\"Order / Balance\"} 1"));
    CHECK(has_line(res->body, "coinone_annotate_last_line_timestamp_seconds 42.000"));

    res = http_request(port, "GET", "/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "ok\n");

    metrics.set_healthy(false);
    res = http_request(port, "GET", "/healthz");
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(res->body == "unhealthy\n");
    metrics.set_health(false, "/logs/bot.log: Permission denied");
    res = http_request(port, "GET", "/healthz");
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(res->body == "unhealthy: /logs/bot.log: Permission denied\n");
    metrics.set_healthy(true);
    res = http_request(port, "GET", "/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);

    res = http_request(port, "GET", "/elsewhere");
    REQUIRE(res);
    CHECK(res->status == 404);
    // #16: another method on a served path is 405 (it was 404 while only GET was routed).
    res = http_request(port, "POST", "/metrics");
    REQUIRE(res);
    CHECK(res->status == 405);

    // The port is taken: a second server says so, by name.
    const std::string taken = "127.0.0.1:" + std::to_string(server->port());
    auto second = MetricsServer::start(taken, metrics, error);
    CHECK(second == nullptr);
    CHECK(error == "cannot listen on " + taken + ": Address already in use");

    const auto before = std::chrono::steady_clock::now();
    server->stop();
    const auto took = std::chrono::steady_clock::now() - before;
    CHECK(took < std::chrono::milliseconds(100));
    server->stop();                                      // idempotent
    CHECK_FALSE(http_request(port, "GET", "/healthz"));  // nobody listens any more
  }

  TEST_CASE("HTTP: stop right after start, destructor stops, bad addresses") {
    Metrics metrics(std::vector<CodeLabel>{});
    std::string error;
    for (int i = 0; i < 20; ++i) {
      const auto before = std::chrono::steady_clock::now();
      auto server = MetricsServer::start("0", metrics, error);
      REQUIRE_MESSAGE(server != nullptr, error);
      server.reset();  // the destructor stops and joins
      CHECK(std::chrono::steady_clock::now() - before < std::chrono::milliseconds(100));
    }
    CHECK(MetricsServer::start("nonsense", metrics, error) == nullptr);
    CHECK(error.starts_with("bad port in 'nonsense'"));
    CHECK(MetricsServer::start("192.0.2.1:0", metrics, error) == nullptr);  // not our address
    CHECK(error == "cannot listen on 192.0.2.1:0: Cannot assign requested address");
  }

  TEST_CASE("HTTP over IPv6 loopback, where the host has it") {
    Metrics metrics(std::vector<CodeLabel>{});
    std::string error;
    auto server = MetricsServer::start("[::1]:0", metrics, error);
    if (server == nullptr) {
      MESSAGE("no IPv6 loopback here: " << error);
      return;
    }
    CHECK(server->address() == "[::1]:" + std::to_string(server->port()));
    auto res = http_request(server->port(), "GET", "/healthz", "::1");
    REQUIRE(res);
    CHECK(res->status == 200);
  }
}
