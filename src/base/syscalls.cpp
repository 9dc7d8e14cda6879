#include "coinone_annotate/base/syscalls.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

namespace coinone::sys {

const Table& real_table() {
  static const Table kReal{&::read, &::write, &::writev, &::poll, &::pread, &::pwrite, &::splice};
  return kReal;
}

Table& table() {
  static Table current = real_table();
  return current;
}

namespace {

// Runs `step(done)` until `count` bytes are done: step returns the bytes it moved, 0 (the call
// moved nothing: EIO), or -1 with errno set. EINTR is retried.
template <typename Step>
int transfer_all(size_t count, Step step) {
  for (size_t done = 0; done < count;) {
    const ssize_t n = step(done);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n == 0) {
      return EIO;
    } else if (errno != EINTR) {
      return errno;
    }
  }
  return 0;
}

}  // namespace

int write_all(int fd, const void* buf, size_t count) {
  const auto* bytes = static_cast<const char*>(buf);
  return transfer_all(count, [&](size_t done) { return write(fd, bytes + done, count - done); });
}

int pwrite_all(int fd, const void* buf, size_t count, off_t offset) {
  const auto* bytes = static_cast<const char*>(buf);
  return transfer_all(count, [&](size_t done) {
    return pwrite(fd, bytes + done, count - done, offset + static_cast<off_t>(done));
  });
}

int pread_exact(int fd, void* buf, size_t count, off_t offset) {
  auto* bytes = static_cast<char*>(buf);
  return transfer_all(count, [&](size_t done) {
    return pread(fd, bytes + done, count - done, offset + static_cast<off_t>(done));
  });
}

}  // namespace coinone::sys
