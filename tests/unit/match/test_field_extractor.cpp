#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "coinone_annotate/match/exchange_evidence.h"
#include "coinone_annotate/match/field_extractor.h"

using namespace coinone;

namespace {

const FieldExtractor& extractor() {
  static const auto made = FieldExtractor::create({});
  return *made.extractor;
}

std::string codes_of(std::string_view text, LineFindings* out = nullptr) {
  LineFindings f;
  extractor().extract(text, '\n', true, f);
  std::string codes;
  for (size_t i = 0; i < f.code_count(); ++i) codes += (i ? "," : "") + f.code(i).digits;
  if (out != nullptr) *out = f;
  return codes;
}

}  // namespace

TEST_SUITE("field_extractor") {
  TEST_CASE("every serialisation shape yields the code") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"result":"error","error_code":"103"})", "103"},
        {R"({"error_code": 103})", "103"},
        {R"(msg="{\"errorCode\":\"131\"}")", "131"},
        {R"("{\\\"error_code\\\":\\\"104\\\"}")", "104"},
        {R"({'result': 'error', 'error_code': '105'})", "105"},
        {R"({ result: 'error', errorCode: '116' })", "116"},
        {R"({"result"=>"error", "error_code"=>"117"})", "117"},
        {R"({:result=>:error, :error_code=>"118"})", "118"},
        {R"({result: "error", error_code: "120"})", "120"},
        {"level=warn error_code=121 msg=x", "121"},
        {"error_code='122' ok", "122"},
        {"  error_code: 123", "123"},
        {R"(1,"{""error_code"":""130""}",x)", "130"},
        {"&{Result:error ErrorCode:131 Msg:x}", "131"},
        {"Resp{result='error', errorCode='132'}", "132"},
        {R"(    "error_code": "133",)", "133"},
        {"ERROR_CODE=151 Error-Code=152 errorcode=153 ErrorCode=154", "151,152,153,154"},
        {"error_code = 155", "155"},
        {"error_code\t=>\t156", "156"},
    };
    for (const auto& [text, want] : cases) {
      CAPTURE(text);
      CHECK(codes_of(text) == want);
    }
  }

  TEST_CASE("look-alikes, prose and non-errors yield nothing") {
    const std::vector<std::string> cases = {
        "http_error_code=103",  "x-error-code: 103",
        "errorCodeCount: 5",    "error_code_description=103",
        "myerror_code=103",     "2error_code=103",
        "error_codes=103",      "order failed with error code 131",
        "error code: 131",      R"({"error_code":"0"})",
        "error_code=00",        R"({"error_code":null})",
        R"({"error_code":""})", "error_code=103abc",
        "error_code=abc",       "error_code=103.5",
        "error_code=[103]",     "error_code=-103",
        "error_code",
    };
    for (const auto& text : cases) {
      CAPTURE(text);
      CHECK(codes_of(text).empty());
    }
  }

  TEST_CASE("values: leading zeros, a period after, long codes") {
    CHECK(codes_of("error_code=0103") == "103");
    CHECK(codes_of("error_code=103.") == "103");
    CHECK(codes_of("error_code=103.x") == "103");
    CHECK(codes_of("error_code=123456789012345678901234567890") ==
          "123456789012345678901234567890");
  }

  TEST_CASE("result fields and the word coinone set the context") {
    LineFindings f;
    codes_of(R"({"result":"error","error_code":"1"})", &f);
    CHECK(f.result_error());
    CHECK_FALSE(f.result_other());
    codes_of(R"({"result":"success","error_code":"1"})", &f);
    CHECK(f.result_other());
    codes_of("result: :error error_code=1", &f);
    CHECK(f.result_error());
    codes_of(R"({"result": {"error_code": "1"}})", &f);  // a nested object is no value
    CHECK_FALSE(f.result_error());
    CHECK_FALSE(f.result_other());
    codes_of("query_result=success error_code=1", &f);  // not the result field
    CHECK_FALSE(f.result_other());
    // The search for "coinone" is the matcher's (test_matcher); the word test is here.
    CHECK(mentions_coinone("x CoinOne y"));
    CHECK_FALSE(mentions_coinone("coinon"));
  }

  TEST_CASE("a non-final window leaves a field at its end for the next window") {
    LineFindings f;
    extractor().extract("x error_code=10", '\n', false, f);
    CHECK_FALSE(f.has_codes());  // it may go on as 103
    extractor().extract("x error_code=103 y", '\n', false, f);
    REQUIRE(f.code_count() == 1);
    CHECK(f.code(0).digits == "103");
  }

  TEST_CASE("the byte before a window decides the name boundary") {
    LineFindings f;
    extractor().extract("error_code=103 ", 'x', true, f);
    CHECK_FALSE(f.has_codes());
    extractor().extract("error_code=103 ", '"', true, f);
    CHECK(f.has_codes());
  }

  TEST_CASE("user patterns") {
    const auto made = FieldExtractor::create({R"(\[Error (?P<code>\d+)\])"});
    REQUIRE(made.extractor);
    LineFindings f;
    made.extractor->extract("failed [Error 103] and [Error 0] [Error 7x]", '\n', true, f);
    REQUIRE(f.code_count() == 1);
    CHECK(f.code(0).digits == "103");
    CHECK(f.code(0).from_pattern);
    CHECK(made.extractor->has_user_patterns());
  }

  TEST_CASE("bad user patterns are refused with RE2's message") {
    auto bad = FieldExtractor::create({"(unclosed"});
    CHECK_FALSE(bad.extractor);
    CHECK(bad.error.find("missing )") != std::string::npos);
    bad = FieldExtractor::create({R"(\d+)"});
    CHECK_FALSE(bad.extractor);
    CHECK(bad.error.find("(?P<code>") != std::string::npos);
    bad = FieldExtractor::create({R"((?P<code>\d+)\1)"});  // backreferences are not RE2
    CHECK_FALSE(bad.extractor);
  }

  TEST_CASE("error_code_digits") {
    CHECK(error_code_digits("103", "") == "103");
    CHECK(error_code_digits("0", "") == "");
    CHECK(error_code_digits("000", "") == "");
    CHECK(error_code_digits("007", ",") == "7");
    CHECK(error_code_digits("1", ".5") == "");
    CHECK(error_code_digits("1", ".") == "1");
    CHECK(error_code_digits("", "") == "");
    CHECK(error_code_digits("1a", "") == "");
  }
}
