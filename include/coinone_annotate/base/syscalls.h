// The system-call seam.
//
// Every read, write and poll of the program goes through sys::table(), so that tests can inject
// short reads, EINTR, EAGAIN, EPIPE, ENOSPC and EIO without touching the kernel (the same idea as
// fmt's FMT_SYSTEM "for testability"). Production code never replaces the table.
//
// Threads: the table is a plain global; tests swap it before running a pipeline, never during.
#pragma once
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
