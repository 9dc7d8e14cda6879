// Generator (see generator.h): HTTP access-log lines, and other exchanges' (Binance, Upbit)
// error bodies, whose codes the filter must leave alone, and Python tracebacks (several short
// lines, the last one naming the exception).
#include "generator.h"

namespace corpus {

void Generator::access_line() {
  static constexpr std::string_view kMethods[] = {"GET"sv, "GET"sv, "GET"sv, "POST"sv};
  const std::size_t tgt = target();
  const Coin& c = coin();
  line_.add("127.0.0.1 - - [").ts_access(t_).add("] \"").add(rng_.pick(kMethods)).ch(' ');
  switch (rng_.below(5)) {
    case 0:
      line_.add("/v2/ticker/?currency=").add(c.low);
      break;
    case 1:
      line_.add("/public/v2/ticker_new/KRW/").add(c.sym);
      break;
    case 2:
      line_.add("/metrics");
      break;
    case 3:
      line_.add("/healthz");
      break;
    default:
      line_.add("/public/v2/orderbook/KRW/").add(c.sym).add("?size=15");
      break;
  }
  static constexpr unsigned kStatus[] = {200, 200, 200, 200, 200, 200, 200, 304, 404, 429, 502};
  line_.add(" HTTP/1.1\" ").num(rng_.pick(kStatus)).ch(' ').num(rng_.between(0, 9000));
  line_.add(" \"-\" \"").add(rng_.pick(kUserAgents)).add("\" rt=0.");
  line_.zpad(rng_.between(1, 999), 3);
  end_text(tgt);
}

void Generator::other_exchange_line() {
  const std::size_t tgt = target();
  const bool binance = rng_.one_in(2);
  const OtherError& e = binance ? rng_.pick(kBinanceErrors) : rng_.pick(kUpbitErrors);
  const std::string_view logger = binance ? "bot.binance" : "bot.upbit";
  if (rng_.one_in(2)) {
    py_prefix("WARNING", logger);
    line_.add("order rejected: ");
    other_body(binance, e);
    end_text(tgt);
  } else {
    json_prefix("error", logger, "api error");
    line_.add(R"(,"status":400,"body":)");
    other_body(binance, e);
    end_json(tgt, "}");
  }
}

void Generator::other_body(bool binance, const OtherError& e) {
  if (binance) {
    line_.add(R"({"code":)").add(e.a).add(R"(,"msg":")").add(e.b).add(R"("})");
  } else {
    line_.add(R"({"error":{"name":")").add(e.a).add(R"(","message":")").add(e.b).add(R"("}})");
  }
}

// A traceback of one to four frames: lines of 20 to 90 bytes without a timestamp.
void Generator::traceback_lines() {
  static constexpr std::string_view kFrames[] = {
      R"(  File "/app/bot/orders.py", line 212, in place_order)"sv,
      R"(  File "/app/bot/client.py", line 88, in post)"sv,
      R"(  File "/usr/lib/python3/dist-packages/requests/sessions.py", line 637, in post)"sv,
      R"(  File "/usr/lib/python3/dist-packages/urllib3/connectionpool.py", line 467, in _make_request)"sv};
  static constexpr std::string_view kCode[] = {
      "    resp = self.client.post(path, body)"sv,
      "    return self.request(\"POST\", url, data=data)"sv,
      "    raise ReadTimeoutError(self, url, msg)"sv};
  py_prefix("ERROR", "bot.main");
  line_.add("unhandled exception in loop tick=").num(tick_).ch('\n');
  line_.add("Traceback (most recent call last):\n");
  const uint64_t frames = rng_.between(1, 4);
  for (uint64_t i = 0; i < frames; ++i) {
    line_.add(rng_.pick(kFrames)).ch('\n').add(rng_.pick(kCode)).ch('\n');
  }
  line_.add("requests.exceptions.").add(rng_.pick(kHttpErrors));
}

}  // namespace corpus
