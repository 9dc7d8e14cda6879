#include "coinone_annotate/fd_writer.h"

#include <poll.h>

#include <cerrno>
#include <cstring>

#include "coinone_annotate/syscalls.h"

namespace coinone {

FdWriter::FdWriter(int fd, size_t capacity) : fd_(fd), buffer_(capacity == 0 ? 1 : capacity) {}

bool FdWriter::write(std::string_view bytes) {
  if (status_ != Status::kOk) return false;
  if (bytes.size() <= buffer_.size() - size_) {
    std::memcpy(buffer_.data() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
    return true;
  }
  if (!flush()) return false;
  // Large spans go straight from the caller's memory: copying them into the buffer first would
  // only add a memcpy per byte.
  if (bytes.size() >= buffer_.size()) return write_all(bytes.data(), bytes.size());
  std::memcpy(buffer_.data(), bytes.data(), bytes.size());
  size_ = bytes.size();
  return true;
}

bool FdWriter::flush() {
  if (status_ != Status::kOk) return false;
  if (size_ == 0) return true;
  const size_t size = size_;
  size_ = 0;
  return write_all(buffer_.data(), size);
}

bool FdWriter::write_all(const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = sys::write(fd_, data, size);
    if (n >= 0) {
      data += n;
      size -= static_cast<size_t>(n);
      written_ += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      // A non-blocking stdout that is full: wait until it drains instead of spinning.
      pollfd pfd{fd_, POLLOUT, 0};
      sys::poll(&pfd, 1, -1);
      continue;
    }
    errno_ = errno;
    status_ = errno == EPIPE ? Status::kBrokenPipe : Status::kError;
    return false;
  }
  return true;
}

}  // namespace coinone
