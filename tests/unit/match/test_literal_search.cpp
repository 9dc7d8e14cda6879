#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "coinone_annotate/match/literal_search.h"

using namespace coinone;

TEST_SUITE("literal_search") {
  TEST_CASE("finds words in any case") {
    CHECK(find_word("x CoDe y", 0, "code") == 2);
    CHECK(find_word("RESULT", 0, "result") == 0);
    CHECK(find_word("resul", 0, "result") == std::string_view::npos);
    CHECK(find_word("code code", 1, "code") == 5);
    CHECK(find_either("a RESULT code", 0, "code", "result") == 2);
    CHECK(find_either("a RESUL code", 0, "code", "result") == 8);
    CHECK(find_word("", 0, "code") == std::string_view::npos);
    CHECK(word_at("xCOINONE", 1, "coinone"));
    CHECK_FALSE(word_at("xCOINON", 1, "coinone"));
  }

  TEST_CASE("count_byte counts at every length and alignment") {
    std::mt19937 rng(5);
    for (size_t size = 0; size < 300; ++size) {
      std::string text(size, 'x');
      size_t want = 0;
      for (auto& c : text)
        if (rng() % 4 == 0) {
          c = '\n';
          ++want;
        }
      CAPTURE(size);
      CHECK(count_byte(text, '\n') == want);
      if (size > 0)
        CHECK(count_byte(std::string_view(text).substr(1), '\n') == want - (text[0] == '\n'));
    }
  }

  TEST_CASE("the scalar, SSE2 and AVX2 scans agree at every offset") {
    std::vector<ScanKind> kinds{ScanKind::kScalar};
#if defined(__x86_64__)
    kinds.push_back(ScanKind::kSse2);
    if (best_scan_kind() == ScanKind::kAvx2) kinds.push_back(ScanKind::kAvx2);
#endif
    std::mt19937 rng(99);
    static const char* const kBits[] = {"error_code", "CODE",    "codecode", "cxxe", "Result", "x",
                                        "\n",         "coinone", "ce",       "\xff", "resul"};
    for (int round = 0; round < 300; ++round) {
      std::string text;
      for (auto n = rng() % 30; n > 0; --n) text += kBits[rng() % std::size(kBits)];
      const std::pair<std::string_view, std::string_view> pairs[] = {{"code", "code"},
                                                                     {"result", "result"},
                                                                     {"coinone", "coinone"},
                                                                     {"code", "result"},
                                                                     {"result", "code"}};
      for (const auto& [a, b] : pairs) {
        for (size_t from = 0; from <= text.size(); from += 1 + rng() % 7) {
          const size_t want = find_either_with(ScanKind::kScalar, text, from, a, b);
          for (const ScanKind kind : kinds) {
            CAPTURE(text);
            CAPTURE(from);
            CHECK(find_either_with(kind, text, from, a, b) == want);
          }
          if (a == b) CHECK(find_word(text, from, a) == want);  // its own loop on AVX2
        }
      }
    }
  }
}
