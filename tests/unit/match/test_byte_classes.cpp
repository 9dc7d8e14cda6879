#include <doctest/doctest.h>

#include <string>

#include "coinone_annotate/match/byte_classes.h"

using namespace coinone;

TEST_SUITE("byte_classes") {
  TEST_CASE("each class holds exactly the bytes the field grammar names") {
    // The grammar's classes spelled out as strings (field_extractor.h), against the table.
    std::string token, skip = "\\\"' \t", separator = "\\\"' \t=>:", digit = "0123456789";
    for (char c = 'a'; c <= 'z'; ++c) token += {c, static_cast<char>(c - 'a' + 'A')};
    token += digit + "_";
    for (int byte = 0; byte < 256; ++byte) {
      const auto c = static_cast<char>(byte);
      CAPTURE(byte);
      CHECK(byte_class::is(c, byte_class::kToken) == (token.find(c) != std::string::npos));
      CHECK(byte_class::is(c, byte_class::kSkip) == (skip.find(c) != std::string::npos));
      CHECK(byte_class::is(c, byte_class::kSeparator) == (separator.find(c) != std::string::npos));
      CHECK(byte_class::is(c, byte_class::kDigit) == (digit.find(c) != std::string::npos));
    }
  }
}
