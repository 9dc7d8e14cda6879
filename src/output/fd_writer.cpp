#include "coinone_annotate/output/fd_writer.h"

#include <limits.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "coinone_annotate/base/syscalls.h"

namespace coinone {

namespace {
// writev() takes at most IOV_MAX pieces (1024 on Linux).
constexpr size_t kMaxIovecs = IOV_MAX;
}  // namespace

FdWriter::FdWriter(int fd, size_t capacity) : fd_(fd), buffer_(capacity == 0 ? 1 : capacity) {
  iov_.reserve(kMaxIovecs);
}

bool FdWriter::write(std::string_view bytes) {
  if (status_ != Status::kOk) return false;
  if (bytes.size() > buffer_.size() - size_) {
    if (!flush()) return false;
    if (bytes.size() >= buffer_.size()) {  // too big to copy: write it in place, now
      iovec one{const_cast<char*>(bytes.data()), bytes.size()};
      return write_iovecs(&one, 1);
    }
  }
  std::memcpy(buffer_.data() + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
  return true;
}

bool FdWriter::write_borrowed(std::string_view bytes) {
  if (bytes.size() < kMinBorrowed) return write(bytes);
  if (status_ != Status::kOk) return false;
  close_copied_run();
  iov_.push_back({const_cast<char*>(bytes.data()), bytes.size()});
  // Two slots stay free: the next call may add a copied run and a borrowed span.
  return iov_.size() + 2 > kMaxIovecs ? flush() : true;
}

// The copied bytes since the last borrowed span become one iovec, so that order is kept.
void FdWriter::close_copied_run() {
  if (size_ == run_start_) return;
  iov_.push_back({buffer_.data() + run_start_, size_ - run_start_});
  run_start_ = size_;
}

bool FdWriter::flush() {
  if (status_ != Status::kOk) return false;
  close_copied_run();
  const bool ok = iov_.empty() || write_iovecs(iov_.data(), iov_.size());
  iov_.clear();
  size_ = run_start_ = 0;
  return ok;
}

bool FdWriter::write_iovecs(iovec* iov, size_t count) {
  while (count > 0) {
    const ssize_t n = sys::writev(fd_, iov, static_cast<int>(std::min(count, kMaxIovecs)));
    if (n < 0) {
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
    written_ += static_cast<size_t>(n);
    // A short write: skip the pieces written whole and trim the one written in part.
    for (auto left = static_cast<size_t>(n); left > 0 || (count > 0 && iov->iov_len == 0);) {
      const size_t take = std::min(left, iov->iov_len);
      iov->iov_base = static_cast<char*>(iov->iov_base) + take;
      iov->iov_len -= take;
      left -= take;
      if (iov->iov_len == 0) {
        ++iov;
        --count;
      }
    }
  }
  return true;
}

}  // namespace coinone
