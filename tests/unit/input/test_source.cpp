#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/input/source.h"

using namespace coinone;

TEST_SUITE("source") {
  TEST_CASE("missing files and directories are refused with the reason") {
    OpenResult missing = open_source("/nonexistent/coinone.log");
    CHECK_FALSE(missing.source);
    CHECK(missing.error == "No such file or directory");
    OpenResult dir = open_source("/");
    CHECK_FALSE(dir.source);
    CHECK(dir.error == "Is a directory");
  }

  TEST_CASE("a regular file reads to its end") {
    OpenResult opened = open_source(COINONE_TEST_DATA_DIR "/golden/crlf.in");
    REQUIRE(opened.source);
    char buf[64];
    size_t total = 0;
    for (ReadResult r; (r = opened.source->read(buf)).size != 0;) total += r.size;
    CHECK(total > 0);
  }

  TEST_CASE("EIO on read is reported as a value") {
    sys::Table fake = sys::real_table();
    fake.read = [](int, void*, size_t) -> ssize_t {
      errno = EIO;
      return -1;
    };
    sys::ScopedTable scoped(fake);
    FdSource source(0, "x", false);
    char buf[8];
    const ReadResult r = source.read(buf);
    CHECK(r.size == 0);
    CHECK(r.error == EIO);
  }

  TEST_CASE("EINTR is retried and EAGAIN waits for data") {
    static int calls;
    calls = 0;
    sys::Table fake = sys::real_table();
    fake.read = [](int, void* buf, size_t) -> ssize_t {
      ++calls;
      if (calls == 1) {
        errno = EINTR;
        return -1;
      }
      if (calls == 2) {
        errno = EAGAIN;
        return -1;
      }
      static_cast<char*>(buf)[0] = 'z';
      return 1;
    };
    fake.poll = [](pollfd*, nfds_t, int) { return 1; };
    sys::ScopedTable scoped(fake);
    FdSource source(0, "x", false);
    char buf[8];
    const ReadResult r = source.read(buf);
    CHECK(r.size == 1);
    CHECK(buf[0] == 'z');
    CHECK(calls == 3);
  }
}
