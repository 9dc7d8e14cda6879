// Source: where input bytes come from (the input layer's one interface).
//
// A plain file, stdin, a decompressor or a followed file all implement read(); the searcher
// never knows which one it has. Sources know bytes and descriptors, never what a match is.
//
// open_source() opens a path (or "-" for stdin) and reports a failure as a value: the message is
// the reason only ("No such file or directory", "Is a directory"), the caller adds the path.
//
// Not copyable: a source owns its descriptor and closes it in its destructor.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace coinone {

struct ReadResult {
  size_t size = 0;      // bytes read; 0 with no error and no wake means end of input
  int error = 0;        // errno of a failed read, else 0
  std::string message;  // a reason for failures that errno cannot name (corrupt data), else empty
  bool wake = false;    // nothing read yet, but a signal asks the caller to look up (follow mode)
  // With the end of input (size 0): a last line without its terminator is incomplete (a
  // followed file at shutdown), and is left unwritten rather than written as it stands.
  bool whole_lines_only = false;
};

// Where the bytes of a read came from: a regular file's descriptor and the offset of the first
// byte, so that a writer may move them on from the file (splice) instead of copying them. fd is
// -1 when they have no such place (a pipe, a decoder, a followed file, replayed bytes).
struct FileOrigin {
  int fd = -1;
  int64_t offset = 0;
};

class Source {
 public:
  virtual ~Source() = default;
  // Reads up to buffer.size() bytes, retrying EINTR and waiting out EAGAIN.
  virtual ReadResult read(std::span<char> buffer) = 0;
  // The name used in messages: the path, or "(standard input)".
  virtual const std::string& name() const = 0;
  // The output for every byte returned so far, except the last `unconsumed`, has been written.
  // Sources that keep checkpoints (follow mode) record it; others ignore it.
  virtual void checkpoint(uint64_t unconsumed) { (void)unconsumed; }
  // The origin of the bytes the last read() returned. Default: none.
  virtual FileOrigin origin() const { return {}; }
};

// A source reading a descriptor with read(2).
class FdSource final : public Source {
 public:
  // Takes ownership of fd when owns_fd is true.
  FdSource(int fd, std::string name, bool owns_fd);
  ~FdSource() override;
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  ReadResult read(std::span<char> buffer) override;
  const std::string& name() const override { return name_; }
  // For a regular file, the descriptor and the offset of the last read; else none.
  FileOrigin origin() const override;

 private:
  int fd_;
  std::string name_;
  bool owns_fd_;
  int64_t offset_ = -1;  // a regular file's offset after the last read; -1: not a regular file
  int64_t last_read_at_ = 0;
};

struct OpenResult {
  std::unique_ptr<Source> source;  // null on failure
  std::string error;               // the reason, without the path
};

// Opens a path for reading; "-" is standard input. Directories are refused here, with the reason
// "Is a directory", rather than failing later on the first read.
OpenResult open_source(const std::string& path);

// The display name of standard input.
inline constexpr const char* kStdinName = "(standard input)";

}  // namespace coinone
