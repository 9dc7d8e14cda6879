#include <doctest/doctest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "coinone_annotate/base/syscalls.h"

using namespace coinone;

namespace {

// Each call moves at most 3 bytes; every other call fails with EINTR first.
int calls = 0;
ssize_t choppy_write(int fd, const void* buf, size_t count) {
  if (++calls % 2 == 1) {
    errno = EINTR;
    return -1;
  }
  return sys::real_table().write(fd, buf, count < 3 ? count : 3);
}
ssize_t choppy_pwrite(int fd, const void* buf, size_t count, off_t offset) {
  if (++calls % 2 == 1) {
    errno = EINTR;
    return -1;
  }
  return sys::real_table().pwrite(fd, buf, count < 3 ? count : 3, offset);
}
ssize_t choppy_pread(int fd, void* buf, size_t count, off_t offset) {
  if (++calls % 2 == 1) {
    errno = EINTR;
    return -1;
  }
  return sys::real_table().pread(fd, buf, count < 3 ? count : 3, offset);
}
ssize_t zero_write(int, const void*, size_t) {
  errno = 0;  // a stale "Success" must not come out of write_all
  return 0;
}
ssize_t full_pwrite(int, const void*, size_t, off_t) {
  errno = ENOSPC;
  return -1;
}

// An unlinked temporary file.
int temp_fd() {
  FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  return ::dup(::fileno(file));
}

}  // namespace

TEST_SUITE("syscalls") {
  TEST_CASE("write_all, pwrite_all and pread_exact go through short transfers and EINTR") {
    const int fd = temp_fd();
    sys::Table fake = sys::real_table();
    fake.write = choppy_write;
    fake.pwrite = choppy_pwrite;
    fake.pread = choppy_pread;
    sys::ScopedTable scoped(fake);
    const std::string text = "0123456789abcdefghij";
    CHECK(sys::write_all(fd, text.data(), text.size()) == 0);
    CHECK(sys::pwrite_all(fd, "XYZW", 4, 2) == 0);
    std::string back(text.size(), '\0');
    CHECK(sys::pread_exact(fd, back.data(), back.size(), 0) == 0);
    CHECK(back == "01XYZW6789abcdefghij");
    // Past the end: the file ends first.
    CHECK(sys::pread_exact(fd, back.data(), 4, 18) == EIO);
    ::close(fd);
  }

  TEST_CASE("a write of nothing is EIO, and a failing call gives its own errno") {
    const int fd = temp_fd();
    sys::Table fake = sys::real_table();
    fake.write = zero_write;
    fake.pwrite = full_pwrite;
    sys::ScopedTable scoped(fake);
    CHECK(sys::write_all(fd, "abc", 3) == EIO);
    CHECK(sys::pwrite_all(fd, "abc", 3, 0) == ENOSPC);
    CHECK(sys::write_all(fd, "", 0) == 0);
    ::close(fd);
  }
}
