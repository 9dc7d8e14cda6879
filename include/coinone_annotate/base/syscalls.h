// The system-call seam.
//
// Every read, write, pread, pwrite, poll and splice of the program goes through sys::table(), so
// that tests can inject short reads, EINTR, EAGAIN, EPIPE, ENOSPC and EIO without touching the
// kernel (the same idea as fmt's FMT_SYSTEM "for testability"). Production code never replaces the
// table. write_all(), pwrite_all() and pread_exact() are the only loops over short transfers
// and EINTR: callers do not write their own.
//
// Threads: the table is a plain global; tests swap it before running a pipeline, never during.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>

namespace coinone::sys {

struct Table {
  ssize_t (*read)(int fd, void* buf, size_t count);
  ssize_t (*write)(int fd, const void* buf, size_t count);
  ssize_t (*writev)(int fd, const struct iovec* iov, int iovcnt);
  int (*poll)(struct pollfd* fds, nfds_t nfds, int timeout_ms);
  ssize_t (*pread)(int fd, void* buf, size_t count, off_t offset);
  ssize_t (*pwrite)(int fd, const void* buf, size_t count, off_t offset);
  ssize_t (*splice)(int fd_in, loff_t* off_in, int fd_out, loff_t* off_out, size_t len,
                    unsigned int flags);
};

// The table in force. Starts as the real system calls.
Table& table();
// The real system calls, for tests that wrap them.
const Table& real_table();

inline ssize_t read(int fd, void* buf, size_t count) { return table().read(fd, buf, count); }
inline ssize_t write(int fd, const void* buf, size_t count) {
  return table().write(fd, buf, count);
}
inline ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  return table().writev(fd, iov, iovcnt);
}
inline int poll(struct pollfd* fds, nfds_t nfds, int timeout_ms) {
  return table().poll(fds, nfds, timeout_ms);
}

inline ssize_t pread(int fd, void* buf, size_t count, off_t offset) {
  return table().pread(fd, buf, count, offset);
}
inline ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  return table().pwrite(fd, buf, count, offset);
}
inline ssize_t splice(int fd_in, loff_t* off_in, int fd_out, loff_t* off_out, size_t len,
                      unsigned int flags) {
  return table().splice(fd_in, off_in, fd_out, off_out, len, flags);
}

// Writes all `count` bytes, retrying short writes and EINTR. Returns 0, or the errno of the
// failing call (EIO when a write returns 0, which would otherwise leave a stale errno).
int write_all(int fd, const void* buf, size_t count);
// The same at `offset` (pwrite).
int pwrite_all(int fd, const void* buf, size_t count, off_t offset);
// Reads exactly `count` bytes at `offset`, retrying short reads and EINTR. Returns 0, or the
// errno of the failing call (EIO when the file ends first).
int pread_exact(int fd, void* buf, size_t count, off_t offset);

// Restores the real table when it goes out of scope: tests install a fake inside one.
class ScopedTable {
 public:
  explicit ScopedTable(const Table& fake) : saved_(table()) { table() = fake; }
  ~ScopedTable() { table() = saved_; }
  ScopedTable(const ScopedTable&) = delete;
  ScopedTable& operator=(const ScopedTable&) = delete;

 private:
  Table saved_;
};

}  // namespace coinone::sys
