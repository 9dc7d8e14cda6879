// make_corpus: deterministic generator of realistic trading-bot logs for the throughput benchmark
// of coinone-annotate (scripts/bench.sh).
//
//   make_corpus --size BYTES [--error-rate 0.01] [--success-rate 0.17] [--seed 42]
//               [--long-line] [-o FILE]
//
// Normal mode writes exactly BYTES bytes of newline-terminated lines (80-300 bytes, about 150 on
// average) mixing Python logging text, JSON lines, logfmt and HTTP access-log lines, with
// monotonically increasing timestamps. About error-rate of the lines carry a Coinone API error
// (error_code / errorCode in JSON, escaped JSON, Python, logfmt, Node, Ruby, Go and Java shapes),
// about success-rate carry a success response with error code 0, and the rest are ordinary bot
// lines, other exchanges' error bodies (Binance, Upbit) and access-log lines.
//
// --long-line writes one single line of exactly BYTES bytes with no newline: filler text ending
// with {"result":"error","error_code":"103"}.
//
// Same arguments -> same bytes, on any platform: the generator is splitmix64 with its own range
// mapping (no <random> distributions, whose output is implementation-defined), and no floating
// point is used after the rates are turned into integer thresholds.
//
// Takes its codes from the filter's own compiled-in table (coinone_core); otherwise standard
// library only.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "coinone_annotate/match/code_table.h"

namespace {

using namespace std::string_view_literals;

struct Code {
  unsigned code;
  std::string_view msg;
};

// The codes and English meanings of the project's own table (data/coinone-error-codes.tsv,
// compiled into coinone_core), so the corpus always uses the codes the filter knows.
std::vector<Code> table_codes() {
  std::vector<Code> codes;
  for (const auto& entry : coinone::builtin_code_table().entries())
    codes.push_back(Code{entry.code, entry.english});
  return codes;
}

// Codes that real bots hit most; drawn half of the time when they are in the table.
constexpr unsigned kCommonCodes[] = {103u, 104u, 107u, 108u, 131u, 132u, 306u, 405u};

constexpr std::string_view kUnknownTail = "Unknown error";
constexpr unsigned kUnknownCode = 9999u;

constexpr std::string_view kLongLineTail = R"({"result":"error","error_code":"103"})";

// ---------------------------------------------------------------------------------------------
// splitmix64 (Steele, Lea, Flood 2014), with an unbiased range mapping of our own.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); n > 0. Rejection sampling keeps it unbiased.
  uint64_t below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }

  // Uniform in [lo, hi].
  uint64_t between(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }

  // True with probability threshold / 2^53.
  bool chance53(uint64_t threshold) { return (next() >> 11) < threshold; }

  // True with probability num / den.
  bool one_in(uint64_t den) { return below(den) == 0; }

  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  uint64_t state_;
};

constexpr double kTwo53 = 9007199254740992.0;

// ---------------------------------------------------------------------------------------------
// Civil time from a millisecond clock (Howard Hinnant's days <-> civil algorithms).
struct CivilTime {
  unsigned year, month, day, hour, minute, second, millis;
};

constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilTime civil_from_ms(int64_t ms) {
  const int64_t days = ms / 86400000;
  const auto in_day = static_cast<unsigned>(ms % 86400000);
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  CivilTime t{};
  t.year = static_cast<unsigned>(y + (m <= 2 ? 1 : 0));
  t.month = m;
  t.day = d;
  t.hour = in_day / 3600000;
  t.minute = in_day / 60000 % 60;
  t.second = in_day / 1000 % 60;
  t.millis = in_day % 1000;
  return t;
}

constexpr std::string_view kMonthAbbr[] = {"Jan"sv, "Feb"sv, "Mar"sv, "Apr"sv, "May"sv, "Jun"sv,
                                           "Jul"sv, "Aug"sv, "Sep"sv, "Oct"sv, "Nov"sv, "Dec"sv};

// ---------------------------------------------------------------------------------------------
// A line being built. One instance is reused for every line, so there is no allocation churn.
class Line {
 public:
  Line() { s_.reserve(1024); }

  void clear() { s_.clear(); }
  std::size_t size() const { return s_.size(); }
  std::string_view view() const { return s_; }
  void resize(std::size_t n) { s_.resize(n); }

  Line& add(std::string_view v) {
    s_.append(v);
    return *this;
  }
  Line& ch(char c) {
    s_.push_back(c);
    return *this;
  }
  Line& num(uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s_.append(buf, r.ptr);
    return *this;
  }
  Line& snum(int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s_.append(buf, r.ptr);
    return *this;
  }
  // Zero-padded to `width` digits.
  Line& zpad(uint64_t v, unsigned width) {
    char buf[24];
    unsigned n = 0;
    do {
      buf[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0 && n < sizeof buf);
    while (n < width && n < sizeof buf) buf[n++] = '0';
    while (n > 0) s_.push_back(buf[--n]);
    return *this;
  }
  // v / 10^decimals, printed with exactly `decimals` decimals.
  Line& fixed(uint64_t v, unsigned decimals) {
    uint64_t scale = 1;
    for (unsigned i = 0; i < decimals; ++i) scale *= 10;
    num(v / scale);
    if (decimals > 0) {
      ch('.');
      zpad(v % scale, decimals);
    }
    return *this;
  }
  Line& hex(Rng& rng, std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    while (n > 0) {
      uint64_t r = rng.next();
      for (int i = 0; i < 16 && n > 0; ++i, --n) {
        s_.push_back(kDigits[r & 15]);
        r >>= 4;
      }
    }
    return *this;
  }
  // A version-4 UUID.
  Line& uuid(Rng& rng) {
    static constexpr char kVariant[] = "89ab";
    hex(rng, 8).ch('-').hex(rng, 4).add("-4").hex(rng, 3).ch('-');
    ch(kVariant[rng.below(4)]).hex(rng, 3).ch('-').hex(rng, 12);
    return *this;
  }

  // 2026-11-20 09:15:02,114 (Python logging)
  Line& ts_python(const CivilTime& t) {
    return date(t, '-').ch(' ').clock(t).ch(',').zpad(t.millis, 3);
  }
  // 2026-11-20T09:15:02.114Z (JSON, logfmt, Node)
  Line& ts_iso(const CivilTime& t) {
    return date(t, '-').ch('T').clock(t).ch('.').zpad(t.millis, 3).ch('Z');
  }
  // 20/Nov/2026:09:15:02 +0000 (access log)
  Line& ts_access(const CivilTime& t) {
    zpad(t.day, 2).ch('/').add(kMonthAbbr[t.month - 1]).ch('/').num(t.year).ch(':');
    return clock(t).add(" +0000");
  }
  // 2026/11/20 09:15:02 (Go log)
  Line& ts_go(const CivilTime& t) { return date(t, '/').ch(' ').clock(t); }
  // 2026-11-20 09:15:02.114 (logback)
  Line& ts_java(const CivilTime& t) {
    return date(t, '-').ch(' ').clock(t).ch('.').zpad(t.millis, 3);
  }
  // 2026-11-20T09:15:02.114000 (Ruby Logger)
  Line& ts_ruby(const CivilTime& t) {
    return date(t, '-').ch('T').clock(t).ch('.').zpad(t.millis, 3).add("000");
  }

  // Pads the line with extra fields (` host=bot-prod-2`, `,"env":"prod"`, ... then a hex id) so
  // that it plus `closer_len` more bytes comes to `target` bytes. Leaves it alone when it is
  // already that long, and may stop up to 4 bytes short when the gap is too small for a field.
  void pad_text(Rng& rng, std::size_t target, std::size_t closer_len = 0) {
    static constexpr std::string_view kFields[] = {
        " host=bot-prod-2"sv,       " pid=4242"sv,       " thread=MainThread"sv,
        " strategy=grid-v3"sv,      " account=acct-7"sv, " env=prod"sv,
        " region=ap-northeast-2"sv, " version=1.8.4"sv,  " queue_depth=0"sv,
        " ws=connected"sv,          " mode=live"sv,      " feed=coinone-ws"sv};
    static constexpr std::string_view kIds[] = {" req_id="sv, " trace_id="sv, " span="sv,
                                                " corr="sv};
    pad(rng, target, closer_len, kFields, kIds, " id="sv, ""sv);
  }
  void pad_json(Rng& rng, std::size_t target, std::size_t closer_len) {
    static constexpr std::string_view kFields[] = {R"(,"host":"bot-prod-2")"sv,
                                                   R"(,"pid":4242)"sv,
                                                   R"(,"thread":"MainThread")"sv,
                                                   R"(,"strategy":"grid-v3")"sv,
                                                   R"(,"account":"acct-7")"sv,
                                                   R"(,"env":"prod")"sv,
                                                   R"(,"region":"ap-northeast-2")"sv,
                                                   R"(,"version":"1.8.4")"sv,
                                                   R"(,"queue_depth":0)"sv,
                                                   R"(,"ws":"connected")"sv,
                                                   R"(,"mode":"live")"sv,
                                                   R"(,"feed":"coinone-ws")"sv};
    static constexpr std::string_view kIds[] = {R"(,"req_id":")"sv, R"(,"trace_id":")"sv,
                                                R"(,"span_id":")"sv};
    pad(rng, target, closer_len, kFields, kIds, R"(,"id":")"sv, "\"");
  }

 private:
  template <std::size_t NF, std::size_t NI>
  void pad(Rng& rng, std::size_t target, std::size_t closer_len,
           const std::string_view (&fields)[NF], const std::string_view (&ids)[NI],
           std::string_view short_id, std::string_view id_end) {
    const auto gap = [&]() -> std::size_t {
      const std::size_t have = s_.size() + closer_len;
      return target > have ? target - have : 0;
    };
    // Context fields, each at most once, from a random starting point, while more than 36 bytes
    // would be left for the hex id that ends the line.
    const std::size_t first = static_cast<std::size_t>(rng.below(NF));
    for (std::size_t i = 0; i < NF && gap() > 40; ++i) {
      const std::string_view f = fields[(first + i) % NF];
      if (f.size() + 36 > gap()) break;
      add(f);
    }
    std::string_view key = rng.pick(ids);
    if (key.size() + id_end.size() + 4 > gap()) key = short_id;
    if (key.size() + id_end.size() + 1 > gap()) return;
    const std::size_t digits = gap() - key.size() - id_end.size();
    add(key).hex(rng, digits).add(id_end);
  }

  Line& date(const CivilTime& t, char sep) {
    return num(t.year).ch(sep).zpad(t.month, 2).ch(sep).zpad(t.day, 2);
  }
  Line& clock(const CivilTime& t) {
    return zpad(t.hour, 2).ch(':').zpad(t.minute, 2).ch(':').zpad(t.second, 2);
  }

  std::string s_;
};

// ---------------------------------------------------------------------------------------------
// Output in 1 MiB blocks.
class Output {
 public:
  explicit Output(std::FILE* f) : f_(f), buf_(kBlock) {}

  void write(std::string_view v) {
    while (!v.empty()) {
      const std::size_t n = std::min(v.size(), kBlock - used_);
      std::memcpy(buf_.data() + used_, v.data(), n);
      used_ += n;
      v.remove_prefix(n);
      if (used_ == kBlock) flush();
    }
  }
  void flush() {
    if (used_ == 0) return;
    if (std::fwrite(buf_.data(), 1, used_, f_) != used_) fail();
    used_ = 0;
  }
  void close() {
    flush();
    if (std::fflush(f_) != 0) fail();
  }

  static constexpr std::size_t kBlock = std::size_t{1} << 20;

 private:
  [[noreturn]] static void fail() {
    std::fprintf(stderr, "make_corpus: write failed: %s\n", std::strerror(errno));
    std::exit(1);
  }

  std::FILE* f_;
  std::vector<char> buf_;
  std::size_t used_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Vocabulary.
struct Coin {
  std::string_view sym;  // upper case
  std::string_view low;  // lower case
  uint64_t price;        // KRW
};
constexpr Coin kCoins[] = {
    {"BTC", "btc", 131250000}, {"ETH", "eth", 4812000}, {"XRP", "xrp", 3215},
    {"SOL", "sol", 352000},    {"DOGE", "doge", 612},   {"ADA", "ada", 1450},
    {"TRX", "trx", 382},       {"LINK", "link", 34500}, {"USDT", "usdt", 1452},
};

struct OtherError {
  std::string_view exchange;
  std::string_view a;  // Binance: code; Upbit: name
  std::string_view b;  // message
};
constexpr OtherError kBinanceErrors[] = {
    {"binance", "-2010", "Account has insufficient balance for requested action."},
    {"binance", "-1021", "Timestamp for this request is outside of the recvWindow."},
    {"binance", "-1003", "Too many requests; current limit is 1200 requests per minute."},
    {"binance", "-2011", "Unknown order sent."},
    {"binance", "-1013", "Filter failure: LOT_SIZE"},
};
constexpr OtherError kUpbitErrors[] = {
    {"upbit", "insufficient_funds_bid", "주문가능한 금액(KRW)이 부족합니다."},
    {"upbit", "under_min_total_bid", "최소주문금액 이상으로 주문해주세요"},
    {"upbit", "invalid_query_payload", "JWT 토큰의 쿼리 정보가 잘못되었습니다."},
    {"upbit", "validation_error", "잘못된 API 요청입니다."},
};

constexpr std::string_view kOrderPaths[] = {"/v2.1/order"sv, "/v2.1/order/cancel"sv,
                                            "/v2.1/account/balance/all"sv,
                                            "/v2.1/order/active_orders"sv, "/v2.1/order/detail"sv};
constexpr std::string_view kUserAgents[] = {"python-requests/2.31.0"sv, "aiohttp/3.9.1"sv,
                                            "Prometheus/2.45.0"sv, "curl/7.88.1"sv,
                                            "kube-probe/1.28"sv};
constexpr std::string_view kWsErrors[] = {
    "connection reset by peer"sv, "received 1006 (connection closed abnormally)"sv,
    "ping timeout after 20s"sv, "SSL: UNEXPECTED_EOF_WHILE_READING"sv};
constexpr std::string_view kHttpErrors[] = {
    "ReadTimeout(\"HTTPSConnectionPool(host='api.coinone.co.kr', port=443): Read timed out.\")"sv,
    "ConnectionError('Connection aborted.', RemoteDisconnected('closed connection'))"sv,
    "ServerDisconnectedError('Server disconnected')"sv};
constexpr std::string_view kGoErrors[] = {"context deadline exceeded"sv,
                                          "read: connection reset by peer"sv, "unexpected EOF"sv,
                                          "i/o timeout"sv};

// ---------------------------------------------------------------------------------------------
class Generator {
 public:
  Generator(uint64_t seed, std::vector<Code> codes, uint64_t error_threshold,
            uint64_t success_threshold)
      : rng_(seed),
        codes_(std::move(codes)),
        error_threshold_(error_threshold),
        success_threshold_(success_threshold) {
    for (const unsigned c : kCommonCodes)
      for (const Code& code : codes_)
        if (code.code == c) common_.push_back(code);
    // 2026-11-20 09:15:02.114 UTC
    ms_ = days_from_civil(2026, 11, 20) * 86400000 + (9 * 3600 + 15 * 60 + 2) * 1000 + 114;
  }

  // Writes exactly `size` bytes of newline-terminated lines.
  void write_lines(Output& out, uint64_t size) {
    uint64_t remaining = size;
    while (remaining > kFinishBelow) {
      tick();
      line_.clear();
      one_line();
      line_.ch('\n');
      if (line_.size() > remaining) line_.resize(static_cast<std::size_t>(remaining));
      out.write(line_.view());
      remaining -= line_.size();
    }
    // The last few lines are cut to measure, so the total is exact.
    while (remaining > 0) {
      const uint64_t pieces = (remaining + kMaxLine - 1) / kMaxLine;
      const auto len = static_cast<std::size_t>(remaining / pieces);
      tick();
      line_.clear();
      heartbeat_exact(len - 1);
      line_.ch('\n');
      out.write(line_.view());
      remaining -= line_.size();
    }
  }

  // One line of exactly `size` bytes and no newline: filler, then kLongLineTail.
  void write_long_line(Output& out, uint64_t size) {
    // A 1 MiB block of filler (ordinary log text with the newlines turned into spaces), written
    // over and over.
    std::string block;
    block.reserve(Output::kBlock + 1024);
    while (block.size() < Output::kBlock) {
      tick();
      line_.clear();
      ordinary();
      block.append(line_.view());
      block.push_back(' ');
    }
    block.resize(Output::kBlock);
    uint64_t filler = size - kLongLineTail.size();
    while (filler > 0) {
      const auto n = static_cast<std::size_t>(std::min<uint64_t>(filler, block.size()));
      std::string_view chunk(block.data(), n);
      if (n == filler && n > 0) {
        // End the filler with a space so the tail stands as its own token.
        out.write(chunk.substr(0, n - 1));
        out.write(" ");
      } else {
        out.write(chunk);
      }
      filler -= n;
    }
    out.write(kLongLineTail);
  }

  static constexpr uint64_t kMaxLine = 300;
  static constexpr uint64_t kFinishBelow = 1024;

 private:
  void tick() {
    ms_ += static_cast<int64_t>(rng_.between(1, 37));
    t_ = civil_from_ms(ms_);
  }

  // Target length of a line without its newline: 84-162 mostly (triangular, mean 123), and one
  // line in 12 is 200-299. Lines whose text is longer keep it, which brings the average line,
  // newline included, to about 150 bytes.
  std::size_t target() {
    if (rng_.one_in(12)) return static_cast<std::size_t>(rng_.between(200, 299));
    return static_cast<std::size_t>(84 + rng_.below(40) + rng_.below(40));
  }

  void one_line() {
    const uint64_t r = rng_.next() >> 11;
    if (r < error_threshold_) {
      coinone_error();
    } else if (r - error_threshold_ < success_threshold_) {
      coinone_success();
    } else {
      ordinary();
    }
  }

  const Coin& coin() { return rng_.pick(kCoins); }
  uint64_t price(const Coin& c) { return c.price - c.price / 100 + rng_.below(c.price / 50 + 1); }
  uint64_t qty() { return rng_.between(1, 50000); }  // in 1/10000 units

  // ------------------------------------------------------------------------- ordinary lines
  void py_prefix(std::string_view level, std::string_view logger) {
    line_.ts_python(t_).ch(' ').add(level).ch(' ').add(logger).add(": ");
  }
  void json_prefix(std::string_view level, std::string_view logger, std::string_view msg) {
    line_.add(R"({"ts":")").ts_iso(t_).add(R"(","level":")").add(level).add(R"(","logger":")");
    line_.add(logger).add(R"(","msg":")").add(msg).ch('"');
  }
  void logfmt_prefix(std::string_view level, std::string_view msg) {
    line_.add("ts=").ts_iso(t_).add(" level=").add(level).add(" msg=");
    if (msg.find(' ') != std::string_view::npos) {
      line_.ch('"').add(msg).ch('"');
    } else {
      line_.add(msg);
    }
  }
  void end_text(std::size_t target) { line_.pad_text(rng_, target); }
  void end_json(std::size_t target, std::string_view closer) {
    line_.pad_json(rng_, target, closer.size());
    line_.add(closer);
  }

  void ordinary() {
    const uint64_t r = rng_.below(100);
    if (r < 40) {
      python_line();
    } else if (r < 64) {
      json_line();
    } else if (r < 82) {
      logfmt_line();
    } else if (r < 94) {
      access_line();
    } else {
      other_exchange_line();
    }
  }

  void python_line() {
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

  void json_line() {
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

  void logfmt_line() {
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

  void access_line() {
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

  void other_exchange_line() {
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
  void other_body(bool binance, const OtherError& e) {
    if (binance) {
      line_.add(R"({"code":)").add(e.a).add(R"(,"msg":")").add(e.b).add(R"("})");
    } else {
      line_.add(R"({"error":{"name":")").add(e.a).add(R"(","message":")").add(e.b).add(R"("}})");
    }
  }

  // A heartbeat line of exactly `len` bytes (cut when it cannot be that short).
  void heartbeat_exact(std::size_t len) {
    py_prefix("DEBUG", "bot.ws");
    line_.add("heartbeat seq=").num(++seq_);
    line_.pad_text(rng_, len);
    if (line_.size() > len) line_.resize(len);
    while (line_.size() < len) line_.ch('0');  // only when the pad field did not fit
  }

  // ---------------------------------------------------------------------- Coinone responses
  const Code& error_code() {
    if (rng_.one_in(40) || codes_.empty()) return unknown_;
    if (!common_.empty() && rng_.one_in(2)) return common_[rng_.below(common_.size())];
    return codes_[rng_.below(codes_.size())];
  }

  // Every shape names coinone in lower case, so an unknown code still has its context.
  void coinone_error() {
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

  void coinone_success() {
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
        line_.add(
            "] c.e.b.coinone.CoinoneClient - response: Resp{result='success', errorCode='0'}");
        end_text(tgt);
        break;
    }
  }

  Rng rng_;
  std::vector<Code> codes_;
  std::vector<Code> common_;
  Code unknown_{kUnknownCode, kUnknownTail};

 public:
  // How many error lines carry each code: the oracle for the --summary=json test.
  std::map<unsigned, uint64_t> tally_;

 private:
  uint64_t error_threshold_;
  uint64_t success_threshold_;
  int64_t ms_ = 0;
  CivilTime t_{};
  uint64_t seq_ = 0;
  uint64_t tick_ = 0;
  Line line_;
};

// ---------------------------------------------------------------------------------------------
// Command line.
constexpr std::string_view kUsage =
    "usage: make_corpus --size BYTES [--error-rate 0.01] [--success-rate 0.17] [--seed 42]\n"
    "                   [--long-line] [-o FILE]\n"
    "\n"
    "  --size BYTES        exact output size; K, M, G suffixes mean KiB, MiB, GiB\n"
    "  --error-rate R      share of lines with a Coinone error code (default 0.01)\n"
    "  --success-rate R    share of lines with a success response, error code 0 (default 0.17;\n"
    "                      lowered to 1 - error-rate when the two add up to more than 1)\n"
    "  --seed N            PRNG seed (default 42); same arguments give the same bytes\n"
    "  --long-line         one line of BYTES bytes, no newline, ending with\n"
    "                      {\"result\":\"error\",\"error_code\":\"103\"}\n"
    "  --counts FILE       also write how many error lines carry each code, one 'CODE COUNT'\n"
    "                      a line (the oracle of the --summary=json test)\n"
    "  -o, --output FILE   write to FILE (default: standard output)\n";

[[noreturn]] void usage_error(const std::string& msg) {
  std::fprintf(stderr, "make_corpus: %s\n%.*s", msg.c_str(), static_cast<int>(kUsage.size()),
               kUsage.data());
  std::exit(2);
}

uint64_t parse_size(std::string_view s) {
  uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr == s.data()) usage_error("bad --size: " + std::string(s));
  std::string_view suffix(r.ptr, static_cast<std::size_t>(s.data() + s.size() - r.ptr));
  unsigned shift = 0;
  if (suffix.empty()) {
    shift = 0;
  } else if (suffix == "K" || suffix == "KiB") {
    shift = 10;
  } else if (suffix == "M" || suffix == "MiB") {
    shift = 20;
  } else if (suffix == "G" || suffix == "GiB") {
    shift = 30;
  } else {
    usage_error("bad --size suffix: " + std::string(s));
  }
  if (shift > 0 && v > (UINT64_MAX >> shift)) usage_error("--size too large: " + std::string(s));
  return v << shift;
}

double parse_rate(const char* flag, const std::string& s) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || errno != 0 || !(v >= 0.0 && v <= 1.0))
    usage_error(std::string("bad ") + flag + " (want a number from 0 to 1): " + s);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  bool have_size = false;
  uint64_t size = 0;
  double error_rate = 0.01;
  double success_rate = 0.17;
  uint64_t seed = 42;
  bool long_line = false;
  std::string output;
  std::string counts_path;

  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fwrite(kUsage.data(), 1, kUsage.size(), stdout);
      return 0;
    } else if (arg == "--size") {
      size = parse_size(value());
      have_size = true;
    } else if (arg == "--error-rate") {
      error_rate = parse_rate("--error-rate", value());
    } else if (arg == "--success-rate") {
      success_rate = parse_rate("--success-rate", value());
    } else if (arg == "--seed") {
      const std::string v = value();
      const auto r = std::from_chars(v.data(), v.data() + v.size(), seed);
      if (r.ec != std::errc{} || r.ptr != v.data() + v.size()) usage_error("bad --seed: " + v);
    } else if (arg == "--long-line") {
      long_line = true;
    } else if (arg == "--counts") {
      counts_path = value();
    } else if (arg == "-o" || arg == "--output") {
      output = value();
    } else {
      usage_error("unknown argument: " + arg);
    }
  }
  if (!have_size) usage_error("--size is required");
  if (success_rate > 1.0 - error_rate) success_rate = 1.0 - error_rate;
  if (long_line && size < kLongLineTail.size() + 1)
    usage_error("--size must be at least " + std::to_string(kLongLineTail.size() + 1) +
                " with --long-line");

  std::vector<Code> codes = table_codes();

  std::FILE* f = stdout;
  if (!output.empty() && output != "-") {
    f = std::fopen(output.c_str(), "wb");
    if (f == nullptr) {
      std::fprintf(stderr, "make_corpus: cannot open %s: %s\n", output.c_str(),
                   std::strerror(errno));
      return 1;
    }
  }

  const auto error_threshold = static_cast<uint64_t>(error_rate * kTwo53);
  const auto success_threshold = static_cast<uint64_t>(success_rate * kTwo53);
  Generator gen(seed, std::move(codes), error_threshold, success_threshold);
  Output out(f);
  if (long_line) {
    gen.write_long_line(out, size);
  } else {
    gen.write_lines(out, size);
  }
  out.close();
  if (!counts_path.empty()) {
    std::FILE* counts = std::fopen(counts_path.c_str(), "w");
    if (counts == nullptr) {
      std::fprintf(stderr, "make_corpus: cannot open %s: %s\n", counts_path.c_str(),
                   std::strerror(errno));
      return 1;
    }
    for (const auto& [code, count] : gen.tally_)
      std::fprintf(counts, "%u %llu\n", code, static_cast<unsigned long long>(count));
    std::fclose(counts);
  }
  if (f != stdout && std::fclose(f) != 0) {
    std::fprintf(stderr, "make_corpus: cannot write %s: %s\n", output.c_str(),
                 std::strerror(errno));
    return 1;
  }
  return 0;
}
