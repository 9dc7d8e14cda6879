// Generator (see generator.h): a trading bot's own lines, in Python logging, JSON-lines and
// logfmt shapes (orders, tickers, heartbeats, balances, risk and transport errors).
#include "generator.h"

namespace corpus {

void Generator::python_line() {
  const std::size_t tgt = target();
  const Coin& c = coin();
  switch (rng_.below(16)) {
    case 0:
    case 1:
      py_prefix("INFO", "bot.orders");
      line_.add("placed order {'order_id': '").uuid(rng_).add("', 'side': '");
      line_.add(rng_.one_in(2) ? "BUY" : "SELL").add("', 'pair': '").add(c.sym);
      line_.add("/KRW', 'price': '").num(price(c)).add("', 'qty': '").fixed(qty(), 4).add("'}");
      break;
    case 2:
    case 3:
    case 4: {
      py_prefix("INFO", "bot.market");
      const uint64_t p = price(c);
      line_.add("ticker ").add(c.sym).add("/KRW last=").num(p).add(" bid=").num(p - p / 1000);
      line_.add(" ask=").num(p + p / 1000).add(" vol24h=").fixed(rng_.below(100000000), 4);
      break;
    }
    case 5:
    case 6:
      py_prefix("DEBUG", "urllib3.connectionpool");
      line_.add("https://api.coinone.co.kr:443 \"POST ").add(rng_.pick(kOrderPaths));
      line_.add(" HTTP/1.1\" 200 ").num(rng_.between(60, 900));
      break;
    case 7:
      py_prefix("INFO", "bot.balance");
      line_.add("balance {'KRW': '").num(rng_.below(50000000)).add("', '").add(c.sym);
      line_.add("': '").fixed(qty(), 4).add("', 'ETH': '").fixed(qty(), 4).add("'}");
      break;
    case 8:
    case 9:
    case 10:
      py_prefix("DEBUG", "bot.ws");
      line_.add("heartbeat seq=").num(++seq_).add(" latency_ms=").num(rng_.between(3, 90));
      break;
    case 11:
      py_prefix("ERROR", "bot.ws");
      line_.add("websocket error: ").add(rng_.pick(kWsErrors)).add(", reconnecting in ");
      line_.num(rng_.between(1, 30)).ch('s');
      break;
    case 12:
      py_prefix("WARNING", "bot.risk");
      line_.add("spread ").fixed(rng_.between(30, 120), 2).add("% above threshold for ");
      line_.add(c.sym).add("/KRW, skipping");
      break;
    case 13:
      py_prefix("ERROR", "bot.orders");
      line_.add("order error: ").add(rng_.pick(kHttpErrors)).add(" (attempt ");
      line_.num(rng_.between(1, 5)).add("/5)");
      break;
    case 14:
      py_prefix("DEBUG", "bot.strategy");
      line_.add("signal pair=").add(c.sym).add("/KRW ema_fast=").num(price(c));
      line_.add(" ema_slow=").num(price(c)).add(" rsi=").fixed(rng_.between(1500, 8500), 2);
      line_.add(rng_.one_in(3) ? " decision=buy" : " decision=hold");
      break;
    default:
      py_prefix("INFO", "bot.main");
      line_.add("loop tick=").num(++tick_).add(" open_orders=").num(rng_.below(8));
      line_.add(" pnl_krw=").snum(static_cast<int64_t>(rng_.below(400000)) - 200000);
      line_.add(" errors_last_hour=").num(rng_.below(4));
      break;
  }
  end_text(tgt);
}

void Generator::json_line() {
  const std::size_t tgt = target();
  const Coin& c = coin();
  switch (rng_.below(8)) {
    case 0:
    case 1: {
      json_prefix("info", "bot.market", "ticker");
      const uint64_t p = price(c);
      line_.add(R"(,"pair":")").add(c.sym).add(R"(/KRW","last":")").num(p);
      line_.add(R"(","bid":")").num(p - p / 1000).add(R"(","ask":")").num(p + p / 1000).ch('"');
      break;
    }
    case 2:
      json_prefix("info", "bot.orders", "order placed");
      line_.add(R"(,"order_id":")").uuid(rng_).add(R"(","side":")");
      line_.add(rng_.one_in(2) ? "buy" : "sell").add(R"(","pair":")").add(c.sym);
      line_.add(R"(/KRW","price":")").num(price(c)).add(R"(","qty":")").fixed(qty(), 4).ch('"');
      break;
    case 3:
    case 4:
      json_prefix("debug", "bot.ws", "heartbeat");
      line_.add(R"(,"seq":)").num(++seq_).add(R"(,"latency_ms":)").num(rng_.between(3, 90));
      break;
    case 5:
      json_prefix("error", "bot.http", "request error");
      line_.add(R"(,"err":"Get \"https://api.coinone.co.kr/public/v2/ticker_new/KRW/)");
      line_.add(c.sym).add(R"(\": )").add(rng_.pick(kGoErrors)).add(R"(","attempt":)");
      line_.num(rng_.between(1, 5));
      break;
    case 6:
      json_prefix("warn", "bot.risk", "position limit reached");
      line_.add(R"(,"pair":")").add(c.sym).add(R"(/KRW","position":")").fixed(qty(), 4);
      line_.add(R"(","limit":")").fixed(qty(), 4).ch('"');
      break;
    default:
      json_prefix("info", "bot.balance", "balance");
      line_.add(R"(,"krw":")").num(rng_.below(50000000)).add(R"(",")").add(c.low);
      line_.add(R"(":")").fixed(qty(), 4).ch('"');
      break;
  }
  end_json(tgt, "}");
}

void Generator::logfmt_line() {
  const std::size_t tgt = target();
  const Coin& c = coin();
  switch (rng_.below(6)) {
    case 0:
      logfmt_prefix("info", "order placed");
      line_.add(" pair=").add(c.sym).add("/KRW side=").add(rng_.one_in(2) ? "buy" : "sell");
      line_.add(" price=").num(price(c)).add(" qty=").fixed(qty(), 4).add(" order_id=");
      line_.uuid(rng_);
      break;
    case 1:
    case 2:
      logfmt_prefix("debug", "heartbeat");
      line_.add(" seq=").num(++seq_).add(" latency_ms=").num(rng_.between(3, 90));
      break;
    case 3: {
      logfmt_prefix("info", "ticker");
      const uint64_t p = price(c);
      line_.add(" pair=").add(c.sym).add("/KRW last=").num(p).add(" bid=").num(p - p / 1000);
      line_.add(" ask=").num(p + p / 1000);
      break;
    }
    case 4:
      logfmt_prefix("error", "request error");
      line_.add(" err=\"").add(rng_.pick(kGoErrors));
      line_.add("\" url=https://api.coinone.co.kr/public/v2/orderbook/KRW/").add(c.sym);
      line_.add(" attempt=").num(rng_.between(1, 5));
      break;
    default:
      logfmt_prefix("warn", "rate limited, backing off");
      line_.add(" wait_ms=").num(rng_.between(100, 5000)).add(" remaining=0");
      break;
  }
  end_text(tgt);
}

}  // namespace corpus
