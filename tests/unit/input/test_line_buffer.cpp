#include <doctest/doctest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "coinone_annotate/input/line_buffer.h"
#include "coinone_annotate/input/prefixed_source.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::StringSource;

TEST_SUITE("line_buffer") {
  TEST_CASE("fill appends after pending bytes and rolls consumed ones out") {
    StringSource source("ab\ncd\nef", 4);
    LineBuffer buffer(8);
    CHECK(buffer.fill(source).size == 4);
    CHECK(buffer.pending() == "ab\nc");
    buffer.consume(3);
    CHECK(buffer.fill(source).size == 4);
    CHECK(buffer.pending() == "cd\nef");
    buffer.consume(5);
    CHECK(buffer.fill(source).size == 0);
    CHECK(buffer.pending().empty());
  }

  TEST_CASE("full() when one line takes the whole capacity") {
    StringSource source("abcdefgh", 100);
    LineBuffer buffer(4);
    buffer.fill(source);
    CHECK(buffer.full());
    CHECK(buffer.pending() == "abcd");
    buffer.consume(4);
    CHECK_FALSE(buffer.full());
    buffer.fill(source);
    CHECK(buffer.pending() == "efgh");
  }

  TEST_CASE("a capacity of one byte still works") {
    StringSource source("xy", 100);
    LineBuffer buffer(1);
    CHECK(buffer.capacity() == 1);
    CHECK(buffer.fill(source).size == 1);
    CHECK(buffer.full());
  }

  TEST_CASE("move_pending_to hands the unconsumed bytes over and leaves the old bytes alone") {
    StringSource source("ab\ncd\nef", 100);
    LineBuffer first(16), second(16);
    first.fill(source);
    const std::string_view block = first.pending().substr(0, 6);  // "ab\ncd\n", still in use
    first.consume(6);
    first.move_pending_to(second);
    CHECK(first.pending().empty());
    CHECK(second.pending() == "ef");
    CHECK(block == "ab\ncd\n");  // not rolled over by the move
    StringSource more("gh\n", 100);
    CHECK(second.fill(more).size == 3);
    CHECK(second.pending() == "efgh\n");
    CHECK(block == "ab\ncd\n");
  }
}

namespace {

// A temporary regular file holding `text`, open for reading.
struct TempFile {
  explicit TempFile(const std::string& text) {
    char path[] = "/tmp/coinone-line-buffer-XXXXXX";
    fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::unlink(path);
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  }
  ~TempFile() { ::close(fd); }
  std::string at(int64_t offset, size_t size) const {
    std::string bytes(size, '\0');
    const ssize_t n = ::pread(fd, bytes.data(), size, offset);
    bytes.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return bytes;
  }
  int fd = -1;
};

std::string numbered(size_t lines) {
  std::string text;
  for (size_t i = 0; i < lines; ++i) text += "line " + std::to_string(i) + "\n";
  return text;
}

}  // namespace

TEST_SUITE("line_buffer") {
  TEST_CASE("mirrored() names the place in the file of every pending byte of a regular file") {
    const std::string text = numbered(60);
    for (const size_t capacity : {size_t{7}, size_t{16}, size_t{64}}) {
      for (const size_t step : {size_t{1}, size_t{5}, size_t{13}}) {
        CAPTURE(capacity);
        CAPTURE(step);
        TempFile file(text);
        FdSource source(file.fd, "f", false);
        LineBuffer buffer(capacity), other(capacity);
        size_t seen = 0;
        for (int round = 0;; ++round) {
          const size_t got = buffer.fill(source).size;
          if (got == 0 && buffer.pending().empty()) break;
          seen += got;
          const LineBuffer::Mirror mirror = buffer.mirrored();
          REQUIRE(mirror.origin.fd == file.fd);
          CHECK(mirror.bytes.data() == buffer.pending().data());
          CHECK(mirror.bytes.size() == buffer.pending().size());
          CHECK(file.at(mirror.origin.offset, mirror.bytes.size()) == mirror.bytes);
          CHECK(mirror.origin.offset + static_cast<int64_t>(mirror.bytes.size()) ==
                static_cast<int64_t>(seen));
          buffer.consume(std::min(step, buffer.pending().size()));
          if (round % 3 == 2) {  // as the searcher does when a helper thread takes a block
            buffer.move_pending_to(other);
            const LineBuffer::Mirror moved = other.mirrored();
            if (!other.pending().empty()) {
              REQUIRE(moved.origin.fd == file.fd);
              CHECK(file.at(moved.origin.offset, moved.bytes.size()) == other.pending());
            }
            other.move_pending_to(buffer);  // and back, as the next block's swap does
          }
        }
        CHECK(seen == text.size());
      }
    }
  }

  TEST_CASE("bytes replayed from a prefix, or from a source without a file, are not mirrored") {
    const std::string text = numbered(10);
    TempFile file(text);
    char head[3];
    REQUIRE(::read(file.fd, head, 3) == 3);  // as the compression check peeks
    PrefixedSource source(std::make_unique<FdSource>(file.fd, "f", false), std::string(head, 3));
    LineBuffer buffer(32);
    CHECK(buffer.fill(source).size == 3);
    CHECK(buffer.mirrored().origin.fd == -1);
    CHECK(buffer.mirrored().bytes.empty());
    CHECK(buffer.fill(source).size == 29);
    const LineBuffer::Mirror mirror = buffer.mirrored();
    CHECK(mirror.origin.fd == file.fd);
    CHECK(mirror.origin.offset == 3);
    CHECK(mirror.bytes.data() == buffer.pending().data() + 3);
    CHECK(mirror.bytes == text.substr(3, 29));

    StringSource strings(text, 5);
    LineBuffer plain(16);
    plain.fill(strings);
    CHECK(plain.mirrored().origin.fd == -1);
  }
}
