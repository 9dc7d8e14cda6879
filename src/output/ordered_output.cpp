#include "coinone_annotate/output/ordered_output.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/output/fd_writer.h"

namespace coinone {

// ---- OutputTurns ---------------------------------------------------------------------------

OutputTurns::OutputTurns(size_t count) : count_(count), waiting_(count), finished_(count, 0) {}

bool OutputTurns::wait_turn(size_t index) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return stopped() || is_turn(index); });
  return !stopped();
}

void OutputTurns::finish(size_t index, std::function<void()> in_turn) {
  {
    std::lock_guard lock(mutex_);
    if (!is_turn(index)) {  // the job that passes the turn to index runs in_turn
      waiting_[index] = std::move(in_turn);
      finished_[index] = 1;
      return;
    }
  }
  for (;;) {
    in_turn();  // outside the lock: it may copy a whole spool out
    std::lock_guard lock(mutex_);
    const size_t next = turn_.load(std::memory_order_relaxed) + 1;
    turn_.store(next, std::memory_order_release);
    changed_.notify_all();
    if (next >= count_ || finished_[next] == 0) return;
    in_turn = std::exchange(waiting_[next], {});
  }
}

void OutputTurns::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_.store(true, std::memory_order_release);
  }
  changed_.notify_all();
}

// ---- OutputLane ----------------------------------------------------------------------------

OutputLane::OutputLane(OutputTurns& turns, size_t index, int out_fd, uint64_t spool_limit)
    : turns_(turns), index_(index), out_fd_(out_fd), limit_(spool_limit) {
  if (turns_.is_turn(index_) || !open_spool()) {
    // No spool to be had: this job waits for its turn before it writes anything.
    if (turns_.wait_turn(index_)) fd_ = ::fcntl(out_fd_, F_DUPFD_CLOEXEC, 0);
    direct_ = true;
    if (fd_ < 0 && !turns_.stopped()) out_error_ = errno;
  }
}

OutputLane::~OutputLane() {
  if (fd_ >= 0) ::close(fd_);
}

bool OutputLane::open_spool() {
  const char* dir = std::getenv("TMPDIR");
  fd_ =
      ::open(dir != nullptr && dir[0] != '\0' ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) fd_ = ::memfd_create("coinone-annotate-lane", MFD_CLOEXEC);
  return fd_ >= 0;
}

bool OutputLane::at_flush(uint64_t spooled) {
  if (direct_ || failed()) return false;
  if (!turns_.is_turn(index_) && (spooled < limit_ || !turns_.wait_turn(index_))) return false;
  return go_direct(spooled);
}

bool OutputLane::drain(uint64_t spooled) {
  if (direct_) return !failed();
  return go_direct(spooled);
}

// The spool goes out, then the job's descriptor becomes a copy of out_fd: the file is closed
// with it (its last reference), and the job's writer goes on straight through.
bool OutputLane::go_direct(uint64_t spooled) {
  if (!copy_spool(spooled)) return false;
  if (::dup3(out_fd_, fd_, O_CLOEXEC) < 0) {
    out_error_ = errno;
    return false;
  }
  direct_ = true;
  return true;
}

// sendfile() moves the spool's pages to out_fd inside the kernel (to a pipe by reference, to
// /dev/null not at all) instead of through a buffer here. Whatever it cannot do (an out_fd it
// does not support, a full non-blocking pipe, a failure) is left to copy_through_buffer().
bool OutputLane::copy_spool(uint64_t size) {
  uint64_t at = 0;
  while (at < size) {
    off_t offset = static_cast<off_t>(at);
    const ssize_t n = ::sendfile(out_fd_, fd_, &offset, static_cast<size_t>(size - at));
    if (n > 0) {
      at += static_cast<uint64_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // Not supported here, a full non-blocking pipe, a failure of either end, or a spool that
    // ended early: the copy below goes on from here and says which end failed, and why.
    break;
  }
  return copy_through_buffer(at, size);
}

bool OutputLane::copy_through_buffer(uint64_t at, uint64_t size) {
  constexpr size_t kChunk = 1 << 20;  // a pipe's size after enlarge_pipe(): one write fills it
  FdWriter out(out_fd_, kChunk);      // waits out EAGAIN, retries EINTR, tells EPIPE apart
  const auto chunk = std::make_unique_for_overwrite<char[]>(kChunk);
  while (at < size) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, size - at));
    if (const int error = sys::pread_exact(fd_, chunk.get(), n, static_cast<off_t>(at));
        error != 0) {
      error_ = fmt::format("cannot read back the spooled output: {}", std::strerror(error));
      return false;
    }
    out.write({chunk.get(), n});
    out.flush();
    if (out.status() != FdWriter::Status::kOk) {
      out_error_ = out.status() == FdWriter::Status::kBrokenPipe ? EPIPE : out.error_number();
      return false;
    }
    at += n;
  }
  return true;
}

}  // namespace coinone
