#include <doctest/doctest.h>

#include <string>

#include "coinone_annotate/match/line_findings.h"

using namespace coinone;

TEST_SUITE("line_findings") {
  TEST_CASE("codes are distinct and kept in order of first appearance") {
    LineFindings f;
    for (const char* code : {"103", "131", "103", "4", "131"}) f.add_code(code, false);
    REQUIRE(f.code_count() == 3);
    CHECK(f.code(0).digits == "103");
    CHECK(f.code(1).digits == "131");
    CHECK(f.code(2).digits == "4");
  }

  TEST_CASE("distinctness holds past the linear-scan limit") {
    LineFindings f;
    for (int round = 0; round < 3; ++round)
      for (int i = 1; i <= 100; ++i) f.add_code(std::to_string(i), false);
    CHECK(f.code_count() == 100);
    CHECK(f.untracked_fields() == 0);
  }

  TEST_CASE("memory is bounded: codes past the limit are only counted") {
    LineFindings f;
    const size_t extra = 10;
    for (size_t i = 1; i <= LineFindings::kMaxTrackedCodes + extra; ++i)
      f.add_code(std::to_string(i), false);
    CHECK(f.code_count() == LineFindings::kMaxTrackedCodes);
    CHECK(f.untracked_fields() == extra);
  }

  TEST_CASE("clear resets everything") {
    LineFindings f;
    f.add_code("103", true);
    f.add_result(true);
    f.add_result(false);
    f.set_mentions_coinone();
    f.clear();
    CHECK_FALSE(f.has_codes());
    CHECK_FALSE(f.result_error());
    CHECK_FALSE(f.result_other());
    CHECK_FALSE(f.mentions_coinone());
    f.add_code("5", false);
    CHECK(f.code(0).digits == "5");
    CHECK_FALSE(f.code(0).from_pattern);
  }
}
