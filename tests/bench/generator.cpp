// Generator (see generator.h): the two writers, the clock, target lengths, the choice of a
// line's kind, and the prefixes and padded ends that the lines of every kind share.
#include "generator.h"

#include <algorithm>
#include <string>
#include <utility>

namespace corpus {

Generator::Generator(uint64_t seed, std::vector<Code> codes, uint64_t error_threshold,
                     uint64_t success_threshold, Mix mix)
    : rng_(seed),
      codes_(std::move(codes)),
      error_threshold_(error_threshold),
      success_threshold_(success_threshold),
      mix_(mix) {
  for (const unsigned c : kCommonCodes)
    for (const Code& code : codes_)
      if (code.code == c) common_.push_back(code);
  // 2026-11-20 09:15:02.114 UTC
  ms_ = days_from_civil(2026, 11, 20) * 86400000 + (9 * 3600 + 15 * 60 + 2) * 1000 + 114;
}

void Generator::write_lines(Output& out, uint64_t size) {
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

void Generator::write_long_line(Output& out, uint64_t size) {
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

void Generator::tick() {
  ms_ += static_cast<int64_t>(rng_.between(1, 37));
  t_ = civil_from_ms(ms_);
}

// Target length of a line without its newline. Standard: 84-162 mostly (triangular, mean 123),
// and one line in 12 is 200-299. Lines whose text is longer keep it, which brings the average
// line, newline included, to about 150 bytes. Short: 40-96 (mean 68), one in 25 120-179.
// Second: 30-148 (mean 89), one in six 300-1499.
std::size_t Generator::target() {
  switch (mix_) {
    case Mix::kShort:
      if (rng_.one_in(25)) return static_cast<std::size_t>(rng_.between(120, 179));
      return static_cast<std::size_t>(40 + rng_.below(29) + rng_.below(29));
    case Mix::kSecond:
      if (rng_.one_in(6)) return static_cast<std::size_t>(rng_.between(300, 1499));
      return static_cast<std::size_t>(30 + rng_.below(60) + rng_.below(60));
    case Mix::kStandard:
      break;
  }
  if (rng_.one_in(12)) return static_cast<std::size_t>(rng_.between(200, 299));
  return static_cast<std::size_t>(84 + rng_.below(40) + rng_.below(40));
}

void Generator::one_line() {
  const uint64_t r = rng_.next() >> 11;
  if (r < error_threshold_) {
    coinone_error();
  } else if (r - error_threshold_ < success_threshold_) {
    coinone_success();
  } else {
    ordinary();
  }
}

// The short mix's prefixes have the time of day without the date, and its JSON lines no logger.
void Generator::py_prefix(std::string_view level, std::string_view logger) {
  if (mix_ == Mix::kShort)
    line_.ts_clock(t_);
  else
    line_.ts_python(t_);
  line_.ch(' ').add(level).ch(' ').add(logger).add(": ");
}

void Generator::json_prefix(std::string_view level, std::string_view logger, std::string_view msg) {
  if (mix_ == Mix::kShort) {
    line_.add(R"({"ts":")").ts_clock(t_).add(R"(","level":")").add(level);
  } else {
    line_.add(R"({"ts":")").ts_iso(t_).add(R"(","level":")").add(level);
    line_.add(R"(","logger":")").add(logger);
  }
  line_.add(R"(","msg":")").add(msg).ch('"');
}

void Generator::logfmt_prefix(std::string_view level, std::string_view msg) {
  line_.add("ts=");
  if (mix_ == Mix::kShort)
    line_.ts_clock(t_);
  else
    line_.ts_iso(t_);
  line_.add(" level=").add(level).add(" msg=");
  if (msg.find(' ') != std::string_view::npos) {
    line_.ch('"').add(msg).ch('"');
  } else {
    line_.add(msg);
  }
}

void Generator::end_json(std::size_t target, std::string_view closer) {
  line_.pad_json(rng_, target, closer.size());
  line_.add(closer);
}

void Generator::ordinary() {
  const uint64_t r = rng_.below(100);
  if (mix_ == Mix::kSecond) {  // fewer Python lines, more JSON and access lines, tracebacks
    if (r < 15) {
      python_line();
    } else if (r < 45) {
      json_line();
    } else if (r < 55) {
      logfmt_line();
    } else if (r < 82) {
      access_line();
    } else if (r < 90) {
      other_exchange_line();
    } else {
      traceback_lines();
    }
    return;
  }
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

void Generator::heartbeat_exact(std::size_t len) {
  py_prefix("DEBUG", "bot.ws");
  line_.add("heartbeat seq=").num(++seq_);
  line_.pad_text(rng_, len);
  if (line_.size() > len) line_.resize(len);
  while (line_.size() < len) line_.ch('0');  // only when the pad field did not fit
}

}  // namespace corpus
