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
    // The advice class is a label too, so that alerts can select fix-keys or contact-coinone.
    CHECK(labels[0].advice == "check-funds");
    CHECK(labels[1].advice == "contact-coinone");

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
    REQUIRE(s.codes.size() == 1);
    CHECK(s.codes[0].advice == "contact-coinone");
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
}
