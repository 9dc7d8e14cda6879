// Line: one corpus line being built, with the shapes it is written in: numbers (plain,
// zero-padded, fixed decimals), hex ids and UUIDs, the timestamps of each log format, and the
// padding fields that bring a line to its target length.
//
// One instance is reused for every line, so there is no allocation churn. Not shared between
// threads.
#pragma once
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "civil_time.h"
#include "rng.h"

namespace corpus {

using namespace std::string_view_literals;

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
  // 09:15:02.114 (the short mix's prefixes)
  Line& ts_clock(const CivilTime& t) { return clock(t).ch('.').zpad(t.millis, 3); }
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

}  // namespace corpus
