#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

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

// A regular file and the same bytes in memory, and a pipe (1 MiB, so that the tests need no
// reader thread) to splice them into.
struct SpliceSetup {
  explicit SpliceSetup(size_t size) {
    for (size_t i = 0; memory.size() < size; ++i) memory += "line " + std::to_string(i) + "\n";
    memory.resize(size);
    char path[] = "/tmp/coinone-fd-writer-XXXXXX";
    file = ::mkstemp(path);
    REQUIRE(file >= 0);
    ::unlink(path);
    REQUIRE(::write(file, memory.data(), memory.size()) == static_cast<ssize_t>(memory.size()));
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pipe_out = fds[0];
    pipe_in = fds[1];
    REQUIRE(::fcntl(pipe_in, F_SETPIPE_SZ, 1 << 20) >= (1 << 20));
  }
  ~SpliceSetup() {
    ::close(file);
    if (pipe_in >= 0) ::close(pipe_in);
    if (pipe_out >= 0) ::close(pipe_out);
  }
  // Everything written to the pipe (closes its write end).
  std::string drain() {
    ::close(pipe_in);
    pipe_in = -1;
    std::string got;
    char buf[65536];
    for (ssize_t n; (n = ::read(pipe_out, buf, sizeof buf)) > 0;)
      got.append(buf, static_cast<size_t>(n));
    return got;
  }
  std::string memory;
  int file = -1, pipe_in = -1, pipe_out = -1;
};

// splice(2) that moves at most 16 KiB, then fails with splice_error (0: the real call goes on).
int splice_error;
ssize_t failing_splice(int in, loff_t* off_in, int out, loff_t* off_out, size_t len,
                       unsigned flags) {
  if (splice_error != 0 && *off_in >= 65536) {
    errno = splice_error;
    return -1;
  }
  if (splice_error != 0) len = std::min<size_t>(len, static_cast<size_t>(65536 - *off_in));
  return sys::real_table().splice(in, off_in, out, off_out, len, flags);
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

  TEST_CASE("a writer without a buffer writes each piece straight out, empty ones included") {
    testing::MemoryFd fd;
    FdWriter out(fd.fd(), 0);
    CHECK(out.write(""));
    CHECK(out.write("\n"));
    CHECK_FALSE(out.has_buffered());  // already out
    CHECK(fd.contents() == "\n");
    CHECK(out.write_borrowed("line\n"));
    CHECK(out.write(""));
    CHECK(out.flush());
    CHECK(fd.contents() == "\nline\n");
    CHECK(out.bytes_written() == 6);
  }

  TEST_CASE("spans inside a mirror go to a pipe by splice, in order with the rest") {
    SpliceSetup setup(160000);
    FdWriter out(setup.pipe_in);
    const std::string_view memory = setup.memory;
    out.mirror(memory, setup.file, 0);
    std::string expected;
    const auto add = [&](std::string_view piece, bool borrowed) {
      borrowed ? out.write_borrowed(piece) : out.write(piece);
      expected += piece;
    };
    add("head ", false);
    add(memory.substr(400, 80000), true);  // spliced
    add(" [note]", false);
    add(memory.substr(80400, 2400), true);   // borrowed but short: writev
    add(memory.substr(82800, 77200), true);  // spliced
    add("\n", false);
    CHECK(out.flush());
    CHECK(out.bytes_spliced() == 157200);
    CHECK(out.bytes_written() == expected.size());
    CHECK(setup.drain() == expected);
  }

  TEST_CASE("no splice without a pipe, outside a mirror, or after the mirror is forgotten") {
    SpliceSetup setup(160000);
    const std::string_view memory = setup.memory;
    {
      testing::MemoryFd file_out;  // a regular file, not a pipe
      FdWriter out(file_out.fd());
      out.mirror(memory, setup.file, 0);
      out.write_borrowed(memory.substr(0, 120000));
      CHECK(out.flush());
      CHECK(out.bytes_spliced() == 0);
      CHECK(file_out.contents() == memory.substr(0, 120000));
    }
    FdWriter out(setup.pipe_in);
    out.mirror(memory.substr(0, 40000), setup.file, 0);
    out.write_borrowed(memory.substr(20000, 80000));  // reaches past the mirror
    out.mirror(memory.substr(80000), setup.file, 80000);
    out.forget_mirrors();
    out.write_borrowed(memory.substr(80000, 80000));
    out.mirror(memory, -1, 0);  // fd -1 forgets too
    out.write_borrowed(memory.substr(0, 80000));
    CHECK(out.flush());
    CHECK(out.bytes_spliced() == 0);
    CHECK(setup.drain() == std::string(memory.substr(20000, 80000)) +
                               std::string(memory.substr(80000, 80000)) +
                               std::string(memory.substr(0, 80000)));
  }

  TEST_CASE("a file cut shorter, or a refused splice, gets the rest of the span from memory") {
    for (const int error : {0, EINVAL, EIO}) {
      CAPTURE(error);
      SpliceSetup setup(240000);
      splice_error = error;
      sys::Table table = sys::real_table();
      table.splice = failing_splice;
      sys::ScopedTable scoped(table);
      if (error == 0) REQUIRE(::ftruncate(setup.file, 100000) == 0);  // only 100000 bytes are left
      const std::string_view memory = setup.memory;
      FdWriter out(setup.pipe_in);
      out.mirror(memory, setup.file, 0);
      out.write_borrowed(memory.substr(0, 120000));
      out.write(" x ");
      out.write_borrowed(memory.substr(120000, 120000));  // written from memory: splicing stopped
      CHECK(out.flush());
      CHECK(out.bytes_spliced() == (error == 0 ? 100000 : 65536));
      CHECK(setup.drain() ==
            std::string(memory.substr(0, 120000)) + " x " + std::string(memory.substr(120000)));
    }
  }

  TEST_CASE("EPIPE on splice stops the writer as a broken pipe") {
    ::signal(SIGPIPE, SIG_IGN);  // as run() does: EPIPE rather than death
    SpliceSetup setup(120000);
    ::close(setup.pipe_out);
    setup.pipe_out = -1;
    FdWriter out(setup.pipe_in);
    out.mirror(setup.memory, setup.file, 0);
    out.write_borrowed(setup.memory.substr(0, 80000));
    CHECK_FALSE(out.flush());
    CHECK(out.status() == FdWriter::Status::kBrokenPipe);
  }
}
