// Generator (see generator.h): Coinone API responses, errors in eleven shapes (JSON, escaped
// JSON, Python, logfmt, Node, Ruby, Go, Java) counted in tally_, and successes with error code 0.
#include "generator.h"

namespace corpus {

const Code& Generator::error_code() {
  if (rng_.one_in(40) || codes_.empty()) return unknown_;
  const Code& code = !common_.empty() && rng_.one_in(2) ? common_[rng_.below(common_.size())]
                                                        : codes_[rng_.below(codes_.size())];
  if (mix_ != Mix::kShort) return code;
  short_ = {code.code, code.msg.substr(0, 8)};  // the short mix's messages are cut short
  return short_;
}

// Every shape names coinone in lower case, so an unknown code still has its context.
void Generator::coinone_error() {
  const std::size_t tgt = target();
  const Code& e = error_code();
  ++tally_[e.code];
  const Coin& c = coin();
  const bool quoted = !rng_.one_in(6);  // Coinone sends codes as strings; some dumps drop them
  const auto code = [&](char q) -> Line& {
    if (quoted) line_.ch(q);
    line_.num(e.code);
    if (quoted) line_.ch(q);
    return line_;
  };
  switch (rng_.below(11)) {
    case 0:  // text + plain JSON
      py_prefix("ERROR", "coinone.client");
      line_.add("POST ")
          .add(rng_.pick(kOrderPaths))
          .add(R"( failed: {"result":"error","error_code":)");
      code('"').add(R"(,"error_msg":")").add(e.msg).add(R"("})");
      end_text(tgt);
      break;
    case 1:  // text + camelCase JSON
      py_prefix("ERROR", "bot.orders");
      line_.add("coinone rejected ")
          .add(c.sym)
          .add(R"(/KRW order: {"result":"error","errorCode":)");
      code('"').add(R"(,"errorMsg":")").add(e.msg).add(R"("})");
      end_text(tgt);
      break;
    case 2:  // JSON line, nested object
      json_prefix("error", "coinone.client", "order failed");
      line_.add(R"(,"pair":")")
          .add(c.sym)
          .add(R"(/KRW","response":{"result":"error","error_code":)");
      code('"').add(R"(,"error_msg":")").add(e.msg).add(R"("})");
      end_json(tgt, "}");
      break;
    case 3:  // JSON escaped inside a JSON string
      json_prefix("error", "coinone.client", "coinone request failed");
      line_.add(R"(,"status":200,"body":"{\"result\":\"error\",\"error_code\":)");
      if (quoted) line_.add(R"(\")");
      line_.num(e.code);
      if (quoted) line_.add(R"(\")");
      line_.add(R"(,\"error_msg\":\")").add(e.msg).add(R"(\"}")");
      end_json(tgt, "}");
      break;
    case 4:  // Python dict repr
      py_prefix("ERROR", "bot.orders");
      line_.add("order rejected by coinone: {'result': 'error', 'error_code': ");
      code('\'').add(", 'error_msg': '").add(e.msg).add("'}");
      end_text(tgt);
      break;
    case 5:  // logfmt
      logfmt_prefix("error", "coinone order failed");
      line_.add(" pair=").add(c.sym).add("/KRW error_code=").num(e.code);
      line_.add(" error_msg=\"").add(e.msg).ch('"');
      end_text(tgt);
      break;
    case 6:  // Node util.inspect
      line_.ts_iso(t_).add(" [bot] error: coinone response { result: 'error', errorCode: ");
      code('\'').add(", errorMsg: '").add(e.msg).add("' }");
      end_text(tgt);
      break;
    case 7:  // Ruby hash inspect
      line_.add("E, [").ts_ruby(t_).add(" #4242] ERROR -- coinone: order failed ");
      line_.add(R"({"result"=>"error", "error_code"=>)");
      code('"').add(R"(, "error_msg"=>")").add(e.msg).add(R"("})");
      end_text(tgt);
      break;
    case 8:  // Go %+v
      line_.ts_go(t_).add(" coinone: order failed: &{Result:error ErrorCode:").num(e.code);
      line_.add(" ErrorMsg:").add(e.msg).ch('}');
      end_text(tgt);
      break;
    case 9:  // Java toString
      line_.ts_java(t_).add(" ERROR [pool-1-thread-").num(rng_.between(1, 8));
      line_.add("] c.e.b.coinone.CoinoneClient - API error: Resp{result='error', errorCode=");
      code('\'').add(", errorMsg='").add(e.msg).add("'}");
      end_text(tgt);
      break;
    default:  // logfmt with the body as a quoted JSON value
      logfmt_prefix("warn", "coinone api error, retrying");
      line_.add(R"( body="{\"result\":\"error\",\"error_code\":\")").num(e.code);
      line_.add(R"(\"}" attempt=)").num(rng_.between(1, 5));
      end_text(tgt);
      break;
  }
}

void Generator::coinone_success() {
  const std::size_t tgt = target();
  const Coin& c = coin();
  switch (rng_.below(10)) {
    case 0:
      py_prefix("DEBUG", "coinone.client");
      line_.add(R"(response {"result":"success","error_code":"0","order_id":")").uuid(rng_);
      line_.add(R"("})");
      end_text(tgt);
      break;
    case 1:
      py_prefix("DEBUG", "coinone.client");
      line_.add(R"(response {"result":"success","error_code":"0","server_time":)");
      line_.num(static_cast<uint64_t>(ms_))
          .add(R"(,"tickers":[{"quote_currency":"KRW","target_currency":")");
      line_.add(c.sym).add(R"(","last":")").num(price(c)).add(R"("}]})");
      end_text(tgt);
      break;
    case 2:
      json_prefix("debug", "coinone.client", "response");
      line_.add(R"(,"response":{"result":"success","error_code":"0","limit_orders":[]})");
      end_json(tgt, "}");
      break;
    case 3:
      json_prefix("debug", "coinone.client", "coinone response");
      line_.add(
          R"(,"status":200,"body":"{\"result\":\"success\",\"error_code\":\"0\",\"order_id\":\")");
      line_.uuid(rng_).add(R"(\"}")");
      end_json(tgt, "}");
      break;
    case 4:
      py_prefix("INFO", "bot.balance");
      line_.add(
          "coinone balance {'result': 'success', 'error_code': '0', 'balances': [{'currency': '");
      line_.add(c.sym).add("', 'available': '").fixed(qty(), 4).add("', 'limit': '0'}]}");
      end_text(tgt);
      break;
    case 5:
      logfmt_prefix("debug", "coinone response");
      line_.add(" result=success error_code=0 order_id=").uuid(rng_);
      end_text(tgt);
      break;
    case 6:
      line_.ts_iso(t_).add(
          " [bot] debug: coinone response { result: 'success', errorCode: '0', orderId: '");
      line_.uuid(rng_).add("' }");
      end_text(tgt);
      break;
    case 7:
      line_.add("I, [").ts_ruby(t_).add(" #4242]  INFO -- coinone: ");
      line_.add(R"({"result"=>"success", "error_code"=>"0", "order_id"=>")")
          .uuid(rng_)
          .add(R"("})");
      end_text(tgt);
      break;
    case 8:
      line_.ts_go(t_).add(" coinone: response: &{Result:success ErrorCode:0 OrderID:").uuid(rng_);
      line_.ch('}');
      end_text(tgt);
      break;
    default:
      line_.ts_java(t_).add(" DEBUG [pool-1-thread-").num(rng_.between(1, 8));
      line_.add("] c.e.b.coinone.CoinoneClient - response: Resp{result='success', errorCode='0'}");
      end_text(tgt);
      break;
  }
}

}  // namespace corpus
