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
    CHECK(Fixture({"103"}).text(ko) ==
          " [coinone 103 주문 / 잔고: 잔고가 부족 합니다. -> 잔고-확인]");
    CHECK(Fixture({"316"}).text(ko) == " [coinone 316 주문 규칙: Invalid range -> 요청-수정]");
    CHECK(Fixture({"9999"}).text(ko) == " [coinone 9999 알 수 없음: 코드표에 없음]");
    AnnotatorOptions both;
    both.lang = Lang::kBoth;
    CHECK(Fixture({"103"}).text(both) ==
          " [coinone 103 Order / Balance: Lack of balance / 잔고가 부족 합니다. -> check-funds]");
    CHECK(Fixture({"316"}).text(both).find("range / ") == std::string::npos);
  }

  TEST_CASE("JSON in each language") {
    AnnotatorOptions ko;
    ko.lang = Lang::kKorean;
    CHECK(Fixture({"103"}).json(ko) ==
          R"("coinone":[{"code":"103","category":"주문 / 잔고","meaning":"잔고가 부족 합니다.",)"
          R"("advice":"check-funds","retry":false}])");
    AnnotatorOptions both;
    both.lang = Lang::kBoth;
    CHECK(Fixture({"103", "316"}).json(both) ==
          R"("coinone":[{"code":"103","category":"Order / Balance","meaning_en":"Lack of balance",)"
          R"("meaning_ko":"잔고가 부족 합니다.","advice":"check-funds","retry":false},)"
          R"({"code":"316","category":"Order Rules","meaning_en":"Invalid range",)"
          R"("advice":"fix-request","retry":false}])");
    CHECK(Fixture({"9999"}).json(both) ==
          R"("coinone":[{"code":"9999","category":"unknown","meaning_en":"not in the code table",)"
          R"("meaning_ko":"코드표에 없음"}])");
  }

  TEST_CASE("templates") {
    AnnotatorOptions t;
    t.text_template = "<{code}|{category}|{meaning_ko}|{advice}|{retry}>";
    CHECK(Fixture({"103"}).text(t) == " <103|Order / Balance|잔고가 부족 합니다.|check-funds|no>");
    CHECK(Fixture({"316"}).text(t) == " <316|Order Rules|Invalid range|fix-request|no>");
    CHECK(Fixture({"9999"}).text(t) == " <9999|unknown|코드표에 없음||unknown>");
    t.lang = Lang::kKorean;
    CHECK(Fixture({"131"}).text(t) ==
          " <131|V2 Nonce / 서명|V2 API Nonce 값은 이전 Nonce 값보다 커야 합니다.|nonce-수정|yes>");
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
    CHECK(Fixture({"9999", "77777"}).text(c) ==
          " \x1b[1;31m[coinone 9999 unknown: not in the code table]\x1b[0m"
          " \x1b[1;31m[coinone 77777 unknown: not in the code table]\x1b[0m");
  }

  TEST_CASE("JSON member") {
    CHECK(
        Fixture({"131", "9999"}, 2).json() ==
        R"("coinone":[{"code":"131","category":"V2 Nonce / Signature",)"
        R"("meaning":"V2 nonce must be bigger than last nonce","advice":"fix-nonce","retry":true},)"
        R"({"code":"9999","category":"unknown","meaning":"not in the code table"},{"more":2}])");
  }
}
