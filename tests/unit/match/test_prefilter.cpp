#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/prefilter.h"
#include "reference_extractor.h"

using namespace coinone;

TEST_SUITE("prefilter") {
  TEST_CASE("finds fields that may carry an error code") {
    for (const std::string text :
         {R"({"error_code":"103"})", "errorCode: 131", "ERROR-CODE=>'0103'", "error_code=00",
          R"(\\\"errorcode\\\":\\\"7\\\")", "result=x error_code=:5"}) {
      CAPTURE(text);
      CHECK(find_candidate(text, 0) != std::string_view::npos);
    }
  }

  TEST_CASE("rejects success responses and non-codes without RE2") {
    for (const std::string text :
         {R"({"error_code":"0"})", R"({"errorCode":0})", "error_code=0.5", "error_code: null",
          R"("error_code":"")", "status_code=500", "error code 131", "errorCodeCount=3",
          "decode error", "error_code"}) {
      CAPTURE(text);
      CHECK(find_candidate(text, 0) == std::string_view::npos);
    }
  }

  TEST_CASE("finds a field at every offset, past the vector loop's edges") {
    const std::string field = "error_code=103";
    for (size_t pad = 0; pad < 70; ++pad) {
      const std::string text = std::string(pad, 'x') + field + std::string(pad % 5, ' ');
      CAPTURE(pad);
      const size_t hit = find_candidate(text, 0);
      CHECK(hit == pad + 6);  // the offset of "code"
      CHECK(find_candidate(text, hit + 1) == std::string_view::npos);
    }
  }

  // The prefilter may say yes too often, never too rarely: wherever the reference extractor
  // finds a code, the prefilter must find a candidate, and the production extractor must find
  // the same codes. Random lines built from field fragments.
  TEST_CASE("never misses a field the extractor finds (seeded random lines)") {
    static const char* const kNoise[] = {"x", "_",      "-", " ", "\"", "'", "\\", ":",
                                         "=", "result", "{", ",", "0",  "1", "."};
    static const char* const kError[] = {"error", "Error", "ERROR", "eRRor", "erro", "rror"};
    static const char* const kJoin[] = {"", "_", "-", " ", "__"};
    static const char* const kCode[] = {"code", "Code", "CODE", "cOdE", "cod", "codes"};
    static const char* const kSkip[] = {"", "\"", "'", "\\\"", " ", "\t", "\"\"", "x"};
    static const char* const kSep[] = {":", "=", "=>", ">", "", "::", "=:"};
    static const char* const kValue[] = {"0",    "00",   "103", "0103", "7",   "1.5",  "0.5",
                                         "103.", "null", "",    "1a",   "0x1", "99999"};
    const auto made = FieldExtractor::create({});
    std::mt19937 rng(20261124);
    auto pick = [&rng](const auto& parts) { return std::string(parts[rng() % std::size(parts)]); };
    size_t with_code = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string line;
      for (auto n = rng() % 3; n > 0; --n) line += pick(kNoise);
      line += pick(kError) + pick(kJoin) + pick(kCode) + pick(kSkip) + pick(kSep) + pick(kSkip);
      line += pick(kValue);
      for (auto n = rng() % 3; n > 0; --n) line += pick(kNoise);
      LineFindings want, got;
      testing::reference_extract(line, want);
      made.extractor->extract(line, '\n', true, got);
      CAPTURE(line);
      REQUIRE(got.code_count() == want.code_count());
      for (size_t c = 0; c < got.code_count(); ++c)
        CHECK(got.code(c).digits == want.code(c).digits);
      if (!want.has_codes()) continue;  // result fields matter only beside a code
      CHECK(got.result_error() == want.result_error());
      CHECK(got.result_other() == want.result_other());
      ++with_code;
      CHECK(find_candidate(line, 0) != std::string_view::npos);
    }
    CHECK(with_code > 100);  // the generator does produce fields
  }
}
