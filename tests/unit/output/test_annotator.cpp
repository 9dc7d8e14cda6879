#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "coinone_annotate/output/annotator.h"

using namespace coinone;

namespace {

struct Fixture {
  std::shared_ptr<const CodeTable> table = std::make_shared<CodeTable>(builtin_code_table());
  Verdict verdict;

  Fixture(std::initializer_list<const char*> codes, size_t more = 0) {
    for (const char* code : codes) verdict.shown.push_back({code, table->find(code)});
    verdict.more = more;
  }
  std::string text(AnnotatorOptions options = {}) {
    auto made = Annotator::create(table, options);
    std::string out;
    made.annotator->append_text(verdict, out);
    return out;
  }
  std::string json(AnnotatorOptions options = {}) {
    auto made = Annotator::create(table, options);
    std::string out;
    made.annotator->append_json_member(verdict, out);
    return out;
  }
};

}  // namespace

TEST_SUITE("annotator") {
  TEST_CASE("default text form") {
    CHECK(Fixture({"103"}).text() ==
          " [coinone 103 Order / Balance: Lack of balance -> check-funds]");
    CHECK(Fixture({"9999"}).text() == " [coinone 9999 unknown: not in the code table]");
    CHECK(Fixture({"103", "4"}, 3).text() ==
          " [coinone 103 Order / Balance: Lack of balance -> check-funds]"
          " [coinone 4 Access & Auth: Blocked user access -> contact-coinone] [coinone +3 more]");
  }

  TEST_CASE("languages fall back to English") {
    AnnotatorOptions ko;
    ko.lang = Lang::kKorean;
    CHECK(Fixture({"103"}).text(ko) == " [coinone 103 Order / Balance: 잔고 부족 -> check-funds]");
    CHECK(Fixture({"131"}).text(ko).find("V2 nonce must be bigger") != std::string::npos);
    AnnotatorOptions both;
    both.lang = Lang::kBoth;
    CHECK(Fixture({"103"}).text(both).find("Lack of balance / 잔고 부족") != std::string::npos);
    CHECK(Fixture({"131"}).text(both).find("nonce / ") == std::string::npos);
  }

  TEST_CASE("templates") {
    AnnotatorOptions t;
    t.text_template = "<{code}|{category}|{meaning_ko}|{advice}|{retry}>";
    CHECK(Fixture({"103"}).text(t) == " <103|Order / Balance|잔고 부족|check-funds|no>");
    CHECK(Fixture({"131"}).text(t) ==
          " <131|V2 Nonce / Signature|V2 nonce must be bigger than last nonce|fix-nonce|yes>");
    CHECK(Fixture({"9999"}).text(t) == " <9999|unknown|not in the code table||>");
  }

  TEST_CASE("a bad template fails at creation") {
    const auto table = std::make_shared<CodeTable>(builtin_code_table());
    for (const std::string bad : {"{nope}", "{code", "{code:d}"}) {
      CAPTURE(bad);
      AnnotatorOptions t;
      t.text_template = bad;
      const auto made = Annotator::create(table, t);
      CHECK_FALSE(made.annotator);
      CHECK(made.error.find("bad template") == 0);
    }
  }

  TEST_CASE("template widths and precisions: up to the limit, larger ones fail at creation") {
    const auto table = std::make_shared<CodeTable>(builtin_code_table());
    static_assert(Annotator::kMaxTemplateWidth == 4096);
    struct Case {
      std::string_view tmpl;
      bool ok;
    };
    const Case cases[] = {
        {"{code:>4096}", true},        {"{code:.4096}", true},
        {"{code:*^4096.4096}", true},  {"{code:5>10} {{99999}}", true},
        {"{code:x^4096}", true},       {"{code:>4097}", false},
        {"{code:.4097}", false},       {"{code:100000}", false},
        {"{meaning:x<100000}", false}, {"{code} {advice:>99999}", false},
        {"{code:0>99999}", false},     {"{code:9>000004097}", false},
        {"{retry:.1000000}", false},
    };
    for (const Case& c : cases) {
      CAPTURE(c.tmpl);
      AnnotatorOptions t;
      t.text_template = c.tmpl;
      const auto made = Annotator::create(table, t);
      CHECK(static_cast<bool>(made.annotator) == c.ok);
      if (!c.ok) CHECK(made.error.find("over the limit of 4096") != std::string::npos);
    }
    AnnotatorOptions t;
    t.text_template = "[{code:>4096}]";
    Fixture f({"103"});
    CHECK(f.text(t) == " [" + std::string(4093, ' ') + "103]");
  }

  TEST_CASE("colour wraps each annotation, by category") {
    AnnotatorOptions c;
    c.color = true;
    const std::string text = Fixture({"103", "9999"}).text(c);
    CHECK(text.find("\x1b[36m[coinone 103") != std::string::npos);
    CHECK(text.find("\x1b[1;31m[coinone 9999") != std::string::npos);
    CHECK(text.find("\x1b[0m") != std::string::npos);
  }

  TEST_CASE("JSON member") {
    CHECK(
        Fixture({"131", "9999"}, 2).json() ==
        R"("coinone":[{"code":"131","category":"V2 Nonce / Signature",)"
        R"("meaning":"V2 nonce must be bigger than last nonce","advice":"fix-nonce","retry":true},)"
        R"({"code":"9999","category":"unknown","meaning":"not in the code table"},{"more":2}])");
  }
}
