#include <doctest/doctest.h>

#include <string>

#include "coinone_annotate/base/json_text.h"

using namespace coinone;

TEST_SUITE("json_text") {
  TEST_CASE("escapes quotes, backslashes and control bytes") {
    std::string out;
    append_json_escaped("a\"b\\c\x01\n", out);
    CHECK(out == R"(a\"b\\c\u0001\u000a)");
  }

  TEST_CASE("keeps valid UTF-8 and replaces every invalid byte with U+FFFD") {
    struct Case {
      std::string in, out;
    };
    const Case cases[] = {
        {"잔고 부족", "잔고 부족"},
        {"\xff", "\\ufffd"},
        {"a\xc3", "a\\ufffd"},                                 // cut short
        {"\xc0\xaf", "\\ufffd\\ufffd"},                        // overlong
        {"\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd"},             // surrogate
        {"\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"},  // beyond U+10FFFF
        {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.in);
      std::string out;
      append_json_escaped(c.in, out);
      CHECK(out == c.out);
      CHECK(is_valid_utf8(c.in) == (c.in == c.out));
    }
  }

  TEST_CASE("a JSON string has its quotes") {
    std::string out;
    append_json_string("x\"", out);
    CHECK(out == R"("x\"")");
  }
}
