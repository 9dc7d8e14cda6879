#include <doctest/doctest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/output/spool.h"
#include "test_util.h"

using namespace coinone;

TEST_SUITE("spool") {
  TEST_CASE("keeps pieces and gives them back in order, then is empty") {
    testing::MemoryFd fd;
    FdWriter out(fd.fd());
    Spool spool;
    const std::string big(200000, 'x');
    CHECK(spool.append("first "));
    CHECK(spool.append(big));
    CHECK(spool.copy_to(out));
    CHECK(spool.append("second"));
    spool.clear();
    CHECK(spool.append("third"));
    CHECK(spool.copy_to(out));
    out.flush();
    CHECK(fd.contents() == "first " + big + "third");
    CHECK(spool.error().empty());
  }

  TEST_CASE("works without a writable temporary directory (read-only containers)") {
    const char* saved = std::getenv("TMPDIR");
    const std::string restore = saved != nullptr ? saved : "";
    ::setenv("TMPDIR", "/nonexistent-directory", 1);
    testing::MemoryFd fd;
    FdWriter out(fd.fd());
    Spool spool;
    CHECK(spool.append("kept in a memfd"));
    CHECK(spool.copy_to(out));
    out.flush();
    CHECK(fd.contents() == "kept in a memfd");
    if (saved != nullptr)
      ::setenv("TMPDIR", restore.c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }
}

namespace {

// Faults on the spool's descriptors. The first descriptor pwrite() sees is the temporary file;
// a later one is the memfd the spool falls back to.
struct SpoolFaults {
  int file_fd = -1;
  int write_errno = 0;        // pwrite on the file fails with it once the file would pass limit
  off_t limit = 0;            // bytes the file takes before it is "full"
  bool memory_fails = false;  // pwrite on any other descriptor fails with write_errno too
  int read_errno = 0;         // pread fails with it (0: pread is real)
  bool read_short = false;    // pread finds the end of the file (returns 0)
};
SpoolFaults faults;

ssize_t faulty_pwrite(int fd, const void* buf, size_t count, off_t offset) {
  if (faults.file_fd < 0) faults.file_fd = fd;
  const bool failing = fd == faults.file_fd ? offset + static_cast<off_t>(count) > faults.limit
                                            : faults.memory_fails;
  if (failing && faults.write_errno != 0) {
    errno = faults.write_errno;
    return -1;
  }
  return sys::real_table().pwrite(fd, buf, count, offset);
}

ssize_t faulty_pread(int fd, void* buf, size_t count, off_t offset) {
  if (faults.read_short) return 0;
  if (faults.read_errno != 0) {
    errno = faults.read_errno;
    return -1;
  }
  return sys::real_table().pread(fd, buf, count, offset);
}

sys::Table faulty_table(SpoolFaults wanted) {
  faults = wanted;
  sys::Table table = sys::real_table();
  table.pwrite = &faulty_pwrite;
  table.pread = &faulty_pread;
  return table;
}

}  // namespace

TEST_SUITE("spool") {
  TEST_CASE(
      "a full or failing temporary file: the spool moves to memory, keeps every byte and says so") {
    for (const int error : {ENOSPC, EIO, EDQUOT, EFBIG}) {
      CAPTURE(error);
      sys::ScopedTable scoped(faulty_table({-1, error, 300000, false, 0, false}));
      testing::MemoryFd fd;
      FdWriter out(fd.fd());
      Spool spool;
      const std::string big(200000, 'x'), more(200000, 'y');
      CHECK(spool.append("first "));
      CHECK(spool.append(big));
      CHECK(spool.take_note().empty());
      CHECK(spool.append(more));  // past the limit: into memory
      const std::string note = spool.take_note();
      CHECK(note.find(std::strerror(error)) != std::string::npos);
      CHECK(note.find("memory") != std::string::npos);
      CHECK(spool.take_note().empty());  // said once
      CHECK(spool.append("z"));
      CHECK(spool.copy_to(out));
      out.flush();
      CHECK(fd.contents() == "first " + big + more + "z");
      CHECK(spool.error().empty());
    }
  }

  TEST_CASE(
      "no room in a file or in memory: append fails with the reason, what it held comes back") {
    sys::ScopedTable scoped(faulty_table({-1, ENOSPC, 1000, true, 0, false}));
    testing::MemoryFd fd;
    FdWriter out(fd.fd());
    Spool spool;
    CHECK(spool.append("kept "));
    CHECK_FALSE(spool.append(std::string(5000, 'x')));
    CHECK(spool.error().find(std::strerror(ENOSPC)) != std::string::npos);
    CHECK(spool.copy_to(out));  // what it holds is still readable
    out.flush();
    CHECK(fd.contents() == "kept ");
  }

  TEST_CASE("a read-back failure names its cause, never a stale errno") {
    for (const bool short_read : {false, true}) {
      CAPTURE(short_read);
      testing::MemoryFd fd;
      FdWriter out(fd.fd());
      Spool spool;
      CHECK(spool.append("some bytes"));
      errno = 0;
      sys::ScopedTable scoped(faulty_table({-1, 0, 0, false, short_read ? 0 : EIO, short_read}));
      CHECK_FALSE(spool.copy_to(out));
      CHECK(spool.error().find(std::strerror(EIO)) != std::string::npos);
      CHECK(spool.error().find("Success") == std::string::npos);
    }
  }
}
