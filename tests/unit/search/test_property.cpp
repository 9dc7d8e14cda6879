// The property test: over 10 000 seeded random inputs mixing random bytes with realistic line
// shapes, (1) removing the annotations from the printed output gives back the input exactly, and
// (2) the fast path (prefilter or one pass over each block, bulk spans, small buffers) agrees with
// the reference extractor run on every line.
#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>

#include "coinone_annotate/output/printer.h"
#include "coinone_annotate/search/searcher.h"
#include "reference_extractor.h"
#include "test_util.h"

using namespace coinone;

namespace {

const char* const kShapes[] = {R"({"result":"error","error_code":"103"})",
                               R"({"result":"success","error_code":"0"})",
                               "2026-11-20 09:15:02,114 INFO bot: tick",
                               "error_code=131 errorCode=104 error_code=131",
                               R"(msg="{\"errorCode\":\"9999\",\"result\":\"error\"}")",
                               "coinone error_code=77777",
                               R"({'result': 'error', 'error_code': '306'})",
                               "http_error_code=500",
                               "ERROR: timeout",
                               "error_code: 0103",
                               "{Result:error ErrorCode:3001}",
                               "result=FAILURE error_code=103",
                               "error code 131",
                               "",
                               R"(  "error_code": "405",)",
                               "errorCodeCount=3"};

std::string random_input(std::mt19937& rng) {
  std::string out;
  for (auto lines = rng() % 12; lines > 0; --lines) {
    const auto kind = rng() % 10;
    if (kind < 6) {
      out += kShapes[rng() % std::size(kShapes)];
    } else if (kind < 9) {
      for (auto n = rng() % 30; n > 0; --n) out += static_cast<char>(rng() % 256);
      out += kShapes[rng() % std::size(kShapes)];
    } else {
      for (auto n = rng() % 30; n > 0; --n) out += static_cast<char>(rng() % 256);
    }
    out += rng() % 10 == 0 ? "\r\n" : "\n";
  }
  if (!out.empty() && rng() % 3 == 0) out.pop_back();  // no final terminator
  return out;
}

// Removes " [coinone ...]" annotations from the end of each line (before "\r\n" or "\n").
std::string strip_annotations(const std::string& text) {
  static constexpr std::string_view kMark = " [coinone ";
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    const bool terminated = end != std::string::npos;
    if (!terminated) end = text.size();
    std::string_view line(text.data() + at, end - at);
    std::string_view terminator = terminated ? "\n" : "";
    if (terminated && !line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
      terminator = "\r\n";
    }
    while (!line.empty() && line.back() == ']') {
      const size_t mark = line.rfind(kMark);
      if (mark == std::string_view::npos ||
          line.substr(mark + 1, line.size() - mark - 2).find(']') != std::string_view::npos)
        break;
      line = line.substr(0, mark);
    }
    out += line;
    out += terminator;
    at = end + 1;
  }
  return out;
}

}  // namespace

TEST_SUITE("property") {
  TEST_CASE("10 000 random inputs: annotations strip back to the input; fast path == reference") {
    // Each input is matched with one of the matcher's ways to find lines in a block, in turn.
    const Matcher::BlockScan scans[] = {Matcher::BlockScan::kPrefilter,
                                        Matcher::BlockScan::kOnePass, Matcher::BlockScan::kAuto};
    const auto table = std::make_shared<CodeTable>(builtin_code_table());
    const auto extractor = FieldExtractor::create({}).extractor;
    const auto annotator = Annotator::create(table, {}).annotator;
    Matcher fast(table, *extractor, false);
    Matcher every(table, *extractor, true);
    size_t annotated_inputs = 0;
    for (unsigned seed = 1; seed <= 10000; ++seed) {
      std::mt19937 rng(seed);
      const std::string input = random_input(rng);
      const size_t capacity = seed % 4 == 0 ? 7 : 4096;
      fast.set_block_scan(scans[seed % std::size(scans)]);
      // (1) the real printer, then strip
      testing::MemoryFd fd;
      FdWriter out(fd.fd());
      Printer printer(out, *annotator, {});
      SearchOptions options;
      options.buffer_capacity = capacity;
      Searcher searcher(fast, printer, options);
      testing::StringSource source(input, 1 + seed % 64);
      searcher.search(source);
      out.flush();
      const std::string printed = fd.contents();
      CAPTURE(seed);
      CHECK(strip_annotations(printed) == input);
      annotated_inputs += printed.size() != input.size();
      // (2) the reference, line by line, against the searcher's verdicts
      testing::RecordingSink sink;
      Searcher recorded(fast, sink, options);
      testing::StringSource again(input, 1 + seed % 64);
      recorded.search(again);
      const std::string want = testing::reference_text(input, every);
      CHECK(sink.text() == want);
    }
    CHECK(annotated_inputs > 3000);  // the generator does produce errors
  }
}
