// FdWriter: the one buffered writer between the program and its output descriptor.
//
// Bytes are gathered in a large buffer and written with one write() per flush; short writes are
// continued and EINTR is retried. A span larger than the buffer is written straight from the
// caller's memory, so a bulk pass-through costs no extra copy.
//
// Errors are sticky values, not exceptions: after the first failed write every later call is a
// no-op and status() tells what happened. EPIPE is reported as kBrokenPipe so that callers can end
// quietly, like grep or ripgrep piped into `head`. EAGAIN on a non-blocking descriptor waits with
// poll() and tries again.
//
// Not copyable: it owns a buffer and stands for one descriptor. It never closes the descriptor.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace coinone {

class FdWriter {
 public:
  enum class Status { kOk, kBrokenPipe, kError };

  // Default capacity: 256 KiB, large enough that a pipe gets full-size writes.
  static constexpr size_t kDefaultCapacity = 256 * 1024;

  explicit FdWriter(int fd, size_t capacity = kDefaultCapacity);
  ~FdWriter() = default;  // Never flushes: call flush() and look at its result.
  FdWriter(const FdWriter&) = delete;
  FdWriter& operator=(const FdWriter&) = delete;

  // Appends bytes. Returns false once the writer has failed.
  bool write(std::string_view bytes);
  // Writes out everything buffered. Returns false once the writer has failed.
  bool flush();

  bool has_buffered() const { return size_ != 0; }
  Status status() const { return status_; }
  // errno of the failure when status() is kError, else 0.
  int error_number() const { return errno_; }
  // Bytes handed to the kernel so far.
  size_t bytes_written() const { return written_; }

 private:
  bool write_all(const char* data, size_t size);

  int fd_;
  std::vector<char> buffer_;
  size_t size_ = 0;
  size_t written_ = 0;
  Status status_ = Status::kOk;
  int errno_ = 0;
};

}  // namespace coinone
