// Fault injection through the system-call seam: the whole program (run()) against short reads,
// EINTR, EAGAIN, and EPIPE, ENOSPC and EIO on write, and EIO on read. Each case checks the exit
// status, the message, and that the output up to the fault is exactly what it should be: no
// byte lost, none repeated.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "coinone_annotate/app/app.h"
#include "coinone_annotate/app/config.h"
#include "coinone_annotate/base/syscalls.h"

using namespace coinone;

namespace {

constexpr std::string_view kNote = " [coinone 103 Order / Balance: Lack of balance -> check-funds]";

// The fault plan, read by the fake system calls below.
struct Plan {
  int read_fd = -1;             // the input file's descriptor is the one with fd > 2 read
  size_t read_chunk = 1 << 20;  // at most this many bytes per read
  int read_error = 0;           // fail reads with this errno once read_error_after bytes are read
  size_t read_error_after = 0;
  int write_error = 0;  // fail writes with this errno once write_error_after bytes are out
  size_t write_error_after = 0;
  bool interrupt = false;    // EINTR on every other call
  bool again = false;        // EAGAIN on every other read (a non-blocking stdin)
  int spool_error = 0;       // fail pwrite on the spool's temporary file with this errno
  bool spool_memory = true;  // ... while pwrite on a memfd works
  int spool_read_error = 0;  // fail pread on the spool with this errno
  std::string output;        // what reached "stdout"
  size_t read_total = 0;
  unsigned calls = 0;
} plan;

ssize_t fake_read(int fd, void* buf, size_t count) {
  if (fd <= 2) return sys::real_table().read(fd, buf, count);
  if ((plan.interrupt || plan.again) && ++plan.calls % 2 == 0) {
    errno = plan.interrupt ? EINTR : EAGAIN;
    return -1;
  }
  if (plan.read_error != 0 && plan.read_total >= plan.read_error_after) {
    errno = plan.read_error;
    return -1;
  }
  size_t limit = std::min(count, plan.read_chunk);
  if (plan.read_error != 0) limit = std::min(limit, plan.read_error_after - plan.read_total);
  const ssize_t n = sys::real_table().read(fd, buf, limit);
  if (n > 0) plan.read_total += static_cast<size_t>(n);
  return n;
}

ssize_t fake_writev(int fd, const iovec* iov, int count) {
  if (fd != STDOUT_FILENO) return sys::real_table().writev(fd, iov, count);
  if (plan.interrupt && ++plan.calls % 2 == 0) {
    errno = EINTR;
    return -1;
  }
  if (plan.write_error != 0 && plan.output.size() >= plan.write_error_after) {
    errno = plan.write_error;
    return -1;
  }
  size_t budget = plan.write_error != 0 ? plan.write_error_after - plan.output.size() : SIZE_MAX;
  size_t taken = 0;
  for (int i = 0; i < count && taken < budget; ++i) {
    const size_t n = std::min(iov[i].iov_len, budget - taken);
    plan.output.append(static_cast<const char*>(iov[i].iov_base), n);
    taken += n;
  }
  return static_cast<ssize_t>(taken);
}

int fake_poll(pollfd*, nfds_t, int) { return 1; }

bool is_memfd(int fd) {
  char target[256] = {};
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  return ::readlink(link.c_str(), target, sizeof target - 1) > 0 &&
         std::string_view(target).starts_with("/memfd:");
}

ssize_t fake_pwrite(int fd, const void* buf, size_t count, off_t offset) {
  if (plan.spool_error != 0 && !(plan.spool_memory && is_memfd(fd))) {
    errno = plan.spool_error;
    return -1;
  }
  return sys::real_table().pwrite(fd, buf, count, offset);
}

ssize_t fake_pread(int fd, void* buf, size_t count, off_t offset) {
  if (plan.spool_read_error != 0) {
    errno = plan.spool_read_error;
    return -1;
  }
  return sys::real_table().pread(fd, buf, count, offset);
}

// Runs the program on `input` with the plan in force; returns the exit status and fills `err`
// with what it wrote to stderr.
int run_with_faults(const std::string& input, std::string& err, bool only_errors = false) {
  char path[] = "/tmp/coinone-fault-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, input.data(), input.size()) == static_cast<ssize_t>(input.size()));
  ::close(fd);
  Config config;
  config.inputs = {path};
  config.buffer_size = 64;  // many reads and writes
  config.printer.only_errors = only_errors;
  // stderr goes to a memfd for the duration.
  const int saved_stderr = ::dup(STDERR_FILENO);
  const int capture = ::memfd_create("stderr", 0);
  ::dup2(capture, STDERR_FILENO);
  sys::Table table = sys::real_table();
  table.read = fake_read;
  table.writev = fake_writev;
  table.poll = fake_poll;
  table.pwrite = fake_pwrite;
  table.pread = fake_pread;
  int status = 0;
  {
    sys::ScopedTable scoped(table);
    status = run(config);
  }
  ::fflush(stderr);
  ::dup2(saved_stderr, STDERR_FILENO);
  ::close(saved_stderr);
  err.clear();
  char buf[4096];
  for (ssize_t n; (n = ::pread(capture, buf, sizeof buf, static_cast<off_t>(err.size()))) > 0;)
    err.append(buf, static_cast<size_t>(n));
  ::close(capture);
  ::unlink(path);
  return status;
}

std::string corpus() {
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += i % 7 == 0 ? "line " + std::to_string(i) + " error_code=103\n"
                       : "line " + std::to_string(i) + " ok\n";
  return text;
}

// Lines longer than the 64-byte buffer, with and without an error, among short ones: with
// --only-errors the long ones go through the spool.
std::string long_lines() {
  std::string text;
  for (size_t i = 0; i < 40; ++i) {
    const std::string pad(70 + i * 13, static_cast<char>('a' + i % 26));
    text += i % 3 == 0   ? "short " + std::to_string(i) + " error_code=103\n"
            : i % 3 == 1 ? "long " + pad + " error_code=103 " + pad + "\n"
                         : "long " + pad + " ok\n";
  }
  return text;
}

std::string annotated(const std::string& input);

// Only the annotated lines of annotated(input).
std::string only_errors(const std::string& input) {
  const std::string all = annotated(input);
  std::string out;
  for (size_t at = 0; at < all.size();) {
    const size_t end = all.find('\n', at) + 1;
    const std::string_view line(all.data() + at, end - at);
    if (line.find(kNote) != std::string_view::npos) out += line;
    at = end;
  }
  return out;
}

std::string annotated(const std::string& input) {
  std::string out;
  size_t at = 0;
  while (at < input.size()) {
    const size_t end = input.find('\n', at);
    const std::string line = input.substr(at, end - at);
    out += line;
    if (line.find("error_code=103") != std::string::npos) out += kNote;
    out += '\n';
    at = end + 1;
  }
  return out;
}

}  // namespace

TEST_SUITE("faults") {
  TEST_CASE("short reads of every size, and EINTR on reads and writes: same output, status 0") {
    const std::string input = corpus();
    for (size_t chunk = 1; chunk <= 70; chunk += (chunk < 10 ? 1 : 13)) {
      CAPTURE(chunk);
      plan = Plan{};
      plan.read_chunk = chunk;
      plan.interrupt = chunk % 2 == 0;
      std::string err;
      CHECK(run_with_faults(input, err) == 0);
      CHECK(err.empty());
      CHECK(plan.output == annotated(input));
    }
  }

  TEST_CASE("EAGAIN on a non-blocking input waits and loses nothing") {
    plan = Plan{};
    plan.again = true;
    plan.read_chunk = 10;
    std::string err;
    CHECK(run_with_faults(corpus(), err) == 0);
    CHECK(plan.output == annotated(corpus()));
  }

  TEST_CASE("EPIPE ends quietly with status 0; ENOSPC and EIO are errors with status 2") {
    const std::string want = annotated(corpus());
    struct Case {
      int error;
      int status;
      const char* message;
    };
    for (const Case c :
         {Case{EPIPE, 0, ""},
          Case{ENOSPC, 2, "coinone-annotate: standard output: No space left on device\n"},
          Case{EIO, 2, "coinone-annotate: standard output: Input/output error\n"}}) {
      CAPTURE(c.error);
      plan = Plan{};
      plan.write_error = c.error;
      plan.write_error_after = 1000;
      std::string err;
      CHECK(run_with_faults(corpus(), err) == c.status);
      CHECK(err == c.message);
      CHECK(plan.output == want.substr(0, 1000));  // everything up to the fault, once
    }
  }

  TEST_CASE("--only-errors, spool file full or failing: long lines go on in memory, status 0") {
    for (const int error : {ENOSPC, EIO}) {
      CAPTURE(error);
      plan = Plan{};
      plan.spool_error = error;
      std::string err;
      CHECK(run_with_faults(long_lines(), err, true) == 0);
      CHECK(plan.output == only_errors(long_lines()));
      CHECK(err == std::string("coinone-annotate: the temporary file for a long line failed (") +
                       std::strerror(error) + "): kept in memory instead\n");
    }
  }

  TEST_CASE("--only-errors, no room in a file or in memory: long lines pass through, status 0") {
    plan = Plan{};
    plan.spool_error = ENOSPC;
    plan.spool_memory = false;
    std::string err;
    CHECK(run_with_faults(long_lines(), err, true) == 0);
    // Every long line comes out whole, annotated when it has an error; short ones as filtered.
    std::string want;
    const std::string all = annotated(long_lines());
    for (size_t at = 0; at < all.size();) {
      const size_t end = all.find('\n', at) + 1;
      const std::string_view line(all.data() + at, end - at);
      if (line.starts_with("long ") || line.find(kNote) != std::string_view::npos) want += line;
      at = end;
    }
    CHECK(plan.output == want);
    CHECK(err ==
          "coinone-annotate: cannot keep a long line in a temporary file or in memory: No space "
          "left on device: the line is passed through whole, whether or not it carries an error\n");
  }

  TEST_CASE(
      "--only-errors, the spool cannot be read back: its cause, status 2, nothing before lost") {
    plan = Plan{};
    plan.spool_read_error = EIO;
    std::string err;
    CHECK(run_with_faults(long_lines(), err, true) == 2);
    CHECK(err == "coinone-annotate: cannot read back a long line: Input/output error\n");
    // The output ends where the first long error line begins: nothing of it could be read back.
    CHECK(plan.output == "short 0 error_code=103" + std::string(kNote) + "\n");
  }

  TEST_CASE("EIO on read: the file's message, status 2, everything read before is out") {
    plan = Plan{};
    plan.read_error = EIO;
    plan.read_error_after = 1000;
    std::string err;
    CHECK(run_with_faults(corpus(), err) == 2);
    CHECK(err.find(": Input/output error\n") != std::string::npos);
    CHECK(err.rfind("coinone-annotate: /tmp/coinone-fault-", 0) == 0);
    // The bytes read before the fault come out, the last partial line as it is.
    CHECK(plan.output == annotated(corpus().substr(0, 1000) + "\n").substr(0, plan.output.size()));
    CHECK(plan.output.size() >= 1000);
  }
}
