#include <doctest/doctest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/output/fd_writer.h"
#include "test_util.h"

using namespace coinone;

namespace {

// A fake write(2) that accepts at most `limit` bytes a call into `sink`, and fails with `fail`
// once `fail_after` bytes have been taken.
std::string sink;
size_t limit, fail_after;
int fail;
int eintr_every;
int calls;

// Takes bytes across the iovecs like the kernel, at most `limit` a call.
ssize_t fake_writev(int, const iovec* iov, int iovcnt) {
  ++calls;
  if (eintr_every != 0 && calls % eintr_every == 0) {
    errno = EINTR;
    return -1;
  }
  if (fail != 0 && sink.size() >= fail_after) {
    errno = fail;
    return -1;
  }
  size_t budget = limit;
  if (fail != 0) budget = std::min(budget, fail_after - sink.size());
  size_t taken = 0;
  for (int i = 0; i < iovcnt && taken < budget; ++i) {
    const size_t n = std::min(iov[i].iov_len, budget - taken);
    sink.append(static_cast<const char*>(iov[i].iov_base), n);
    taken += n;
  }
  return static_cast<ssize_t>(taken);
}

void reset(size_t new_limit, int new_fail = 0, size_t new_fail_after = 0, int new_eintr = 0) {
  sink.clear();
  limit = new_limit;
  fail = new_fail;
  fail_after = new_fail_after;
  eintr_every = new_eintr;
  calls = 0;
}

}  // namespace

TEST_SUITE("fd_writer") {
  TEST_CASE("short writes and EINTR lose and repeat nothing") {
    sys::Table table = sys::real_table();
    table.writev = fake_writev;
    sys::ScopedTable scoped(table);
    std::string expected;
    for (int i = 0; i < 1000; ++i) expected += "line " + std::to_string(i) + "\n";
    for (const size_t chunk : {size_t{1}, size_t{3}, size_t{4096}}) {
      CAPTURE(chunk);
      reset(chunk, 0, 0, 3);
      FdWriter out(1, 64);
      for (size_t at = 0; at < expected.size(); at += 100) out.write(expected.substr(at, 100));
      CHECK(out.flush());
      CHECK(sink == expected);
      CHECK(out.bytes_written() == expected.size());
    }
  }

  TEST_CASE("borrowed spans and copies interleave in order, past IOV_MAX pieces") {
    sys::Table table = sys::real_table();
    table.writev = fake_writev;
    sys::ScopedTable scoped(table);
    reset(100000);
    FdWriter out(1, 4096);
    std::vector<std::string> spans;
    for (int i = 0; i < 3000; ++i)
      spans.push_back(std::string(FdWriter::kMinBorrowed, char('a' + i % 26)));
    std::string expected;
    for (int i = 0; i < 3000; ++i) {
      out.write_borrowed(spans[static_cast<size_t>(i)]);
      out.write(std::to_string(i));
      expected += spans[static_cast<size_t>(i)] + std::to_string(i);
    }
    out.write_borrowed("short spans are copied");
    expected += "short spans are copied";
    CHECK(out.flush());
    CHECK(sink == expected);
  }

  TEST_CASE("large spans bypass the buffer in order") {
    sys::Table table = sys::real_table();
    table.writev = fake_writev;
    sys::ScopedTable scoped(table);
    reset(1 << 20);
    FdWriter out(1, 8);
    out.write("ab");
    out.write(std::string(100, 'x'));
    out.write("cd");
    out.flush();
    CHECK(sink == "ab" + std::string(100, 'x') + "cd");
  }

  TEST_CASE("EPIPE, ENOSPC and EIO stop the writer with the reason") {
    sys::Table table = sys::real_table();
    table.writev = fake_writev;
    sys::ScopedTable scoped(table);
    for (const int error : {EPIPE, ENOSPC, EIO}) {
      CAPTURE(error);
      reset(7, error, 10);
      FdWriter out(1, 4);
      out.write("0123456789abcdef");
      CHECK_FALSE(out.flush());
      CHECK(sink == "0123456789");  // everything up to the fault, nothing twice
      CHECK(out.status() ==
            (error == EPIPE ? FdWriter::Status::kBrokenPipe : FdWriter::Status::kError));
      CHECK(out.error_number() == error);
      CHECK_FALSE(out.write("more"));
    }
  }

  TEST_CASE("writes reach a real descriptor") {
    testing::MemoryFd fd;
    FdWriter out(fd.fd());
    out.write("hello ");
    CHECK(out.has_buffered());
    out.write("world\n");
    CHECK(out.flush());
    CHECK(fd.contents() == "hello world\n");
  }
}
