#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "coinone_annotate/match/exchange_evidence.h"
#include "coinone_annotate/match/exchange_ids.h"

using namespace coinone;

TEST_SUITE("exchange_evidence") {
  TEST_CASE("the compiled-in ids are ccxt's list from data/") {
    std::ifstream in(COINONE_TEST_DATA_DIR "/../data/ccxt-exchanges.txt");
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    CHECK(builtin_exchange_ids_text() == text.str());
    const ExchangeIds& ids = builtin_exchange_ids();
    CHECK(ids.size() == 103);  // ccxt 4.5.84 lists 104 exchanges, coinone among them
    CHECK(ids.find("coinone") == nullptr);
    REQUIRE(ids.find("kraken") != nullptr);
    CHECK_FALSE(ids.find("kraken")->word);
    REQUIRE(ids.find("delta") != nullptr);
    CHECK(ids.find("delta")->word);
    CHECK(ids.find("krake") == nullptr);
  }

  TEST_CASE("the word coinone") {
    const struct {
      const char* text;
      bool coinone;
    } cases[] = {
        {"coinone", true},        {"x CoinOne y", true},       {"CoinoneError: x", true},
        {"coinone_client", true}, {"api.coinone.co.kr", true}, {"exchange=coinone", true},
        {"COINONE", true},        {"feed=coinone-ws", true},   {"my_coinone", true},
        {"mycoinone", false},     {"coinones", false},         {"coinone2", false},
        {"coinon", false},        {"pycoinone client", false}, {"", false},
    };
    for (const auto& c : cases) {
      CAPTURE(c.text);
      CHECK(mentions_coinone(c.text) == c.coinone);
    }
  }

  TEST_CASE("evidence of another exchange") {
    const struct {
      const char* text;
      bool other;
    } cases[] = {
        // ccxt's message form, at the start, after an exception class, inside JSON strings
        {R"(kraken {"error":["EGeneral:Invalid arguments"]})", true},
        {R"(InvalidOrder: kraken {"errorCode":103})", true},
        {R"({"message":"bybit {\"retCode\":10001}"})", true},
        {R"(msg="okx {\"code\":\"51008\"}")", true},
        {R"(error bitget [1,2])", true},
        {R"(x coinone {"error_code":"103"})", false},  // coinone is no other exchange
        {R"(x binancex {"a":1})", false},              // not an id
        {R"(x my-binance {"a":1})", false},            // inside a longer name
        {R"(x binance{"a":1})", false},                // no space
        {R"(x binance  {"a":1})", false},              // two spaces
        // ordinary words count only where a message starts
        {R"(orderbook delta {"a":1})", false},
        {R"(ExchangeError: delta {"a":1})", true},
        {R"("delta {\"a\":1}")", true},
        {R"(delta {"a":1})", true},
        {R"(msg=gate {"a":1})", true},
        // hosts
        {"POST https://api.bithumb.com/trade", true},
        {"host=fapi.binance.com", true},
        {"api.korbit.co.kr", false},  // korbit is not in ccxt 4.5.84
        {"https://api.upbit.com/v1/orders", true},
        {"kraken.com.", true},
        {"bot.gate.orders", false},  // no top-level domain after it
        {"my-kraken.com", false},
        {"kraken.community", false},
        {"https://api.coinone.co.kr/v2", false},
        // fields naming the exchange
        {R"({"exchange":"upbit"})", true},
        {"exchange=binance", true},
        {"'exchange': 'kraken'", true},
        {"exchange_id=okx", true},
        {R"("exchangeId":"Bybit")", true},
        {"EXCHANGE-ID: kucoin", true},
        {"exchange_name=htx", true},
        {"exchange=coinone", false},
        {"exchange=orders", false},
        {"exchange_rate=binance", false},
        {"my_exchange=binance", false},
        {"exchanges=binance", false},
        {"no evidence error_code=103", false},
    };
    for (const auto& c : cases) {
      CAPTURE(c.text);
      CHECK(names_other_exchange(c.text, builtin_exchange_ids()) == c.other);
    }
  }
}
