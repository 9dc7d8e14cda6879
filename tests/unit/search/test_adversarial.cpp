// Inputs built to break the filter: each must pass through byte for byte, in bounded time and
// memory, with the documented annotation.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "coinone_annotate/search/searcher.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::RecordingSink;
using coinone::testing::StringSource;

namespace {

struct Run {
  std::string text;  // the sink's reconstruction: annotations as <code>
  double seconds = 0;
};

Run run(const std::string& input, size_t capacity = LineBuffer::kDefaultCapacity) {
  static const auto table = std::make_shared<CodeTable>(builtin_code_table());
  static const auto extractor = FieldExtractor::create({}).extractor;
  Matcher matcher(table, *extractor, false);
  RecordingSink sink;
  SearchOptions options;
  options.buffer_capacity = capacity;
  Searcher searcher(matcher, sink, options);
  StringSource source(input, 1 << 16);
  const auto start = std::chrono::steady_clock::now();
  searcher.search(source);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return {sink.text(), took.count()};
}

// JSON-escapes text once (quotes and backslashes), as a logger embedding it in a string does.
std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

TEST_SUITE("adversarial") {
  TEST_CASE("one line holding 100 000 error fields: 8 codes shown, then +N more") {
    std::string line = "coinone";
    for (int i = 1; i <= 100000; ++i) line += " error_code=" + std::to_string(i);
    const Run r = run(line + "\n");
    std::string want = line;
    for (int i = 1; i <= 8; ++i) want += "<" + std::to_string(i) + ">";
    // 4096 distinct codes are remembered, the other fields counted (LineFindings); the line is
    // longer than the buffer, so this also checks that windows count each field once.
    want += "<+99992>\n";
    CHECK(r.text.size() == want.size());
    CHECK(r.text.substr(r.text.size() - 40) == want.substr(want.size() - 40));
    CHECK(r.seconds < 5.0);
  }

  TEST_CASE("ten million empty lines") {
    const std::string input(10'000'000, '\n');
    const Run r = run(input);
    CHECK(r.text == input);
    CHECK(r.seconds < 5.0);
  }

  TEST_CASE("objects nested 50 levels deep, and a field escaped 16 levels deep") {
    std::string nested = R"({"result":"error","error_code":"103"})";
    for (int level = 0; level < 50; ++level) nested = R"({"level":)" + nested + "}";
    CHECK(run(nested + "\n").text == nested + "<103>\n");
    std::string escaped = R"({"result":"error","error_code":"131"})";
    for (int level = 0; level < 16; ++level) escaped = R"({"msg":")" + escape(escaped) + R"("})";
    CHECK(escaped.size() > 65536);  // 2^16 backslashes before the deepest quotes
    const Run r = run(escaped + "\n");
    CHECK(r.text == escaped + "<131>\n");
    CHECK(r.seconds < 5.0);
  }

  TEST_CASE("a 30-digit code is unknown and does not overflow") {
    const std::string line = "coinone error_code=123456789012345678901234567890";
    CHECK(run(line + "\n").text == line + "<123456789012345678901234567890>\n");
    const std::string wraps = "error_code=4294967399";  // 2^32 + 103 is not 103
    CHECK(run(wraps + "\n").text == wraps + "\n");
  }

  TEST_CASE("invalid UTF-8 at every position of an error field") {
    const std::string field = R"({"result":"error","error_code":"103"})";
    for (size_t at = 0; at <= field.size(); ++at) {
      for (const char* bad : {"\xff", "\xc3", "\xe2\x82", "\x80", "\0"}) {
        std::string line = field;
        line.insert(at, std::string(bad, bad[0] == '\0' ? 1 : std::char_traits<char>::length(bad)));
        CAPTURE(at);
        const std::string out = run(line + "\n").text;
        // The bytes pass through; the field is found unless the byte broke it.
        CHECK(out.substr(0, line.size()) == line);
        CHECK((out == line + "\n" || out == line + "<103>\n"));
      }
    }
  }

  TEST_CASE("a file that shrinks while it is read: what was read comes out, then the end") {
    char path[] = "/tmp/coinone-shrink-XXXXXX";
    const int fd = ::mkstemp(path);
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + " error_code=103\n";
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    OpenResult opened = open_source(path);
    REQUIRE(opened.source);
    char first[4096];
    const ReadResult r1 = opened.source->read(first);
    REQUIRE(r1.size == sizeof first);
    REQUIRE(::ftruncate(fd, 100) == 0);  // shrinks below what was read
    char rest[4096];
    const ReadResult r2 = opened.source->read(rest);
    CHECK(r2.size == 0);  // the end of input, no error and no crash
    CHECK(r2.error == 0);
    ::close(fd);
    ::unlink(path);
  }
}
