#include <doctest/doctest.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>

#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/prefilter.h"
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

  TEST_CASE(
      "a code's value run is the bytes up to the digit the prefilter stops at, then the token") {
    // value_after() takes the run from code_token_start() instead of walking it again.
    const std::string alphabet = "\\\"' \t=>:_aZ09-.,}{\n\x80";
    std::mt19937 rng(11);
    int checked = 0;
    for (int i = 0; i < 100000; ++i) {
      std::string text;
      const size_t size = rng() % 20;
      for (size_t j = 0; j < size; ++j) text += alphabet[rng() % alphabet.size()];
      const size_t digit_at = code_token_start(text, 0);
      if (digit_at == std::string_view::npos) continue;
      size_t token_end = digit_at;
      while (token_end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[token_end])) || text[token_end] == '_'))
        ++token_end;
      CAPTURE(text);
      CHECK(value_run_length(text) == std::min(token_end, ValueMemo::kMaxRun + 1));
      ++checked;
    }
    CHECK(checked > 500);
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

  TEST_CASE("a run's key is the same whatever follows it in memory") {
    // key_of() loads 16 bytes when it may and masks off what is not the run; the bytes after
    // the run must never reach the key.
    std::mt19937 rng(7);
    for (size_t size = 0; size <= ValueMemo::kMaxRun; ++size) {
      for (int i = 0; i < 50; ++i) {
        std::string text(40, '\0');
        for (char& c : text) c = static_cast<char>(rng());
        const std::string_view run(text.data(), size);
        const std::string alone(run);
        std::string other = text;
        for (size_t j = size; j < other.size(); ++j) other[j] = static_cast<char>(~other[j]);
        CAPTURE(size);
        const ValueMemo::Key key = ValueMemo::key_of(alone, alone.size());
        CHECK(key.valid());
        CHECK(ValueMemo::key_of(run, text.size()) == key);
        CHECK(ValueMemo::key_of(std::string_view(other.data(), size), other.size()) == key);
        if (size > 0) {  // one byte more or less is another key
          CHECK_FALSE(ValueMemo::key_of(run.substr(0, size - 1), text.size()) == key);
          CHECK_FALSE(ValueMemo::key_of(std::string_view(text.data(), size + 1), text.size()) ==
                      key);
        }
      }
    }
    CHECK_FALSE(ValueMemo::key_of(std::string(ValueMemo::kMaxRun + 1, '1'), 40).valid());
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
    CHECK(kept <= static_cast<int>(ValueMemo::kWays * ValueMemo::kSets));
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
