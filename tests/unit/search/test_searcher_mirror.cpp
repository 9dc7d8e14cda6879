// The searcher's mirror announcements (Sink::mirror): every span it passes through that lies in
// memory it has announced as a range of the source's file must be, byte for byte, the file's
// bytes at the announced place. A writer splices such spans from the file (fd_writer.h), so a
// stale or shifted announcement would put wrong bytes in the output. Checked over buffer
// capacities, read sizes, and with the helper thread (two buffers swapped every block).
#include <doctest/doctest.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "coinone_annotate/search/searcher.h"

using namespace coinone;

namespace {

// Checks each passthrough span against the file at the place the latest overlapping mirror
// names, as FdWriter would splice it, and counts the spans so checked.
class MirrorCheckingSink final : public Sink {
 public:
  explicit MirrorCheckingSink(int file) : file_(file) {}
  void passthrough(std::string_view bytes) override {
    out += bytes;
    check(bytes);
  }
  void line_piece(std::string_view bytes) override {
    out += bytes;
    check(bytes);
  }
  void line_end(std::string_view rest, std::string_view terminator, const Verdict&) override {
    out += rest;
    check(rest);
    out += terminator;
  }
  void flush() override {}
  bool failed() const override { return false; }
  void mirror(std::string_view memory, int fd, int64_t offset) override {
    std::erase_if(mirrors_, [&](const Mirror& m) {
      return m.memory.data() < memory.data() + memory.size() &&
             memory.data() < m.memory.data() + m.memory.size();
    });
    if (fd >= 0) {
      CHECK(fd == file_);
      mirrors_.push_back({memory, offset});
    }
  }
  void forget_mirrors() override { mirrors_.clear(); }

  std::string out;
  size_t checked = 0;

 private:
  struct Mirror {
    std::string_view memory;
    int64_t offset;
  };
  void check(std::string_view bytes) {
    if (bytes.empty()) return;
    for (const Mirror& m : mirrors_) {
      if (bytes.data() < m.memory.data() ||
          bytes.data() + bytes.size() > m.memory.data() + m.memory.size())
        continue;
      std::string there(bytes.size(), '\0');
      const auto at = m.offset + (bytes.data() - m.memory.data());
      REQUIRE(::pread(file_, there.data(), there.size(), at) == static_cast<ssize_t>(there.size()));
      CHECK(there == bytes);
      ++checked;
      return;
    }
  }
  int file_;
  std::vector<Mirror> mirrors_;
};

std::string log_text(size_t lines) {
  std::string text;
  for (size_t i = 0; i < lines; ++i) {
    text += "2026-11-20 09:15:02,114 INFO bot: line " + std::to_string(i);
    if (i % 3 == 0) text += R"( {"result":"error","error_code":"103"})";
    if (i % 17 == 0) text += std::string(i % 200, 'x');
    text += i % 5 == 0 ? "\r\n" : "\n";
  }
  return text + "last line without a newline";
}

}  // namespace

TEST_SUITE("searcher_mirror") {
  TEST_CASE("every span in announced memory is the file's bytes at the announced place") {
    const std::string text = log_text(12000);  // about 1 MB: blocks large enough for the helper
    const auto table = std::make_shared<CodeTable>(builtin_code_table());
    const auto extractor = FieldExtractor::create({}).extractor;
    for (const size_t capacity : {size_t{64}, size_t{4096}, size_t{300000}}) {
      for (const Parallel parallel : {Parallel::kOff, Parallel::kAlways}) {
        CAPTURE(capacity);
        CAPTURE(static_cast<int>(parallel));
        char path[] = "/tmp/coinone-mirror-XXXXXX";
        const int fd = ::mkstemp(path);
        REQUIRE(fd >= 0);
        ::unlink(path);
        REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
        REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
        FdSource source(fd, "f", true);
        Matcher matcher(table, *extractor, false);
        MirrorCheckingSink sink(fd);
        SearchOptions options;
        options.buffer_capacity = capacity;
        options.parallel = parallel;
        Searcher searcher(matcher, sink, options);
        searcher.search(source);
        CHECK(sink.checked > 100);  // the check really ran
        CHECK(sink.out == text);    // the spans, rests and terminators are the input
      }
    }
  }
}
