// Helpers shared by the fuzz targets: a check that aborts with a readable message (libFuzzer
// and the replay main both treat the abort as a failure and keep the input), and line splitting
// with the searcher's notion of a terminator.
//
// The targets build with g++ (replay, -Wconversion) and with clang (libFuzzer), so everything
// here stays plain C++20 without compiler extensions.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace coinone::fuzz {

// Prints what went wrong and aborts. `detail` may hold arbitrary bytes: it is shown escaped.
[[noreturn]] inline void fail(const char* file, int line, const char* what,
                              std::string_view detail) {
  std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
  if (!detail.empty()) {
    std::string shown;
    for (const char c : detail) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u < 0x7f && c != '\\') {
        shown += c;
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", u);
        shown += hex;
      }
    }
    std::fprintf(stderr, "  %s\n", shown.c_str());
  }
  std::abort();
}

#define FUZZ_CHECK(cond, detail)                                             \
  do {                                                                       \
    if (!(cond)) ::coinone::fuzz::fail(__FILE__, __LINE__, #cond, (detail)); \
  } while (false)

// A line as the searcher sees it: content, then "\n", "\r\n" or "" (a last line without one).
struct Line {
  std::string_view content;
  std::string_view terminator;
};

inline std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  size_t at = 0;
  while (at < text.size()) {
    const size_t newline = text.find('\n', at);
    if (newline == std::string_view::npos) {
      lines.push_back({text.substr(at), {}});
      break;
    }
    size_t end = newline;
    if (end > at && text[end - 1] == '\r') --end;
    lines.push_back({text.substr(at, end - at), text.substr(end, newline + 1 - end)});
    at = newline + 1;
  }
  return lines;
}

// Where two strings first differ, with some context of each, for failure messages.
inline std::string first_difference(std::string_view expected, std::string_view actual) {
  size_t at = 0;
  while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
  const size_t from = at > 40 ? at - 40 : 0;
  std::string out = "at byte " + std::to_string(at) + " of " + std::to_string(expected.size()) +
                    "/" + std::to_string(actual.size()) + ": expected '";
  out += expected.substr(from, 120);
  out += "' got '";
  out += actual.substr(from, 120);
  out += "'";
  return out;
}

}  // namespace coinone::fuzz
