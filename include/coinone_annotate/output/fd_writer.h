// FdWriter: the one buffered writer between the program and its output descriptor.
//
// Two ways in:
//   - write() copies small pieces (annotations, terminators) into a buffer;
//   - write_borrowed() only records where a large span lies (an iovec), so that bulk
//     pass-through goes from the read buffer to the kernel with no copy in between. The caller
//     keeps a borrowed span alive until the next flush().
// flush() hands everything over with writev(), in order, continuing short writes and retrying
// EINTR. Skipping the copy raised the 1% corpus from 0.72x to 0.9x of `cat`'s throughput
// (README, Performance).
//
// When the descriptor is a pipe and a borrowed span of at least kMinSpliced bytes lies in memory
// that mirror() says is also a range of a regular file, flush() moves it with splice() from the
// file's page cache to the pipe: the kernel hands the pipe references to the cached pages and
// copies nothing (the reader's read() is then the only copy). The span's bytes are the file's
// bytes at the time of the read, and a log is only appended to, so the result is the same; a
// file cut shorter meanwhile (splice() returns 0), or a file system without splice, gets the
// rest of the span written from memory. (vmsplice() of the read buffer itself would also skip
// the copy, but the pipe would then refer to pages this program reuses for the next read while
// the reader, or whoever it splices them on to, may not have read them yet.) Limit: a program
// that overwrites the file in place, not by appending, between the read and the reader's read
// can make the reader see the new bytes.
//
// Errors are sticky values, not exceptions: after the first failed write every later call is a
// no-op and status() tells what happened. EPIPE is reported as kBrokenPipe so that callers can
// end quietly, like grep or ripgrep piped into `head`. EAGAIN on a non-blocking descriptor waits
// with poll() and tries again.
//
// Not copyable: it owns a buffer and stands for one descriptor. It never closes the descriptor.
#pragma once
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "coinone_annotate/base/page_buffer.h"

namespace coinone {

class FdWriter {
 public:
  enum class Status { kOk, kBrokenPipe, kError };

  // Default capacity of the copy buffer: 256 KiB.
  static constexpr size_t kDefaultCapacity = 256 * 1024;
  // Spans shorter than this are copied: an iovec of its own costs the kernel more than a
  // memcpy of a short line.
  static constexpr size_t kMinBorrowed = 512;
  // Borrowed spans shorter than this are written with writev() even where they could be spliced:
  // one splice() call per span costs more than copying a few pages.
  static constexpr size_t kMinSpliced = 64 * 1024;

  explicit FdWriter(int fd, size_t capacity = kDefaultCapacity);
  ~FdWriter() = default;  // Never flushes: call flush() and look at its result.
  FdWriter(const FdWriter&) = delete;
  FdWriter& operator=(const FdWriter&) = delete;

  // Appends a copy of bytes. Returns false once the writer has failed.
  bool write(std::string_view bytes);
  // Appends bytes without copying them; they must stay valid until flush() returns.
  bool write_borrowed(std::string_view bytes);
  // Writes out everything pending. Returns false once the writer has failed.
  bool flush();
  // `memory` holds the bytes of the regular file `fd` from `offset` on, until a mirror() over
  // overlapping memory or forget_mirrors() (fd -1 only forgets). See above.
  void mirror(std::string_view memory, int fd, int64_t offset);
  void forget_mirrors() { mirrors_.clear(); }

  bool has_buffered() const { return size_ != 0 || !iov_.empty(); }
  Status status() const { return status_; }
  // errno of the failure when status() is kError, else 0.
  int error_number() const { return errno_; }
  // Bytes handed to the kernel so far, and of them moved with splice().
  size_t bytes_written() const { return written_; }
  size_t bytes_spliced() const { return spliced_; }

 private:
  struct Mirror {
    std::string_view memory;
    int fd;
    int64_t offset;
  };
  // A span to splice, to be written before iov_[before].
  struct Splice {
    size_t before;
    int fd;
    int64_t offset;
    std::string_view bytes;  // the same bytes in memory, for what splice() cannot move
  };
  bool record_splice(std::string_view bytes);
  void close_copied_run();
  bool write_iovecs(iovec* iov, size_t count);
  bool write_spliced(const Splice& span);
  bool wait_writable();

  int fd_;
  PageBuffer buffer_;
  size_t size_ = 0;              // bytes used in buffer_
  size_t run_start_ = 0;         // start of the copied bytes not yet covered by an iovec
  std::vector<iovec> iov_;       // pending pieces, in order
  std::vector<Splice> splices_;  // pending spans to splice, in order, between the iovecs
  std::vector<Mirror> mirrors_;  // at most kMaxMirrors
  bool pipe_ = false;            // fd_ is a pipe: splice() can write to it
  size_t written_ = 0;
  size_t spliced_ = 0;
  Status status_ = Status::kOk;
  int errno_ = 0;
};

}  // namespace coinone
