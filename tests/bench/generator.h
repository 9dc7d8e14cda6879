// Generator: makes the corpus lines, from one seed, into an Output.
//
// write_lines() writes lines of the kinds below, each padded to a drawn target length, with a
// millisecond clock that moves 1-37 ms a line from 2026-11-20 09:15:02.114 UTC;
// write_long_line() writes the one --long-line line. The line kinds live in their own files:
//   generator.cpp      the two writers, the clock, target lengths, the choice of kind, and the
//                      prefixes and padded ends that every kind shares
//   bot_lines.cpp      a trading bot's own lines (Python logging, JSON lines, logfmt)
//   other_lines.cpp    access-log lines, other exchanges' (Binance, Upbit) error bodies and
//                      Python tracebacks
//   coinone_lines.cpp  Coinone API responses: errors in eleven shapes, successes with code 0
//
// Every draw comes from the one Rng in a fixed order, so the same seed, codes and thresholds give
// the same bytes. Not copyable in practice (it owns a 1 KiB line); not shared between threads.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "civil_time.h"
#include "codes.h"
#include "line.h"
#include "output.h"
#include "rng.h"
#include "vocabulary.h"

namespace corpus {

// The mix of line kinds and lengths (make_corpus --mix).
//   kStandard  the benchmark's corpus: lines of about 150 bytes on average
//   kShort     the same kinds, padded to shorter targets, with the time of day alone in the
//              prefixes, no logger in JSON lines and error messages cut to 8 bytes: at most
//              128 bytes a line on average, also with half the lines Coinone errors
//   kSecond    another mix: more access and JSON lines, Python tracebacks (runs of short
//              lines), and one line in six 300 to 1500 bytes long
enum class Mix { kStandard, kShort, kSecond };

class Generator {
 public:
  // The thresholds are the error and success rates times kTwo53.
  Generator(uint64_t seed, std::vector<Code> codes, uint64_t error_threshold,
            uint64_t success_threshold, Mix mix = Mix::kStandard);

  // Writes exactly `size` bytes of newline-terminated lines.
  void write_lines(Output& out, uint64_t size);

  // One line of exactly `size` bytes and no newline: filler, then kLongLineTail.
  void write_long_line(Output& out, uint64_t size);

  static constexpr uint64_t kMaxLine = 300;
  static constexpr uint64_t kFinishBelow = 1024;

 private:
  // generator.cpp
  void tick();
  std::size_t target();
  void one_line();

  const Coin& coin() { return rng_.pick(kCoins); }
  uint64_t price(const Coin& c) { return c.price - c.price / 100 + rng_.below(c.price / 50 + 1); }
  uint64_t qty() { return rng_.between(1, 50000); }  // in 1/10000 units

  // generator.cpp: the prefixes and ends of the lines of every kind
  void py_prefix(std::string_view level, std::string_view logger);
  void json_prefix(std::string_view level, std::string_view logger, std::string_view msg);
  void logfmt_prefix(std::string_view level, std::string_view msg);
  void end_text(std::size_t target) { line_.pad_text(rng_, target); }
  void end_json(std::size_t target, std::string_view closer);

  // generator.cpp
  void ordinary();
  // A heartbeat line of exactly `len` bytes (cut when it cannot be that short).
  void heartbeat_exact(std::size_t len);

  // bot_lines.cpp
  void python_line();
  void json_line();
  void logfmt_line();

  // other_lines.cpp
  void access_line();
  void traceback_lines();
  void other_exchange_line();
  void other_body(bool binance, const OtherError& e);

  // coinone_lines.cpp
  const Code& error_code();
  void coinone_error();
  void coinone_success();

  Rng rng_;
  std::vector<Code> codes_;
  std::vector<Code> common_;
  Code unknown_{kUnknownCode, kUnknownTail};
  Code short_{};  // the short mix's code of the line being made, its message cut

 public:
  // How many error lines carry each code: the oracle for the --summary=json test.
  std::map<unsigned, uint64_t> tally_;

 private:
  uint64_t error_threshold_;
  uint64_t success_threshold_;
  Mix mix_;
  int64_t ms_ = 0;
  CivilTime t_{};
  uint64_t seq_ = 0;
  uint64_t tick_ = 0;
  Line line_;
};

}  // namespace corpus
