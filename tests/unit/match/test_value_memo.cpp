#include <doctest/doctest.h>
#include <re2/re2.h>

#include <random>
#include <string>

#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/value_memo.h"

using namespace coinone;

namespace {

// The value pattern's match length at the start of text, as FieldExtractor compiles it.
int match_length(std::string_view text) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  static const RE2 pattern(kFieldValuePattern, options);
  re2::StringPiece match;
  if (!pattern.Match({text.data(), text.size()}, 0, text.size(), RE2::ANCHOR_START, &match, 1))
    return ValueMemo::kNoMatch;
  return static_cast<int>(match.size());
}

}  // namespace

TEST_SUITE("value_memo") {
  TEST_CASE("a value run is the separator bytes, then the token bytes after them") {
    CHECK(value_run_length(R"(":"103","error_msg":"x")") == 6);  // ":"103
    CHECK(value_run_length(R"(\":\"405\",)") == 8);              // \":\"405
    CHECK(value_run_length("=0 order_id=5") == 2);               // =0: a space ends a token
    CHECK(value_run_length("=> :sym}") == 7);
    CHECK(value_run_length(": '131', x") == 6);
    CHECK(value_run_length("-1") == 0);
    CHECK(value_run_length("") == 0);
    CHECK(value_run_length(std::string(100, ' ')) == ValueMemo::kMaxRun + 1);  // counted no further
    CHECK(value_run_length(std::string(100, '7')) == ValueMemo::kMaxRun + 1);
  }

  TEST_CASE("the pattern's answer depends on the value run alone") {
    // The memo's premise, checked against RE2 itself on random texts over the bytes that matter.
    const std::string alphabet = "\\\"' \t=>:_aZ09-.,}{\n\x80\xff";
    std::mt19937 rng(5);
    for (int i = 0; i < 20000; ++i) {
      std::string text;
      const size_t size = rng() % 24;
      for (size_t j = 0; j < size; ++j) text += alphabet[rng() % alphabet.size()];
      const size_t run = value_run_length(text);
      if (run > ValueMemo::kMaxRun) continue;
      const int whole = match_length(text);
      CAPTURE(text);
      CHECK(whole == match_length(text.substr(0, run)));
      CHECK(whole <= static_cast<int>(run));
    }
  }

  TEST_CASE("find gives back what was remembered, or nothing") {
    ValueMemo memo;
    CHECK_FALSE(memo.find(R"(":"103)").has_value());
    memo.remember(R"(":"103)", 6);
    memo.remember("=x", ValueMemo::kNoMatch);
    CHECK(memo.find(R"(":"103)") == 6);
    CHECK(memo.find("=x") == ValueMemo::kNoMatch);
    CHECK_FALSE(memo.find(R"(":"10)").has_value());  // a prefix is another run
    CHECK_FALSE(memo.find(R"(":"1030)").has_value());
    CHECK_FALSE(memo.find("").has_value());
    memo.remember("", 0);
    CHECK(memo.find("") == 0);
  }

  TEST_CASE("runs too long to keep are never kept") {
    ValueMemo memo;
    const std::string run(ValueMemo::kMaxRun + 1, '1');
    memo.remember(run, 3);
    CHECK_FALSE(memo.find(run).has_value());
    memo.remember(run.substr(1), 31);
    CHECK(memo.find(run.substr(1)) == 31);
  }

  TEST_CASE("more runs than slots: old ones go, no answer is ever another run's") {
    ValueMemo memo;
    constexpr int kRuns = 20000;
    auto run_of = [](int i) { return "=" + std::to_string(i); };
    for (int i = 0; i < kRuns; ++i) memo.remember(run_of(i), i % 32);
    int kept = 0;
    for (int i = 0; i < kRuns; ++i) {
      const auto answer = memo.find(run_of(i));
      if (!answer) continue;
      ++kept;
      CHECK(*answer == i % 32);
    }
    CHECK(kept > 1000);
    CHECK(kept <= static_cast<int>(2 * ValueMemo::kSets));
    CHECK(memo.find(run_of(kRuns - 1)) == (kRuns - 1) % 32);  // the newest is always there
  }

  TEST_CASE("the extractor answers the same with a warm memo") {
    const auto made = FieldExtractor::create({});
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"error_code":"103"})", "103"}, {"error_code=103.5", ""},
        {"error_code=103 x", "103"},        {"error_code=103\x01", ""},
        {R"({"error_code":"0"})", ""},      {"error_code=0103", "103"},
    };
    for (int round = 0; round < 3; ++round) {
      for (const auto& [text, want] : cases) {
        LineFindings findings;
        made.extractor->extract(text, '\n', true, findings);
        std::string codes;
        for (size_t i = 0; i < findings.code_count(); ++i) codes += findings.code(i).digits;
        CAPTURE(text);
        CHECK(codes == want);
      }
    }
  }
}
