#include <doctest/doctest.h>

#include <string>

#include "coinone_annotate/output/json_object.h"

using namespace coinone;

namespace {
JsonObjectScanner scan(std::string_view line, size_t piece) {
  JsonObjectScanner s;
  for (size_t at = 0; at < line.size(); at += piece) s.feed(line.substr(at, piece));
  return s;
}
}  // namespace

TEST_SUITE("json_object") {
  TEST_CASE("one object, fed whole or in pieces") {
    for (const size_t piece : {size_t{1}, size_t{3}, size_t{1000}}) {
      CAPTURE(piece);
      auto s = scan(R"(  {"a":"}{\"","b":[1,{"c":2}]}  )", piece);
      CHECK(s.is_one_object());
      CHECK(s.close_offset() == 29);
      CHECK_FALSE(s.is_empty_object());
    }
  }

  TEST_CASE("what is not one object") {
    for (const std::string line :
         {R"({"a":1} {"b":2})", R"({"a":1} trailing)", R"(x {"a":1})", R"({"a":1)", R"([{"a":1}])",
          R"({"a":[1})", "", "   ", R"({"a":"})"}) {
      CAPTURE(line);
      CHECK_FALSE(scan(line, 1000).is_one_object());
    }
  }

  TEST_CASE("empty objects") {
    CHECK(scan("{}", 1).is_empty_object());
    CHECK(scan("{ \t}", 1).is_empty_object());
    CHECK_FALSE(scan("{\"a\":{}}", 1).is_empty_object());
  }

  TEST_CASE("give_up ends the object") {
    JsonObjectScanner s;
    s.feed("{}");
    s.give_up();
    CHECK_FALSE(s.is_one_object());
  }
}
