#include "coinone_annotate/output/fd_writer.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "coinone_annotate/base/syscalls.h"

namespace coinone {

namespace {
// writev() takes at most IOV_MAX pieces (1024 on Linux).
constexpr size_t kMaxIovecs = IOV_MAX;
// The searcher mirrors at most two read buffers (its own and the one a helper thread scans).
constexpr size_t kMaxMirrors = 4;

bool is_pipe(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

bool overlaps(std::string_view a, std::string_view b) {
  return a.data() < b.data() + b.size() && b.data() < a.data() + a.size();
}
}  // namespace

FdWriter::FdWriter(int fd, size_t capacity) : fd_(fd), buffer_(capacity), pipe_(is_pipe(fd)) {
  iov_.reserve(kMaxIovecs);
}

void FdWriter::mirror(std::string_view memory, int fd, int64_t offset) {
  std::erase_if(mirrors_, [&](const Mirror& m) { return overlaps(m.memory, memory); });
  if (fd < 0 || memory.empty() || !pipe_) return;
  if (mirrors_.size() == kMaxMirrors) mirrors_.erase(mirrors_.begin());
  mirrors_.push_back({memory, fd, offset});
}

// Records a borrowed span to splice, when it lies inside a mirror; false when it does not.
bool FdWriter::record_splice(std::string_view bytes) {
  for (const Mirror& m : mirrors_) {
    if (bytes.data() < m.memory.data() ||
        bytes.data() + bytes.size() > m.memory.data() + m.memory.size())
      continue;
    close_copied_run();
    const auto at = static_cast<int64_t>(bytes.data() - m.memory.data());
    splices_.push_back({iov_.size(), m.fd, m.offset + at, bytes});
    return true;
  }
  return false;
}

bool FdWriter::write(std::string_view bytes) {
  if (status_ != Status::kOk) return false;
  if (bytes.empty()) return true;  // (a writer without a buffer has no memory to copy 0 bytes to)
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
  if (bytes.size() >= kMinSpliced && !mirrors_.empty() && record_splice(bytes))
    return splices_.size() >= kMaxIovecs ? flush() : true;
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
  bool ok = true;
  size_t from = 0;  // iov_[from, ...) is still to be written
  for (const Splice& span : splices_) {
    ok = (span.before == from || write_iovecs(iov_.data() + from, span.before - from)) &&
         write_spliced(span);
    if (!ok) break;
    from = span.before;
  }
  if (ok && from < iov_.size()) ok = write_iovecs(iov_.data() + from, iov_.size() - from);
  iov_.clear();
  splices_.clear();
  size_ = run_start_ = 0;
  return ok;
}

// Moves a span from its file to the pipe. What splice() cannot move (the file was cut shorter,
// or the file system or pipe refuses splice) is written from memory, and splicing stops.
bool FdWriter::write_spliced(const Splice& span) {
  loff_t offset = span.offset;
  size_t done = 0;
  while (pipe_ && done < span.bytes.size()) {
    const ssize_t n = sys::splice(span.fd, &offset, fd_, nullptr, span.bytes.size() - done, 0);
    if (n > 0) {
      done += static_cast<size_t>(n);
      written_ += static_cast<size_t>(n);
      spliced_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_writable()) break;
      continue;
    }
    if (n < 0 && errno == EPIPE) {
      errno_ = EPIPE;
      status_ = Status::kBrokenPipe;
      return false;
    }
    break;  // 0 (the file ended early) or another error: the rest comes from memory
  }
  if (done == span.bytes.size()) return true;
  pipe_ = false;  // no more splicing on this writer: later spans are written from memory
  mirrors_.clear();
  iovec rest{const_cast<char*>(span.bytes.data() + done), span.bytes.size() - done};
  return write_iovecs(&rest, 1);
}

// A non-blocking pipe that is full: wait until it drains instead of spinning.
bool FdWriter::wait_writable() {
  pollfd pfd{fd_, POLLOUT, 0};
  return sys::poll(&pfd, 1, -1) >= 0 || errno == EINTR;
}

bool FdWriter::write_iovecs(iovec* iov, size_t count) {
  while (count > 0) {
    const ssize_t n = sys::writev(fd_, iov, static_cast<int>(std::min(count, kMaxIovecs)));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wait_writable();
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
