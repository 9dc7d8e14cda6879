#include <doctest/doctest.h>
#include <pthread.h>

#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "coinone_annotate/search/searcher.h"
#include "reference_extractor.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::RecordingSink;
using coinone::testing::StringSource;

namespace {

struct Pieces {
  std::shared_ptr<const CodeTable> table = std::make_shared<CodeTable>(builtin_code_table());
  std::unique_ptr<FieldExtractor> extractor = FieldExtractor::create({}).extractor;
};

SearchOptions counting(size_t capacity) {
  SearchOptions options;
  options.buffer_capacity = capacity;
  options.count_lines = true;
  return options;
}

const Pieces& pieces() {
  static const Pieces kPieces;
  return kPieces;
}

// Runs the searcher over input; returns the sink's reconstruction ("<103>" marks annotations).
std::string search(const std::string& input, size_t capacity, size_t read_size, bool prefilter,
                   RecordingSink* keep = nullptr) {
  Matcher matcher(pieces().table, *pieces().extractor, !prefilter);
  RecordingSink sink;
  Searcher searcher(matcher, sink, counting(capacity));
  StringSource source(input, read_size);
  const SearchResult result = searcher.search(source);
  CHECK(result.bytes == input.size());
  if (keep != nullptr) *keep = sink;
  return sink.text();
}

// The oracle: every line given to the reference extractor.
std::string naive(const std::string& input) {
  Matcher matcher(pieces().table, *pieces().extractor, true);
  return testing::reference_text(input, matcher);
}

// Realistic line shapes mixed with random bytes (NUL, CR, invalid UTF-8 included).
std::string random_corpus(std::mt19937& rng, size_t lines) {
  static const char* const kShapes[] = {R"({"result":"error","error_code":"103"})",
                                        R"({"result":"success","error_code":"0"})",
                                        "2026-11-20 09:15:02,114 INFO bot: tick",
                                        "error_code=131 errorCode=104",
                                        R"(msg="{\"errorCode\":\"9999\",\"result\":\"error\"}")",
                                        "coinone error_code=77777",
                                        R"({'result': 'error', 'error_code': '306'})",
                                        "http_error_code=500",
                                        "ERROR: timeout",
                                        R"({"code":-2010,"msg":"insufficient"})",
                                        "error_code: 0103",
                                        "{Result:error ErrorCode:3001}",
                                        "result=FAILURE error_code=103",
                                        "error code 131",
                                        ""};
  std::string out;
  for (size_t i = 0; i < lines; ++i) {
    const auto kind = rng() % 10;
    if (kind < 6) {
      out += kShapes[rng() % std::size(kShapes)];
    } else if (kind < 8) {
      const size_t n = rng() % 40;
      for (size_t j = 0; j < n; ++j) out += static_cast<char>(rng() % 256);
    } else {
      for (int j = 0; j < 3; ++j) out += kShapes[rng() % std::size(kShapes)];
    }
    const auto end = rng() % 20;
    out += end == 0 ? "\r\n" : "\n";
  }
  if (rng() % 2 == 0) out += "error_code=103 tail without newline";
  return out;
}

// A source that checks, at every checkpoint, that the sink has been given exactly the bytes
// before the ones the searcher says it still holds.
class CheckedSource final : public Source {
 public:
  CheckedSource(const std::string& data, const RecordingSink& sink) : data_(data), sink_(sink) {}
  ReadResult read(std::span<char> buffer) override {
    const size_t n = std::min(buffer.size(), data_.size() - at_);
    std::copy_n(data_.data() + at_, n, buffer.data());
    at_ += n;
    return {n, 0, {}};
  }
  void checkpoint(uint64_t unconsumed) override {
    size_t given = 0;
    for (const auto& call : sink_.calls) given += call.bytes.size() + call.terminator.size();
    if (given + unconsumed != at_) ++wrong;
    ++checks;
  }
  const std::string& name() const override { return name_; }
  int checks = 0, wrong = 0;

 private:
  const std::string& data_;
  const RecordingSink& sink_;
  size_t at_ = 0;
  std::string name_ = "checked";
};

struct HelperRun {
  std::string text;               // the sink's reconstruction
  std::vector<uint64_t> numbers;  // line numbers given to on_annotated
  uint64_t blocks_ahead = 0;      // blocks the helper thread scanned
};

// Searches input with 1 MiB buffers, with or without the helper thread, checking the counts and
// every checkpoint on the way. With the helper it runs even on one CPU (Parallel::kAlways).
HelperRun run_with_helper(const std::string& input, bool parallel) {
  HelperRun run;
  Matcher matcher(pieces().table, *pieces().extractor, false);
  RecordingSink sink;
  SearchOptions options = counting(1 << 20);
  options.parallel = parallel ? Parallel::kAlways : Parallel::kOff;
  options.on_annotated = [&](uint64_t number, std::string_view, const Verdict&) {
    run.numbers.push_back(number);
  };
  Searcher searcher(matcher, sink, options);
  CheckedSource source(input, sink);
  const SearchResult result = searcher.search(source);
  CHECK(result.bytes == input.size());
  CHECK(result.lines == static_cast<uint64_t>(std::count(input.begin(), input.end(), '\n')) +
                            (input.back() != '\n'));
  CHECK(source.checks >= 3);  // one before every read
  CHECK(source.wrong == 0);
  run.text = sink.text();
  run.blocks_ahead = result.blocks_ahead;
  if (!parallel) CHECK(run.blocks_ahead == 0);
  return run;
}

}  // namespace

TEST_SUITE("searcher") {
  TEST_CASE("whole lines pass in bulk; only annotated lines are split out") {
    RecordingSink sink;
    search("a\nb\nerror_code=103\nc\nd\n", 1024, 1024, true, &sink);
    REQUIRE(sink.calls.size() == 3);
    CHECK(sink.calls[0].kind == 'p');
    CHECK(sink.calls[0].bytes == "a\nb\n");
    CHECK(sink.calls[1].kind == 'e');
    CHECK(sink.calls[1].bytes == "error_code=103");
    CHECK(sink.calls[1].codes == std::vector<std::string>{"103"});
    CHECK(sink.calls[2].bytes == "c\nd\n");
  }

  TEST_CASE("terminators: CRLF kept, last line without one stays without") {
    CHECK(search("error_code=103\r\nx error_code=104", 1024, 1024, true) ==
          "error_code=103<103>\r\nx error_code=104<104>");
    CHECK(search("", 16, 16, true).empty());
    CHECK(search("\n\n\r\n", 16, 16, true) == "\n\n\r\n");
  }

  TEST_CASE("a long line streams in pieces and a field across pieces is found") {
    const std::string line = std::string(100, 'x') + " error_code=103 " + std::string(50, 'y');
    RecordingSink sink;
    CHECK(search(line + "\n", 16, 16, true, &sink) == line + "<103>\n");
    CHECK(sink.calls.size() > 5);
    CHECK(sink.calls.front().kind == 'c');
  }

  TEST_CASE("a CR at the end of a piece is a terminator only before LF") {
    CHECK(search("abcdefg\r\nerror_code=5\rx\n", 8, 3, true) == "abcdefg\r\nerror_code=5\rx\n");
    CHECK(search("abcdefgh error_code=103\r\n", 4, 4, true) == "abcdefgh error_code=103<103>\r\n");
    CHECK(search("abc\r", 2, 1, true) == "abc\r");
  }

  TEST_CASE("every capacity and read size gives the same result") {
    std::mt19937 rng(7);
    const std::string input = random_corpus(rng, 300);
    const std::string expected = naive(input);
    for (const size_t capacity :
         {size_t{1}, size_t{2}, size_t{7}, size_t{64}, size_t{4096}, size_t{1} << 20}) {
      for (const size_t read_size : {size_t{1}, size_t{5}, size_t{4096}}) {
        CAPTURE(capacity);
        CAPTURE(read_size);
        CHECK(search(input, capacity, read_size, true) == expected);
      }
    }
  }

  // The differential test: over seeded random corpora the fast path (prefilter, bulk spans)
  // gives exactly what running the full matcher on every line gives.
  TEST_CASE("fast path equals the naive matcher on seeded random corpora") {
    for (unsigned seed = 1; seed <= 200; ++seed) {
      std::mt19937 rng(seed);
      const std::string input = random_corpus(rng, 60);
      CAPTURE(seed);
      CHECK(search(input, 1 << 16, 1 << 16, true) == naive(input));
      CHECK(search(input, 4096, 100, false) == naive(input));
    }
  }

  TEST_CASE("flushes before every read") {
    class SlowSource final : public Source {
     public:
      ReadResult read(std::span<char> buffer) override {
        if (step_ == 2) return {};
        buffer[0] = '\n';
        ++step_;
        return {1, 0, {}};
      }
      const std::string& name() const override { return name_; }
      int step_ = 0;
      std::string name_ = "slow";
    } source;
    Matcher matcher(pieces().table, *pieces().extractor, false);
    RecordingSink sink;
    Searcher searcher(matcher, sink, counting(64));
    searcher.search(source);
    CHECK(sink.flushes == 3);
  }

  TEST_CASE("a read error ends the input after what was read") {
    class FailingSource final : public Source {
     public:
      ReadResult read(std::span<char> buffer) override {
        if (done_) return {0, 5, {}};
        done_ = true;
        const std::string_view data = "a\nerror_code=103";
        std::copy(data.begin(), data.end(), buffer.begin());
        return {data.size(), 0, {}};
      }
      const std::string& name() const override { return name_; }
      bool done_ = false;
      std::string name_ = "failing";
    } source;
    Matcher matcher(pieces().table, *pieces().extractor, false);
    RecordingSink sink;
    Searcher searcher(matcher, sink, counting(64));
    const SearchResult result = searcher.search(source);
    CHECK(result.read_failed);
    CHECK(result.error == "Input/output error");
    CHECK(sink.text() == "a\nerror_code=103<103>");
    CHECK(result.lines == 2);
  }

  TEST_CASE("annotated lines are reported with their line numbers, at every capacity") {
    const std::string input =
        "a\nerror_code=103\nb\nc\n" + std::string(40, 'x') + " error_code=104\nd\nerror_code=105";
    for (const size_t capacity : {size_t{4}, size_t{16}, size_t{4096}}) {
      CAPTURE(capacity);
      Matcher matcher(pieces().table, *pieces().extractor, false);
      RecordingSink sink;
      SearchOptions options = counting(capacity);
      std::vector<std::pair<uint64_t, std::string>> seen;
      options.on_annotated = [&](uint64_t number, std::string_view, const Verdict& v) {
        seen.emplace_back(number, std::string(v.shown.front().digits));
      };
      Searcher searcher(matcher, sink, options);
      StringSource source(input, 3);
      CHECK(searcher.search(source).lines == 7);
      CHECK(seen ==
            std::vector<std::pair<uint64_t, std::string>>{{2, "103"}, {5, "104"}, {7, "105"}});
    }
  }

  TEST_CASE("blocks scanned on the helper thread: same output, same line numbers") {
    std::mt19937 rng(11);
    const std::string input = random_corpus(rng, 40000);  // several blocks of 1 MiB
    REQUIRE(input.size() > 3 * Searcher::kParallelBlock);
    const HelperRun sequential = run_with_helper(input, false);
    const HelperRun parallel = run_with_helper(input, true);
    CHECK(sequential.text == naive(input));
    CHECK(parallel.text == sequential.text);
    CHECK(parallel.numbers == sequential.numbers);
    CHECK(sequential.numbers.size() > 1000);
    // Dense enough that every block but the first goes to the helper (Searcher::kDenseBlock).
    CHECK(sequential.numbers.size() * (size_t{1} << 20) / input.size() >=
          2 * Searcher::kDenseBlock);
    CHECK(parallel.blocks_ahead >= input.size() / (size_t{1} << 20) - 1);
  }

  TEST_CASE("blocks scanned ahead on the helper: long lines, sparse stretches, checkpoints") {
    // Dense stretches go to the helper block by block; a line longer than the buffer and a
    // sparse stretch each make the searcher take the block at the helper back first.
    std::mt19937 rng(23);
    std::string input = random_corpus(rng, 30000);
    input += std::string(3 << 20, 'x') + "error_code=103\n";  // longer than the 1 MiB buffer
    input += random_corpus(rng, 30000);
    for (int i = 0; i < 20000; ++i) input += "2026-11-20 INFO tick " + std::to_string(i) + "\n";
    input += random_corpus(rng, 30000);
    input += std::string(2 << 20, 'y');  // a last line without a newline
    const HelperRun sequential = run_with_helper(input, false);
    const HelperRun parallel = run_with_helper(input, true);
    CHECK(sequential.text == naive(input));
    CHECK(parallel.text == sequential.text);
    CHECK(parallel.numbers == sequential.numbers);
    CHECK(parallel.blocks_ahead >= 3);  // the three dense stretches went to the helper
  }
}

namespace {

// Keeps every span until flush(), as the sink contract allows (the printer hands them to
// writev), and checks then that each still holds what it held when given, and that none points
// into this thread's stack: a span of a local of the searcher is gone by the time of the flush.
class KeepingSink final : public Sink {
 public:
  KeepingSink() {
    pthread_attr_t attr;
    REQUIRE(::pthread_getattr_np(::pthread_self(), &attr) == 0);
    void* low = nullptr;
    size_t size = 0;
    ::pthread_attr_getstack(&attr, &low, &size);
    ::pthread_attr_destroy(&attr);
    stack_low_ = static_cast<const char*>(low);
    stack_high_ = stack_low_ + size;
  }
  void passthrough(std::string_view b) override { keep(b); }
  void line_piece(std::string_view b) override { keep(b); }
  void line_end(std::string_view rest, std::string_view term, const Verdict&) override {
    keep(rest);
    keep(term);
  }
  void flush() override {
    for (const auto& [span, copy] : kept_) {
      if (span.data() >= stack_low_ && span.data() < stack_high_) ++on_stack;
      if (std::string_view(span) != copy) ++changed;
      text += copy;
    }
    kept_.clear();
  }
  bool failed() const override { return false; }

  int on_stack = 0, changed = 0;
  std::string text;

 private:
  void keep(std::string_view b) {
    if (!b.empty()) kept_.emplace_back(b, std::string(b));
  }
  std::vector<std::pair<std::string_view, std::string>> kept_;
  const char* stack_low_ = nullptr;
  const char* stack_high_ = nullptr;
};

}  // namespace

TEST_SUITE("searcher") {
  TEST_CASE("spans given to the sink outlive the call until the flush (a carried '\\r' too)") {
    // Capacity 8: "abcdefg\r" fills the buffer, its '\r' is held back, and turns out to be
    // content when the next piece does not start with '\n'.
    for (const std::string input : {"abcdefg\rhijklmnopq\n", "abcdefg\r\rhijklmn\r\n",
                                    "abcdefg\rerror_code=103 coinone\nend\n"}) {
      CAPTURE(input);
      Matcher matcher(pieces().table, *pieces().extractor, false);
      KeepingSink sink;
      Searcher searcher(matcher, sink, counting(8));
      StringSource source(input, 64);
      searcher.search(source);
      sink.flush();
      CHECK(sink.on_stack == 0);
      CHECK(sink.changed == 0);
      CHECK(sink.text == input);
    }
  }
}
