#include "coinone_annotate/output/ordered_output.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/output/fd_writer.h"
#include "coinone_annotate/output/spool.h"

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

// ---- SpoolPool -----------------------------------------------------------------------------

SpoolPool::~SpoolPool() {
  for (const auto& kind : free_)
    for (const int fd : kind) ::close(fd);
}

SpoolPool::Spool SpoolPool::acquire(bool memory) {
  {
    std::lock_guard lock(mutex_);
    if (!free_[memory].empty()) {
      const int fd = free_[memory].back();
      free_[memory].pop_back();
      return {fd, memory};
    }
  }
  int fd = memory ? open_memory_file() : open_temporary_file();
  if (fd >= 0) return {fd, memory};
  fd = memory ? open_temporary_file() : open_memory_file();
  return {fd, fd >= 0 && !memory};
}

// Emptied, not only rewound, even when the job wrote little (truncating costs about 10 us a
// spool): sendfile() to a pipe hands the pipe references to the spool's pages, and a reader
// may not have read them yet. Overwriting them for the next job changed what it read (-j2 on
// 1954 files of 2 KiB into a pipe); truncating lets the pipe keep the old pages.
void SpoolPool::release(Spool spool) {
  if (spool.fd < 0) return;
  if (::ftruncate(spool.fd, 0) == 0 && ::lseek(spool.fd, 0, SEEK_SET) == 0) {
    std::lock_guard lock(mutex_);
    if (free_[spool.memory].size() < kKept) {
      free_[spool.memory].push_back(spool.fd);
      return;
    }
  }
  ::close(spool.fd);
}

// ---- OutputLane ----------------------------------------------------------------------------

OutputLane::OutputLane(OutputTurns& turns, SpoolPool& spools, size_t index, int out_fd,
                       int writer_fd, uint64_t spool_limit)
    : turns_(turns),
      spools_(spools),
      index_(index),
      out_fd_(out_fd),
      writer_fd_(writer_fd),
      limit_(spool_limit) {
  if (!turns_.is_turn(index_)) {
    spool_ = spools_.acquire(true);
    if (spool_.fd >= 0 && point_writer(spool_.fd)) return;
    give_back();
    out_error_ = 0;
  }
  // Its turn already, or no spool to be had: the job waits for its turn before it writes.
  if (turns_.wait_turn(index_)) direct_ = point_writer(out_fd_);
}

OutputLane::~OutputLane() { give_back(); }

void OutputLane::give_back() {
  spools_.release(spool_);
  spool_ = {};
}

// Past the memory tier the spool moves to a temporary file: what the memfd holds is copied
// over, the writer's descriptor is pointed at the file (at the end of what was copied) and the
// memfd goes back. Where no file can be had, or the copy fails, the spool stays in memory.
void OutputLane::move_to_file(uint64_t spooled) {
  SpoolPool::Spool file = spools_.acquire(false);
  for (off_t at = 0; !file.memory && file.fd >= 0 && static_cast<uint64_t>(at) < spooled;) {
    if (::sendfile(file.fd, spool_.fd, &at,
                   static_cast<size_t>(spooled) - static_cast<size_t>(at)) <= 0 &&
        errno != EINTR) {
      break;
    }
  }
  if (file.memory || file.fd < 0 || ::lseek(file.fd, 0, SEEK_CUR) != static_cast<off_t>(spooled) ||
      ::dup3(file.fd, writer_fd_, O_CLOEXEC) < 0) {
    spools_.release(file);
    spool_.memory = false;  // do not try again for this job
    return;
  }
  spools_.release(spool_);
  spool_ = file;
}

bool OutputLane::point_writer(int fd) {
  if (::dup3(fd, writer_fd_, O_CLOEXEC) >= 0) return true;
  out_error_ = errno;
  return false;
}

bool OutputLane::at_flush(uint64_t spooled) {
  if (direct_ || failed()) return false;
  if (!turns_.is_turn(index_)) {
    if (spooled < limit_) {
      if (spool_.memory && spooled >= kMemoryTier) move_to_file(spooled);
      return false;
    }
    if (!turns_.wait_turn(index_)) return false;
  }
  // The spool goes out, then the writer's descriptor becomes a copy of out_fd: the job's
  // writer goes on straight through without knowing.
  if (!write_lead() || !copy_spool(spooled) || !point_writer(out_fd_)) return false;
  give_back();
  direct_ = true;
  return true;
}

bool OutputLane::drain(uint64_t spooled) {
  if (direct_) return !failed();
  const bool copied = write_lead() && copy_spool(spooled);
  give_back();
  return copied;
}

// sendfile() moves the spool's pages to out_fd inside the kernel (to a pipe by reference, to
// /dev/null not at all) instead of through a buffer here. Whatever it cannot do (an out_fd it
// does not support, a full non-blocking pipe, a failure) is left to copy_through_buffer().
bool OutputLane::copy_spool(uint64_t size) {
  uint64_t at = 0;
  while (at < size) {
    off_t offset = static_cast<off_t>(at);
    const ssize_t n = ::sendfile(out_fd_, spool_.fd, &offset, static_cast<size_t>(size - at));
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

namespace {
// The errno a failed writer stands for, EPIPE when the reader went away.
int failure_errno(const FdWriter& out) {
  return out.status() == FdWriter::Status::kBrokenPipe ? EPIPE : out.error_number();
}
}  // namespace

bool OutputLane::write_lead() {
  if (!lead_) return true;
  const std::string_view lead = std::exchange(lead_, nullptr)();
  if (lead.empty()) return true;
  // No buffer (a buffer is a mapping of its own, and a file whose last line has no newline
  // leaves a lead for every next file): the lead goes straight out. The writer waits out EAGAIN,
  // retries EINTR and tells EPIPE apart.
  FdWriter out(out_fd_, 0);
  out.write(lead);
  out.flush();
  if (out.status() == FdWriter::Status::kOk) return true;
  out_error_ = failure_errno(out);
  return false;
}

bool OutputLane::copy_through_buffer(uint64_t at, uint64_t size) {
  if (at >= size) return true;
  constexpr size_t kChunk = 1 << 20;  // a pipe's size after enlarge_pipe(): one write fills it
  FdWriter out(out_fd_, 0);  // no buffer of its own: the chunk goes out from where it was read
  const auto chunk = std::make_unique_for_overwrite<char[]>(kChunk);
  while (at < size) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, size - at));
    if (const int error = sys::pread_exact(spool_.fd, chunk.get(), n, static_cast<off_t>(at));
        error != 0) {
      error_ = fmt::format("cannot read back the spooled output: {}", std::strerror(error));
      return false;
    }
    out.write({chunk.get(), n});
    if (out.status() != FdWriter::Status::kOk) {
      out_error_ = failure_errno(out);
      return false;
    }
    at += n;
  }
  return true;
}

}  // namespace coinone
