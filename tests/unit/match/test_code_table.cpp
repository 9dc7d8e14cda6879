#include <doctest/doctest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "coinone_annotate/match/builtin_table.h"
#include "coinone_annotate/match/code_table.h"

using namespace coinone;

namespace {

struct MarkdownCode {
  uint32_t code;
  std::string category, english, korean;
};

bool has_hangul(const std::string& s) {
  // Hangul syllables U+AC00..U+D7A3 are encoded as 0xEA 0xB0 0x80 .. 0xED 0x9E 0xA3.
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0xEA && b <= 0xED) return true;
  }
  return false;
}

// A run of lower-case ASCII letters standing alone as a word ("lowercase", "only").
bool has_lowercase_word(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    if (!std::isalpha(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    bool lower = true;
    for (; j < s.size() && std::isalpha(static_cast<unsigned char>(s[j])); ++j)
      lower = lower && std::islower(static_cast<unsigned char>(s[j]));
    if (lower) return true;
    i = j;
  }
  return false;
}

// Reads Coinone's page as kept in tests/: "## Category" headings and "- **CODE**: text" items.
// A final "(...)" is the Korean meaning when it holds Hangul and no lower-case English word
// ("(lowercase only, length 제한)" on code 314 is part of the English text).
std::vector<MarkdownCode> read_markdown_table() {
  std::ifstream in(COINONE_TEST_DATA_DIR "/coinone-error-codes.md");
  REQUIRE(in.good());
  std::vector<MarkdownCode> codes;
  std::string line, category;
  while (std::getline(in, line)) {  // a 5 KiB test fixture, not the hot path
    if (line.rfind("## ", 0) == 0) {
      category = line.substr(3);
      continue;
    }
    if (line.rfind("- **", 0) != 0) continue;
    const size_t close = line.find("**: ", 4);
    REQUIRE(close != std::string::npos);
    MarkdownCode code{static_cast<uint32_t>(std::stoul(line.substr(4, close - 4))), category,
                      line.substr(close + 4), ""};
    const size_t open = code.english.rfind(" (");
    if (open != std::string::npos && code.english.back() == ')') {
      const std::string inside = code.english.substr(open + 2, code.english.size() - open - 3);
      if (has_hangul(inside) && !has_lowercase_word(inside)) {
        code.korean = inside;
        code.english.resize(open);
      }
    }
    codes.push_back(code);
  }
  return codes;
}

struct KoreanRow {
  uint32_t code;
  std::string korean, page, in_english_page, english;
};

// Reads Coinone's Korean descriptions as kept in tests/: code, Korean text, page (current or
// v1.0), whether the English page has the code, and the v1.0 English text of codes it lacks.
std::map<uint32_t, KoreanRow> read_korean_table() {
  std::ifstream in(COINONE_TEST_DATA_DIR "/coinone-error-codes-ko.tsv");
  REQUIRE(in.good());
  std::map<uint32_t, KoreanRow> rows;
  std::string line;
  while (std::getline(in, line)) {  // a 10 KiB test fixture, not the hot path
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    for (size_t start = 0;;) {
      const size_t tab = line.find('\t', start);
      f.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    REQUIRE(f.size() == 5);
    const auto code = static_cast<uint32_t>(std::stoul(f[0]));
    rows[code] = {code, f[1], f[2], f[3], f[4]};
  }
  return rows;
}

// The category a v1.0-only code gets from its number range (777 is in none: a 2FA code).
std::string category_of_range(uint32_t code) {
  if (code < 100 || code == 777) return "Access & Auth";
  if (code < 120) return "Order / Balance";
  if (code < 1000) return "Order Rules";
  return "Withdrawal 3000 Series";
}

}  // namespace

TEST_SUITE("code_table") {
  TEST_CASE("the built-in table is exactly Coinone's page, in English and in Korean") {
    const auto english = read_markdown_table();
    const auto korean = read_korean_table();
    const CodeTable& table = builtin_code_table();
    CHECK(english.size() == 89);
    CHECK(korean.size() == 89);
    size_t v1_only = 0;
    for (const auto& [code, row] : korean) v1_only += row.in_english_page == "no";
    CHECK(v1_only == 11);
    CHECK(table.entries().size() == english.size() + v1_only);
    for (const auto& want : english) {
      CAPTURE(want.code);
      const CodeEntry* got = table.find(want.code);
      REQUIRE(got != nullptr);
      CHECK(got->category == want.category);
      CHECK(got->english == want.english);
      const auto ko = korean.find(want.code);
      // Korean from the Korean page; 53 changed meaning, so it keeps the English page's.
      if (ko == korean.end() || want.code == 53) {
        CHECK(got->korean == want.korean);
      } else {
        CHECK(ko->second.in_english_page == "yes");
        CHECK(got->korean == ko->second.korean);
      }
    }
    for (const auto& [code, row] : korean) {
      if (row.in_english_page != "no") continue;
      CAPTURE(code);
      const CodeEntry* got = table.find(code);
      REQUIRE(got != nullptr);
      CHECK(row.page == "v1.0");
      CHECK(got->english == row.english);
      CHECK(got->korean == row.korean);
      CHECK(got->category == category_of_range(code));
    }
  }

  TEST_CASE("spot checks of the parse") {
    const CodeTable& table = builtin_code_table();
    CHECK(table.find("103")->english == "Lack of balance");
    CHECK(table.find("103")->korean == "잔고가 부족 합니다.");
    CHECK(table.find("103")->advice == Advice::kCheckFunds);
    CHECK(table.find("26")->korean == "Request Token 삭제를 실패 하였습니다.");
    CHECK(table.find("53")->korean == "이상거래 의심 내역");  // not v1.0's 2FA text
    CHECK(table.find("314")->english == "Invalid user_order_id (lowercase only, length 제한)");
    CHECK(table.find("314")->korean ==
          "잘못된 user_order_id (대문자 혹은 지원하지 않는 특문, 150자 초과)");
    CHECK(table.find("777")->english == "Invalid 2FA");
    CHECK(table.find("131")->retryable);
    CHECK_FALSE(table.find("103")->retryable);
    CHECK(table.find("405")->advice == Advice::kRetryLater);
    CHECK(table.categories().size() == 8);
  }

  TEST_CASE("every code has advice, and retry-later codes can be retried") {
    for (const auto& entry : builtin_code_table().entries()) {
      CAPTURE(entry.code);
      if (entry.advice == Advice::kRetryLater) CHECK(entry.retryable);
      CHECK(parse_advice(advice_name(entry.advice)) == entry.advice);
    }
  }

  TEST_CASE("lookups by digits never overflow") {
    const CodeTable& table = builtin_code_table();
    CHECK(table.find("999999999999999999999999999999") == nullptr);
    CHECK(table.find("4294967399") == nullptr);  // 2^32 + 103 must not wrap to 103
    CHECK(table.find("") == nullptr);
    CHECK(table.find("12a") == nullptr);
  }

  TEST_CASE("bad table lines name the line and the reason") {
    struct Case {
      const char* text;
      size_t line;
      const char* reason;
    };
    const Case cases[] = {
        {"103\tOrder\tcheck-funds\tno\n", 1, "expected 5 or 6 TAB-separated fields"},
        {"# c\n\nabc\tX\tfix-request\tno\tE\n", 3, "code 'abc' is not a number"},
        {"0\tX\tfix-request\tno\tE\n", 1, "code 0 means success"},
        {"5\t\tfix-request\tno\tE\n", 1, "empty category"},
        {"5\tX\tpanic\tno\tE\n", 1, "unknown advice 'panic'"},
        {"5\tX\tfix-request\tmaybe\tE\n", 1, "retry must be yes or no"},
        {"5\tX\tfix-request\tno\t\n", 1, "empty English meaning"},
        {"5\tX\tfix-request\tno\tE\n5\tX\tfix-request\tno\tE\n", 2, "duplicate code 5"},
        {"5\tX\tfix-request\tno\tE\tK\textra\n", 1, "found 7"},
        {"1234567890\tX\tfix-request\tno\tE\n", 1, "1 to 9 digits"},
        // Meanings go into JSON output and the JSON report: they must be valid UTF-8.
        {"5\tX\tfix-request\tno\tE\n6\tX\tfix-request\tno\tbad \xff byte\n", 2, "not valid UTF-8"},
        {"5\tX\xc3\tfix-request\tno\tE\n", 1, "not valid UTF-8"},
        {"5\tX\tfix-request\tno\tE\t\xed\xa0\x80\n", 1, "not valid UTF-8"},  // a surrogate
    };
    for (const auto& c : cases) {
      CAPTURE(c.text);
      const TableParse parsed = parse_code_table(c.text);
      CHECK_FALSE(parsed.table.has_value());
      CHECK(parsed.error_line == c.line);
      CHECK(parsed.error.find(c.reason) != std::string::npos);
    }
  }

  TEST_CASE("merge adds and overrides codes") {
    CodeTable table = builtin_code_table();
    const TableParse extra = parse_code_table(
        "103\tOrder / Balance\tcheck-funds\tno\tNot enough money\r\n"
        "7777\tNew\tretry-later\tyes\tBrand new code\t새 코드\n");
    REQUIRE(extra.table.has_value());
    table.merge(*extra.table);
    CHECK(table.find("103")->english == "Not enough money");
    CHECK(table.find("103")->korean.empty());
    CHECK(table.find("7777")->korean == "새 코드");
    CHECK(table.entries().size() == 101);
  }

  TEST_CASE("a table holds at most max_codes codes") {
    std::string text = "# a comment does not count\n";
    for (int i = 1; i <= 5; ++i) text += std::to_string(i) + "\tC\tfix-request\tno\tMeaning\n";
    const TableParse five = parse_code_table(text, 5);
    REQUIRE(five.table.has_value());
    CHECK(five.table->entries().size() == 5);
    text += "\n6\tC\tfix-request\tno\tOne too many\n";
    const TableParse six = parse_code_table(text, 5);
    CHECK_FALSE(six.table.has_value());
    CHECK(six.error_line == 8);
    CHECK(six.error == "more than 5 codes, the most a table may hold");
    CHECK(CodeTable::kMaxCodes == 500000);  // the figure the README gives
  }

  // The direct index of small codes once held 16-bit entry numbers: code 5 added as entry 70 000
  // was found as entry 70 000 - 65 536.
  TEST_CASE("small codes are found in a table of more than 65 536 entries") {
    CodeTable table;
    for (uint32_t code = 100000; code < 170000; ++code)
      table.add({code, "Big", Advice::kFixRequest, false, "Filler", ""});
    table.add({5, "Small", Advice::kFixRequest, false, "Five", ""});
    REQUIRE(table.find(5u) != nullptr);
    CHECK(table.find(5u)->english == "Five");
    CHECK(table.find("5")->code == 5);
    CHECK(table.find("100000")->code == 100000);
    CHECK(table.categories() == std::vector<std::string>{"Big", "Small"});
  }

  TEST_CASE("the compiled-in text is the data file") {
    std::ifstream in(COINONE_TEST_DATA_DIR "/../data/coinone-error-codes.tsv", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(builtin_table_text() == text.str());
  }
}
