#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "coinone_annotate/report/summary.h"

#ifndef COINONE_TEST_DATA_DIR
#define COINONE_TEST_DATA_DIR "tests"
#endif

using namespace coinone;

namespace {

constexpr int64_t kNineFifteen = 1795166102;  // 2026-11-20 09:15:02 UTC (calendar.timegm)

struct Fixture {
  std::shared_ptr<const CodeTable> table = std::make_shared<CodeTable>(builtin_code_table());
  Summary summary{table};

  Verdict verdict(std::initializer_list<const char*> codes, size_t more = 0) const {
    Verdict made;
    for (const char* code : codes) made.shown.push_back({code, table->find(code)});
    made.more = more;
    return made;
  }
  void record(uint64_t line, std::string_view text, std::initializer_list<const char*> codes,
              size_t more = 0) {
    summary.record(line, text, verdict(codes, more));
  }
  std::string text(bool color = false) const {
    std::string out;
    summary.render_text(out, color);
    return out;
  }
  std::string json() const {
    std::string out;
    summary.render_json(out);
    return out;
  }
};

TimeZone seoul() {
  std::string error;
  const auto zone = TimeZone::locate("Asia/Seoul", error);
  INFO(error);
  REQUIRE(zone.has_value());
  return *zone;
}

// The text report's line for unknown codes left out of the list.
std::string fmt_others(uint64_t count) {
  std::string digits = std::to_string(count);
  for (size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, 1, ',');
  return "  and " + digits +
         " occurrences of other unknown codes (the 100 most frequent are listed)\n";
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The codes in a golden-summary line, as the matcher finds them there: every "error_code":"N",
// distinct, in order. The golden input uses only this shape, so this is enough of an oracle.
std::vector<std::string> golden_codes(std::string_view line) {
  constexpr std::string_view kKey = "\"error_code\":\"";
  std::vector<std::string> codes;
  for (size_t at = line.find(kKey); at != std::string_view::npos; at = line.find(kKey, at)) {
    at += kKey.size();
    std::string code(line.substr(at, line.find('"', at) - at));
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  return codes;
}

}  // namespace

TEST_SUITE("summary") {
  TEST_CASE("the report follows --lang") {
    Fixture ko;
    ko.summary.set_lang(Lang::kKorean);
    ko.summary.begin_file("bot.log");
    ko.record(1, "x", {"103", "316"});
    ko.record(2, "x", {"9999"});
    const std::string text = ko.text();
    CAPTURE(text);
    // Hangul is two columns wide: "주문 / 잔고" takes 10, like "Order Rules" plus one.
    CHECK(contains(text, "      1    33%      1  주문 / 잔고\n"));
    CHECK(contains(text, "      1   103  주문 / 잔고  잔고가 부족 합니다.  잔고-확인  no\n"));
    CHECK(contains(text, "      1   316  주문 규칙    Invalid range        요청-수정  no\n"));
    CHECK(contains(text, "      1    33%      1  알 수 없음\n"));
    CHECK(contains(ko.json(), R"("category":"주문 / 잔고","meaning":"잔고가 부족 합니다.",)"
                              R"("advice":"check-funds")"));
    Fixture both;
    both.summary.set_lang(Lang::kBoth);
    both.summary.begin_file("bot.log");
    both.record(1, "x", {"103", "316"});
    CHECK(contains(both.text(), "Lack of balance / 잔고가 부족 합니다."));
    const std::string json = both.json();
    CHECK(contains(json, R"("category":"Order / Balance","meaning_en":"Lack of balance",)"
                         R"("meaning_ko":"잔고가 부족 합니다.","advice":"check-funds")"));
    CHECK(contains(json, R"("meaning_en":"Invalid range","advice":"fix-request")"));
  }

  TEST_CASE("codes are sorted by count, then numerically") {
    Fixture f;
    f.summary.begin_file("bot.log");
    f.record(1, "x", {"107"});
    f.record(2, "x", {"12"});
    f.record(3, "x", {"4"});
    f.record(4, "x", {"131", "103"});
    f.record(5, "x", {"131"});
    f.summary.end_file(5, 10, false);
    const std::string json = f.json();
    CAPTURE(json);
    CHECK(contains(json, "\"by_code\":{\"131\":2,\"4\":1,\"12\":1,\"103\":1,\"107\":1}"));
    // Categories by count, then name: Access & Auth 2 (4, 12), V2 Nonce 2, then the ones.
    CHECK(contains(json,
                   "\"by_category\":{\"Access & Auth\":2,\"V2 Nonce / Signature\":2,"
                   "\"Order / Balance\":1,\"Parameter / Format\":1}"));
    const std::string text = f.text();
    CAPTURE(text);
    const size_t at_131 = text.find("  131  V2 Nonce");
    const size_t at_4 = text.find("    4  Access & Auth");
    const size_t at_107 = text.find("  107  Parameter / Format");
    CHECK(at_131 < at_4);
    CHECK(at_4 < at_107);
    CHECK(at_107 != std::string::npos);
  }

  TEST_CASE("totals, more and per-file counts") {
    Fixture f;
    f.summary.begin_file("a.log");
    f.record(3, "x", {"103"});
    f.record(9, "x", {"103", "131"}, 2);
    f.summary.end_file(10, 2048, false);
    f.summary.begin_file("b.log");
    f.summary.end_file(0, 0, true);
    f.summary.begin_file("c.log");
    f.record(1, "x", {"131"});
    f.summary.end_file(1, 100, false);
    const std::string json = f.json();
    CAPTURE(json);
    CHECK(
        json.starts_with("{\"lines\":11,\"bytes\":2148,\"files_failed\":1,\"annotated\":3,"
                         "\"errors\":6,\"more\":2,\"untimed\":3,"));
    CHECK(contains(json,
                   "\"files\":["
                   "{\"name\":\"a.log\",\"lines\":10,\"bytes\":2048,\"annotated\":2,"
                   "\"errors\":5,\"more\":2,\"failed\":false,\"first\":null,\"last\":null},"
                   "{\"name\":\"b.log\",\"lines\":0,\"bytes\":0,\"annotated\":0,"
                   "\"errors\":0,\"more\":0,\"failed\":true,\"first\":null,\"last\":null},"
                   "{\"name\":\"c.log\",\"lines\":1,\"bytes\":100,\"annotated\":1,"
                   "\"errors\":1,\"more\":0,\"failed\":false,\"first\":null,\"last\":null}]"));
    const std::string text = f.text();
    CAPTURE(text);
    CHECK(contains(text, "  read       3 files (1 failed), 11 lines, 2.1 KiB\n"));
    CHECK(contains(text, "  annotated  3 lines, 6 codes (2 beyond the 8 shown per line)\n"));
    CHECK(contains(text, "     10  2.0 KiB          2      5  a.log\n"));
    CHECK(contains(text, "      0      0 B          0      0  b.log (failed)\n"));
    CHECK(contains(text, "1 annotated line without") == false);
    CHECK(contains(text, "no annotated line starts with a timestamp"));
  }

  TEST_CASE("first and last place, across files") {
    Fixture f;
    f.summary.begin_file("bot.log.1");
    f.record(7, "2026-11-20T09:15:02Z x", {"131"});
    f.record(8, "no time", {"131"});
    f.summary.end_file(8, 80, false);
    f.summary.begin_file("bot.log");
    f.record(2, "[2026-11-20 10:00:00] x", {"131"});
    f.record(4, "2026-11-20T11:00:00+09:00 x", {"103"});
    f.summary.end_file(4, 40, false);
    const std::string json = f.json();
    CAPTURE(json);
    CHECK(contains(json,
                   "\"count\":3,"
                   "\"first\":{\"file\":\"bot.log.1\",\"line\":7,"
                   "\"time\":\"2026-11-20T09:15:02+00:00\"},"
                   "\"last\":{\"file\":\"bot.log\",\"line\":2,"
                   "\"time\":\"2026-11-20T10:00:00+00:00\"}}"));
    CHECK(contains(json,
                   "\"first\":{\"file\":\"bot.log\",\"line\":4,"
                   "\"time\":\"2026-11-20T02:00:00+00:00\"}"));
    const std::string text = f.text();
    CAPTURE(text);
    CHECK(contains(text,
                   "   131  bot.log.1:7 (2026-11-20 09:15:02+00:00)  "
                   "bot.log:2 (2026-11-20 10:00:00+00:00)\n"));
    CHECK(contains(text, "   103  bot.log:4 (2026-11-20 02:00:00+00:00)    (once)\n"));
  }

  TEST_CASE("first and last seen follow the timestamps, not the order of the files") {
    Fixture f;
    // `bot.log*`: the shell lists the newest file first.
    f.summary.begin_file("bot.log");
    f.record(1, "2026-11-20 10:00:00,000 x", {"103"});
    f.record(2, "2026-11-20 10:30:00,000 x", {"131"});
    f.summary.end_file(2, 60, false);
    f.summary.begin_file("bot.log.1");
    f.record(1, "2026-11-20 08:00:00,000 x", {"103"});
    f.record(2, "2026-11-20 08:00:00,000 same time, later line", {"103"});
    f.record(3, "2026-11-20 09:00:00,000 x", {"131"});
    f.summary.end_file(3, 90, false);
    const std::string json = f.json();
    CAPTURE(json);
    CHECK(contains(json,
                   "\"code\":\"103\",\"known\":true,\"category\":\"Order / Balance\","
                   "\"meaning\":\"Lack of balance\",\"advice\":\"check-funds\",\"retry\":false,"
                   "\"count\":3,"
                   "\"first\":{\"file\":\"bot.log.1\",\"line\":1,"
                   "\"time\":\"2026-11-20T08:00:00+00:00\"},"
                   "\"last\":{\"file\":\"bot.log\",\"line\":1,"
                   "\"time\":\"2026-11-20T10:00:00+00:00\"}}"));
    CHECK(contains(json,
                   "\"count\":2,"
                   "\"first\":{\"file\":\"bot.log.1\",\"line\":3,"
                   "\"time\":\"2026-11-20T09:00:00+00:00\"},"
                   "\"last\":{\"file\":\"bot.log\",\"line\":2,"
                   "\"time\":\"2026-11-20T10:30:00+00:00\"}}"));
    // The per-file rows too, in JSON and in text.
    CHECK(contains(json, "\"files\":[{\"name\":\"bot.log.1\","));
    CHECK(contains(json,
                   "\"first\":\"2026-11-20T08:00:00+00:00\",\"last\":\"2026-11-20T09:00:00+00:00\"}"
                   ",{\"name\":\"bot.log\","));
    const std::string text = f.text();
    CAPTURE(text);
    CHECK(contains(text,
                   "   103  bot.log.1:1 (2026-11-20 08:00:00+00:00)  "
                   "bot.log:1 (2026-11-20 10:00:00+00:00)\n"));
    CHECK(contains(text,
                   "      3   90 B          3      3  bot.log.1\n"
                   "      2   60 B          2      2  bot.log\n"));
  }

  TEST_CASE("a sighting without a timestamp is first or last only among untimed ones") {
    const struct {
      std::vector<std::string_view> lines;  // in reading order, all with code 103
      uint64_t first, last;                 // line numbers expected
    } cases[] = {
        {{"no time", "2026-11-20T09:00:00Z", "no time"}, 2, 2},
        {{"no time", "no time", "no time"}, 1, 3},
        {{"2026-11-20T09:00:00Z", "no time", "2026-11-20T08:00:00Z"}, 3, 1},
        {{"no time", "2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z"}, 2, 3},
    };
    for (const auto& c : cases) {
      Fixture f;
      uint64_t number = 0;
      for (const std::string_view line : c.lines) f.record(++number, line, {"103"});
      const std::string json = f.json();
      CAPTURE(json);
      CHECK(contains(json, "\"first\":{\"file\":\"-\",\"line\":" + std::to_string(c.first) + ","));
      CHECK(contains(json, "\"last\":{\"file\":\"-\",\"line\":" + std::to_string(c.last) + ","));
    }
  }

  TEST_CASE("files without an annotated timestamp follow the timed ones, in reading order") {
    Fixture f;
    for (const char* name : {"a.log", "b.log", "c.log", "d.log"}) {
      f.summary.begin_file(name);
      if (name[0] == 'b') f.record(1, "2026-11-20T09:00:00Z", {"103"});
      if (name[0] == 'd') f.record(1, "2026-11-20T08:00:00Z", {"103"});
      if (name[0] == 'c') f.record(1, "no time", {"103"});
      f.summary.end_file(1, 10, false);
    }
    const std::string json = f.json();
    CAPTURE(json);
    const auto at = [&](const char* name) { return json.find(std::string("{\"name\":\"") + name); };
    CHECK(at("d.log") < at("b.log"));
    CHECK(at("b.log") < at("a.log"));
    CHECK(at("a.log") < at("c.log"));
    CHECK(contains(json,
                   "\"name\":\"a.log\",\"lines\":1,\"bytes\":10,\"annotated\":0,\"errors\":0,"
                   "\"more\":0,\"failed\":false,\"first\":null,\"last\":null}"));
  }

  TEST_CASE("times without a zone are read in the report's zone, and printed with its offset") {
    Fixture f;
    f.summary.set_time_zone(seoul());
    f.summary.begin_file("json.log");  // a JSON logger writes UTC
    f.record(1, "{\"ts\":\"2026-11-28T00:00:01Z\",\"msg\":\"x\"}", {"131"});
    f.summary.begin_file("py.log");  // Python's logging writes the local time, without a zone
    f.record(1, "2026-11-28 09:00:01,250 ERROR", {"131"});
    const std::string json = f.json();
    CAPTURE(json);
    CHECK(contains(json, "\"time_zone\":\"Asia/Seoul\""));
    CHECK(contains(json,
                   "\"first\":{\"file\":\"json.log\",\"line\":1,"
                   "\"time\":\"2026-11-28T09:00:01+09:00\"},"
                   "\"last\":{\"file\":\"py.log\",\"line\":1,"
                   "\"time\":\"2026-11-28T09:00:01+09:00\"}}"));
    CHECK(contains(json,
                   "\"start\":\"2026-11-28T09:00:01+09:00\","
                   "\"end\":\"2026-11-28T09:00:02+09:00\",\"untimed\":0,\"lines\":[2],"));
    const std::string text = f.text();
    CAPTURE(text);
    CHECK(contains(text,
                   "   131  json.log:1 (2026-11-28 09:00:01+09:00)  "
                   "py.log:1 (2026-11-28 09:00:01+09:00)\n"));
    CHECK(contains(text, "2026-11-28 09:00:01+09:00 .. 2026-11-28 09:00:02+09:00\n"));
  }

  TEST_CASE("record_at() with line_time() read beforehand gives record()'s report (-j)") {
    const std::vector<std::string_view> lines = {
        "{\"ts\":\"2026-11-28T00:00:01Z\",\"msg\":\"x\"}",  // zoned
        "2026-11-28 09:00:01,250 ERROR",                    // zoneless: read in Seoul
        "no timestamp",
        "Nov 28 09:00:05 bot: error",  // syslog
    };
    Fixture direct, later;
    for (Fixture* f : {&direct, &later}) {
      f->summary.set_time_zone(seoul());
      f->summary.set_syslog_year(SyslogYear{2026});
      f->summary.begin_file("a.log");
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      CAPTURE(lines[i]);
      direct.record(i + 1, lines[i], {"131"});
      later.summary.record_at(i + 1, later.summary.line_time(lines[i]), later.verdict({"131"}));
    }
    CHECK(later.summary.line_time(lines[1]).has_value());
    CHECK_FALSE(later.summary.line_time(lines[1])->zoned);  // the zone is applied when recorded
    CHECK(later.json() == direct.json());
    CHECK(later.text() == direct.text());
    // Line 2 at 09:00:01 Seoul, not 18:00:01: the last is the syslog line.
    CHECK(contains(later.json(),
                   "\"last\":{\"file\":\"a.log\",\"line\":4,"
                   "\"time\":\"2026-11-28T09:00:05+09:00\"}"));
  }

  TEST_CASE("unknown codes have their own section") {
    Fixture f;
    f.record(1, "x", {"9999"});
    f.record(2, "x", {"9999", "103"});
    f.record(3, "x", {"88888888888888888888888"});  // longer than any integer type
    const std::string json = f.json();
    CAPTURE(json);
    CHECK(contains(json, "\"unknown\":{\"9999\":2,\"88888888888888888888888\":1}"));
    CHECK(contains(json, "\"by_category\":{\"unknown\":3,\"Order / Balance\":1}"));
    CHECK(contains(json,
                   "{\"code\":\"9999\",\"known\":false,\"category\":\"unknown\","
                   "\"meaning\":\"not in the code table\",\"advice\":null,"
                   "\"retry\":null,\"count\":2,"
                   "\"first\":{\"file\":\"-\",\"line\":1,\"time\":null}"));
    const std::string text = f.text();
    CAPTURE(text);
    CHECK(contains(text,
                   "Unknown codes (not in the code table)\n"
                   "  count                     code\n"
                   "      2                     9999\n"
                   "      1  88888888888888888888888\n"));
    CHECK_FALSE(contains(text, "  9999  unknown"));  // not in the known-code table
  }

  TEST_CASE("unknown codes: the most frequent are kept, the rest counted as others, bounded") {
    static_assert(Summary::kShownUnknownCodes == 100 && Summary::kTrackedUnknownCodes == 1000);
    Fixture f;
    // 200 000 distinct codes once each, two frequent ones among them, and a table code.
    constexpr uint64_t kDistinct = 200000;
    uint64_t line = 0;
    for (uint64_t i = 0; i < kDistinct; ++i) {
      const std::string code = std::to_string(1000000 + i);
      Verdict v;
      v.shown.push_back({code, nullptr});
      if (i % 40 == 0) v.shown.push_back({"77777", nullptr});
      if (i % 50 == 0) v.shown.push_back({"103", f.table->find("103")});
      if (i % 80 == 0) v.shown.push_back({"88888", nullptr});
      f.summary.record(++line, "x", v);
    }
    const std::string json = f.json();
    CAPTURE(json.substr(0, 2000));
    CHECK(json.size() < 64 * 1024);
    // The frequent codes are there with their exact counts.
    CHECK(contains(json, "\"by_code\":{\"77777\":5000,\"103\":4000,\"88888\":2500,"));
    CHECK(contains(json, "\"unknown\":{\"77777\":5000,\"88888\":2500,"));
    CHECK(contains(json, "\"by_category\":{\"unknown\":207500,\"Order / Balance\":4000}"));
    // At most kShownUnknownCodes unknown codes are listed; the others are counted.
    const size_t unknown_at = json.find("\"unknown\":{");
    const std::string unknown = json.substr(unknown_at, json.find('}', unknown_at) - unknown_at);
    const size_t listed = static_cast<size_t>(std::count(unknown.begin(), unknown.end(), ':')) - 1;
    CHECK(listed == Summary::kShownUnknownCodes);
    uint64_t listed_count = 0;
    for (size_t at = unknown.find(':', 12); at != std::string::npos; at = unknown.find(':', at + 1))
      listed_count += std::stoull(unknown.substr(at + 1));
    const size_t others_at = json.find("\"unknown_others\":");
    REQUIRE(others_at != std::string::npos);
    CHECK(std::stoull(json.substr(others_at + 17)) == 207500 - listed_count);
    const std::string text = f.text();
    CAPTURE(text.substr(0, 3000));
    CHECK(text.size() < 64 * 1024);
    CHECK(contains(text, "\n  5,000    77777\n"));
    CHECK(contains(text, fmt_others(207500 - listed_count)));
  }

  TEST_CASE("exact JSON for a tiny run (written by hand)") {
    Fixture f;
    f.summary.begin_file("a\"b.log");
    f.record(1, "2026-11-20T09:15:02Z x", {"103"});
    f.record(2, "no time", {"5000"}, 1);
    f.summary.end_file(2, 50, false);
    CHECK(f.json() ==
          "{\"lines\":2,\"bytes\":50,\"files_failed\":0,\"annotated\":2,\"errors\":3,\"more\":1,"
          "\"untimed\":1,\"time_zone\":\"UTC\","
          "\"by_code\":{\"103\":1,\"5000\":1},"
          "\"by_category\":{\"Order / Balance\":1,\"unknown\":1},"
          "\"unknown\":{\"5000\":1},"
          "\"files\":[{\"name\":\"a\\\"b.log\",\"lines\":2,\"bytes\":50,\"annotated\":2,"
          "\"errors\":3,\"more\":1,\"failed\":false,\"first\":\"2026-11-20T09:15:02+00:00\","
          "\"last\":\"2026-11-20T09:15:02+00:00\"}],"
          "\"codes\":["
          "{\"code\":\"103\",\"known\":true,\"category\":\"Order / Balance\","
          "\"meaning\":\"Lack of balance\",\"advice\":\"check-funds\",\"retry\":false,"
          "\"count\":1,"
          "\"first\":{\"file\":\"a\\\"b.log\",\"line\":1,\"time\":\"2026-11-20T09:15:02+00:00\"},"
          "\"last\":{\"file\":\"a\\\"b.log\",\"line\":1,\"time\":\"2026-11-20T09:15:02+00:00\"}},"
          "{\"code\":\"5000\",\"known\":false,\"category\":\"unknown\","
          "\"meaning\":\"not in the code table\",\"advice\":null,\"retry\":null,\"count\":1,"
          "\"first\":{\"file\":\"a\\\"b.log\",\"line\":2,\"time\":null},"
          "\"last\":{\"file\":\"a\\\"b.log\",\"line\":2,\"time\":null}}],"
          "\"timeline\":{\"bucket_seconds\":1,\"bucket\":\"1s\","
          "\"start\":\"2026-11-20T09:15:02+00:00\",\"end\":\"2026-11-20T09:15:03+00:00\","
          "\"untimed\":1,"
          "\"lines\":[1],\"categories\":{\"Order / Balance\":[1],\"unknown\":[0]}}}\n");
  }

  TEST_CASE("an empty run") {
    Fixture f;
    CHECK(f.json() ==
          "{\"lines\":0,\"bytes\":0,\"files_failed\":0,\"annotated\":0,\"errors\":0,\"more\":0,"
          "\"untimed\":0,\"time_zone\":\"UTC\",\"by_code\":{},\"by_category\":{},\"unknown\":{},"
          "\"files\":[],"
          "\"codes\":[],\"timeline\":null}\n");
    CHECK(f.text() ==
          "coinone-annotate summary\n"
          "  read       0 files, 0 lines, 0 B\n"
          "  annotated  none: no Coinone error code was found\n");
    Verdict empty;
    f.summary.record(1, "2026-11-20T09:15:02Z", empty);  // ignored
    CHECK(contains(f.json(), "\"annotated\":0,"));
  }

  TEST_CASE("file names are escaped in JSON and made printable in text") {
    Fixture f;
    f.summary.begin_file("q\"\\\n\x1b[31m\xff\xc3\xa9.log");
    f.record(1, "x", {"103"});
    f.summary.end_file(1, 1, false);
    const std::string json = f.json();
    CHECK(contains(json, "\"name\":\"q\\\"\\\\\\u000a\\u001b[31m\\ufffd\xc3\xa9.log\""));
    const std::string text = f.text();
    CHECK(contains(text, "q\"\\??[31m\xff\xc3\xa9.log:1"));
    CHECK_FALSE(contains(text, "\x1b"));
  }

  TEST_CASE("colour only when asked") {
    Fixture f;
    f.record(1, "2026-11-20T09:15:02Z", {"103", "9999"});
    CHECK_FALSE(contains(f.text(false), "\x1b["));
    const std::string colored = f.text(true);
    CHECK(contains(colored, "\x1b[1mBy code\x1b[0m"));
    CHECK(contains(colored, "\x1b[35mcheck-funds\x1b[0m"));
    CHECK(contains(colored, "\x1b[33m9999\x1b[0m"));
  }

  TEST_CASE("timeline text: bucket unit, rows, labels") {
    Fixture f;
    f.record(1, "2026-11-20T09:00:00Z", {"131"});
    f.record(2, "2026-11-20T09:00:30Z", {"131"});
    f.record(3, "2026-11-20T21:00:00Z", {"103"});
    f.record(4, "no time", {"103"});
    const std::string text = f.text();
    CAPTURE(text);
    // 12 h span -> 30m columns, 25 of them, from 09:00 to 21:30.
    CHECK(contains(text, "Timeline (30m per column)\n"));
    CHECK(contains(text, "  all annotated lines   │█" + std::string(23, ' ') + "▄│ 3\n"));
    CHECK(contains(text, "  V2 Nonce / Signature  │█" + std::string(24, ' ') + "│ 2\n"));
    CHECK(contains(text, "  Order / Balance       │" + std::string(24, ' ') + "█│ 1\n"));
    CHECK(contains(text, "2026-11-20 09:00:00+00:00 .. 2026-11-20 21:30:00+00:00\n"));
    CHECK(contains(text, "  1 annotated line without a leading timestamp not shown\n"));
  }

  TEST_CASE("the timeline coarsens but keeps every count") {
    Fixture f;
    // One error a second for 70,000 seconds: 140,000 cells at one-second slots (two rows).
    const uint64_t kLines = 70'000;
    for (uint64_t i = 0; i < kLines; ++i) {
      const std::string line = format_timestamp(kNineFifteen + static_cast<int64_t>(i), 0);
      f.record(i + 1, line, {"131"});
    }
    const std::string json = f.json();
    const size_t at = json.find("\"lines\":[");
    REQUIRE(at != std::string::npos);
    uint64_t total = 0;
    std::istringstream counts(json.substr(at + 9, json.find(']', at) - at - 9));
    for (std::string n; std::getline(counts, n, ',');) total += std::stoull(n);
    CHECK(total == kLines);
    // 70,000 s is 19.4 h: 30m columns, which the minute grain divides.
    CHECK(contains(json, "\"bucket_seconds\":1800,"));
  }

  TEST_CASE("syslog year is a setting") {
    Fixture f;
    f.summary.set_syslog_year(SyslogYear{2026});
    f.record(1, "Nov 20 09:15:02 host bot: x", {"103"});
    CHECK(contains(f.json(), "\"time\":\"2026-11-20T09:15:02+00:00\""));
  }

  TEST_CASE("format_duration and format_bytes") {
    CHECK(format_duration(1) == "1s");
    CHECK(format_duration(30) == "30s");
    CHECK(format_duration(60) == "1m");
    CHECK(format_duration(900) == "15m");
    CHECK(format_duration(5400) == "90m");
    CHECK(format_duration(21600) == "6h");
    CHECK(format_duration(86400) == "1d");
    CHECK(format_duration(172800) == "2d");
    CHECK(format_duration(604800) == "1w");
    CHECK(format_duration(52 * 604800) == "52w");
    CHECK(format_bytes(0) == "0 B");
    CHECK(format_bytes(1023) == "1023 B");
    CHECK(format_bytes(1024) == "1.0 KiB");
    CHECK(format_bytes(100456) == "98.1 KiB");
    CHECK(format_bytes(1048575) == "1.0 MiB");
    CHECK(format_bytes(3ULL << 30) == "3.0 GiB");
  }

  TEST_CASE("golden text report (tests/golden-summary/basic)") {
    Fixture f;
    f.summary.set_time_zone(seoul());  // as summary.sh runs it: TZ=Asia/Seoul
    const std::string dir = COINONE_TEST_DATA_DIR "/golden-summary/";
    const std::string log = slurp(dir + "basic.log");
    f.summary.begin_file("basic.log");
    uint64_t number = 0;
    for (size_t at = 0; at < log.size();) {
      const size_t end = log.find('\n', at);
      const std::string_view line(log.data() + at, end - at);
      ++number;
      const std::vector<std::string> codes = golden_codes(line);
      Verdict verdict;
      for (const std::string& code : codes) verdict.shown.push_back({code, f.table->find(code)});
      f.summary.record(number, line, verdict);
      at = end + 1;
    }
    f.summary.end_file(number, log.size(), false);
    CHECK(f.text() == slurp(dir + "basic.expected"));
  }
}
