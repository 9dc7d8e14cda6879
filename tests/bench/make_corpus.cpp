// make_corpus: deterministic generator of realistic trading-bot logs for the throughput benchmark
// of coinone-annotate (scripts/bench.sh).
//
//   make_corpus --size BYTES [--error-rate 0.01] [--success-rate 0.17] [--seed 42]
//               [--mix standard|short|second] [--long-line] [-o FILE]
//
// Normal mode writes exactly BYTES bytes of newline-terminated lines (80-300 bytes, about 150 on
// average) mixing Python logging text, JSON lines, logfmt and HTTP access-log lines, with
// monotonically increasing timestamps. About error-rate of the lines carry a Coinone API error
// (error_code / errorCode in JSON, escaped JSON, Python, logfmt, Node, Ruby, Go and Java shapes),
// about success-rate carry a success response with error code 0, and the rest are ordinary bot
// lines, other exchanges' error bodies (Binance, Upbit) and access-log lines.
//
// --mix short pads the same kinds of lines to shorter lengths: at most 128 bytes a line on
// average (about 80 at 1% errors, about 110 at 50%), where the cost per annotated line weighs
// most. --mix second is another mix for the pass-through benchmark: more access and JSON lines,
// Python tracebacks (runs of short lines), one line in six 300-1500 bytes long, and by default
// 35% success lines carrying error code 0.
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
//
// The parts: rng.h (random numbers), civil_time.h (timestamps), line.h (the line shapes),
// output.h (the block writer), codes.h and vocabulary.h (what lines are made of), generator.h
// (the lines themselves); this file parses the command line and runs the generator.
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "codes.h"
#include "generator.h"
#include "output.h"
#include "rng.h"

namespace {

using corpus::Code;
using corpus::Generator;
using corpus::kLongLineTail;
using corpus::kTwo53;
using corpus::Mix;
using corpus::Output;
using corpus::table_codes;

// Command line.
constexpr std::string_view kUsage =
    "usage: make_corpus --size BYTES [--error-rate 0.01] [--success-rate 0.17] [--seed 42]\n"
    "                   [--mix standard|short|second] [--long-line] [-o FILE]\n"
    "\n"
    "  --size BYTES        exact output size; K, M, G suffixes mean KiB, MiB, GiB\n"
    "  --error-rate R      share of lines with a Coinone error code (default 0.01)\n"
    "  --success-rate R    share of lines with a success response, error code 0 (default 0.17,\n"
    "                      0.35 with --mix second; lowered to 1 - error-rate when the two add\n"
    "                      up to more than 1)\n"
    "  --mix M             standard (default, about 150 bytes a line), short (at most 128 bytes\n"
    "                      a line on average) or second (more access and JSON lines, tracebacks,\n"
    "                      one line in six 300-1500 bytes)\n"
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
  double success_rate = -1.0;  // not given: the mix's default
  uint64_t seed = 42;
  bool long_line = false;
  Mix mix = Mix::kStandard;
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
    } else if (arg == "--mix") {
      const std::string v = value();
      if (v == "standard") {
        mix = Mix::kStandard;
      } else if (v == "short") {
        mix = Mix::kShort;
      } else if (v == "second") {
        mix = Mix::kSecond;
      } else {
        usage_error("bad --mix (want standard, short or second): " + v);
      }
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
  if (success_rate < 0.0) success_rate = mix == Mix::kSecond ? 0.35 : 0.17;
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
  Generator gen(seed, std::move(codes), error_threshold, success_threshold, mix);
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
