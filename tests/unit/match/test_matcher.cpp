#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "coinone_annotate/match/matcher.h"

using namespace coinone;

namespace {

struct Fixture {
  std::shared_ptr<const CodeTable> table = std::make_shared<CodeTable>(builtin_code_table());
  std::unique_ptr<FieldExtractor> extractor = FieldExtractor::create({}).extractor;
  Matcher matcher{table, *extractor, false};
  LineFindings findings;

  // The shown codes as "103,131", with "+N" when some were left out.
  std::string shown(std::string_view line) {
    findings.clear();
    matcher.scan_line(line, findings);
    const Verdict& v = matcher.decide_line(findings, line);
    std::string out;
    for (const auto& s : v.shown) out += (out.empty() ? "" : ",") + std::string(s.digits);
    if (v.more != 0) out += "+" + std::to_string(v.more);
    return out;
  }
};

}  // namespace

TEST_SUITE("matcher") {
  TEST_CASE("known codes are shown, in order, once each") {
    Fixture f;
    CHECK(f.shown("error_code=103 errorCode=131 error_code=103") == "103,131");
  }

  TEST_CASE("a non-error result suppresses the line") {
    Fixture f;
    CHECK(f.shown(R"({"result":"success","error_code":"103"})").empty());
    CHECK(f.shown(R"({"result":"FAILURE","error_code":"103"})").empty());
    CHECK(f.shown(R"({"result":"success","data":{"result":"error","error_code":"104"}})") == "104");
    for (const char* result : {"[]", "{}", "[ ]", "null", "false", "true", "0", R"("")"}) {
      CAPTURE(result);
      CHECK(f.shown(std::string(R"({"result":)") + result + R"(,"error_code":"103"})").empty());
    }
    CHECK(f.shown(R"({"result":{"error_code":"103"}})") == "103");  // a wrapper says nothing
  }

  TEST_CASE("a line of another exchange is not annotated unless it names coinone") {
    Fixture f;
    CHECK(f.shown(R"(InvalidOrder: kraken {"errorCode":103})").empty());
    CHECK(f.shown(R"({"exchange":"upbit","error_code":"103"})").empty());
    CHECK(f.shown("POST https://api.bithumb.com/x error_code=103").empty());
    CHECK(f.shown(R"(coinone: kraken {"errorCode":103})") == "103");
    CHECK(f.shown(R"({"exchange":"coinone","error_code":"103"} vs kraken {"a":1})") == "103");
    f.matcher.set_exchange_ids(nullptr);  // --no-exchange-check
    CHECK(f.shown(R"(InvalidOrder: kraken {"errorCode":103})") == "103");
  }

  TEST_CASE("windows of a long line collect exchange evidence") {
    Fixture f;
    LineFindings findings;
    f.matcher.scan_window(R"(kraken {"errorCode":103, )", '\n', false, 0, findings);
    f.matcher.scan_window(R"(3, "x":"y"} )", '\n', true, 0, findings);
    CHECK(findings.other_exchange());
    CHECK(f.matcher.decide(findings).empty());
  }

  TEST_CASE("unknown codes need Coinone context") {
    Fixture f;
    CHECK(f.shown("error_code=9999").empty());
    CHECK(f.shown("error_code=9999 error_code=103") == "103");
    CHECK(f.shown("coinone error_code=9999") == "9999");
    CHECK(f.shown("CoinOne error_code=9999") == "9999");
    CHECK(f.shown(R"({"result":"error","error_code":"9999"})") == "9999");
  }

  TEST_CASE("at most eight codes, then +N more") {
    Fixture f;
    std::string line = "coinone";
    for (int code = 1; code <= 12; ++code) line += " error_code=" + std::to_string(code);
    CHECK(f.shown(line) == "1,2,3,4,5,6,7,8+4");
  }

  TEST_CASE("the prefilter is skipped on request and with user patterns") {
    Fixture f;
    Matcher every(f.table, *f.extractor, true);
    CHECK(every.next_candidate("abc\ndef\n", 2) == 2);
    CHECK(every.next_candidate("abc", 3) == std::string_view::npos);
    CHECK(f.matcher.next_candidate("abc\ndef\n", 0) == std::string_view::npos);
    const auto patterned = FieldExtractor::create({"E(?P<code>\\d+)"});
    Matcher with_pattern(f.table, *patterned.extractor, false);
    CHECK(with_pattern.next_candidate("abc", 0) == 0);
  }

  TEST_CASE("pattern codes follow the rule for unknown codes") {
    Fixture f;
    const auto patterned = FieldExtractor::create({"E(?P<code>\\d+)"});
    Matcher m(f.table, *patterned.extractor, false);
    const struct {
      const char* line;
      size_t shown;
    } cases[] = {{"E9999", 0}, {"E103", 1}, {"coinone E9999", 1}, {"result=error E9999", 1}};
    for (const auto& c : cases) {
      CAPTURE(c.line);
      LineFindings findings;
      m.scan_line(c.line, findings);
      CHECK(m.decide_line(findings, c.line).shown.size() == c.shown);
    }
  }

  TEST_CASE("windows of a long line look for coinone, the last one too") {
    Fixture f;
    LineFindings findings;
    f.matcher.scan_window("x error_code=9999 ", '\n', false, 0, findings);
    f.matcher.scan_window("x error_code=9999 and COINONE", '\n', true, 18, findings);
    CHECK(findings.mentions_coinone());
    CHECK(f.matcher.decide(findings).shown.size() == 1);
  }
}

TEST_SUITE("matcher block scans") {
  // The lines and verdicts for_each_annotated_line gives, as "start-end:codes;" per line.
  std::string annotated_lines(Matcher & matcher, std::string_view block) {
    LineFindings findings;
    std::string out;
    matcher.for_each_annotated_line(
        block, findings,
        [&](size_t start, size_t end, std::string_view content, std::string_view terminator,
            const Verdict& verdict) {
          out += std::to_string(start) + "-" + std::to_string(end) + ":";
          for (const auto& shown : verdict.shown) out += std::string(shown.digits) + ",";
          out += std::to_string(content.size()) + std::string(terminator == "\r\n" ? "crlf" : "lf");
          out += ";";
        });
    return out;
  }

  TEST_CASE("one pass over a block finds the lines and verdicts the prefilter finds") {
    Fixture f;
    const std::string block =
        "{\"result\":\"error\",\"error_code\":\"103\"}\n"  // result before the code
        "plain line\n"
        "error_code=131 result=success\n"        // result after the code: not shown
        "result=error\n"                         // a result alone opens nothing
        "errorCode=9999 coinone\r\n"             // unknown with context, CRLF
        "kraken {\"errorCode\":103}\n"           // another exchange
        "status_code=500 error_code=0 result\n"  // names that are no candidates
        "x error_code=104\n"
        "error_code=105\n";
    Matcher prefilter(f.table, *f.extractor, false);
    prefilter.set_block_scan(Matcher::BlockScan::kPrefilter);
    Matcher one_pass(f.table, *f.extractor, false);
    one_pass.set_block_scan(Matcher::BlockScan::kOnePass);
    const std::string want = annotated_lines(prefilter, block);
    CHECK(want == "0-37:103,37lf;92-115:9999,22crlf;177-193:104,16lf;194-208:105,14lf;");
    CHECK(annotated_lines(one_pass, block) == want);
    for (size_t cut = 0; cut <= block.size(); ++cut) {  // every block of whole lines in it
      if (cut != 0 && block[cut - 1] != '\n') continue;
      CAPTURE(cut);
      CHECK(annotated_lines(one_pass, block.substr(0, cut)) ==
            annotated_lines(prefilter, block.substr(0, cut)));
    }
  }

  TEST_CASE("kAuto takes either way and gives the same, dense block or sparse") {
    Fixture f;
    std::string dense, sparse(8000, 'x');
    for (int i = 0; i < 50; ++i) dense += "{\"result\":\"error\",\"error_code\":\"103\"}\n";
    sparse += "\nerror_code=131\n";
    Matcher automatic(f.table, *f.extractor, false);
    Matcher prefilter(f.table, *f.extractor, false);
    prefilter.set_block_scan(Matcher::BlockScan::kPrefilter);
    for (const std::string* block : {&sparse, &dense, &dense, &sparse, &sparse})
      CHECK(annotated_lines(automatic, *block) == annotated_lines(prefilter, *block));
  }
}
