#include "coinone_annotate/input/source.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "coinone_annotate/base/syscalls.h"

namespace coinone {

FdSource::FdSource(int fd, std::string name, bool owns_fd)
    : fd_(fd), name_(std::move(name)), owns_fd_(owns_fd) {
  // Only a regular file's bytes stay where they were read: a pipe's are gone once read. (Standard
  // input redirected from a file starts where the shell left its offset.)
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    const off_t at = ::lseek(fd_, 0, SEEK_CUR);
    if (at >= 0) offset_ = at;
  }
}

FileOrigin FdSource::origin() const {
  if (offset_ < 0) return {};
  return {fd_, last_read_at_};
}

FdSource::~FdSource() {
  if (owns_fd_) ::close(fd_);
}

ReadResult FdSource::read(std::span<char> buffer) {
  for (;;) {
    const ssize_t n = sys::read(fd_, buffer.data(), buffer.size());
    if (n >= 0) {
      if (offset_ >= 0) {
        last_read_at_ = offset_;
        offset_ += n;
      }
      return ReadResult{static_cast<size_t>(n), 0, {}};
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      // A non-blocking stdin (inherited from a parent that set O_NONBLOCK): wait for data.
      pollfd pfd{fd_, POLLIN, 0};
      sys::poll(&pfd, 1, -1);
      continue;
    }
    return ReadResult{0, errno, {}};
  }
}

OpenResult open_source(const std::string& path) {
  if (path == "-") return {std::make_unique<FdSource>(STDIN_FILENO, kStdinName, false), {}};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {nullptr, std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return {nullptr, std::strerror(EISDIR)};
  }
  // Sequential reads of large files: ask the kernel for aggressive read-ahead.
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return {std::make_unique<FdSource>(fd, path, true), {}};
}

}  // namespace coinone
