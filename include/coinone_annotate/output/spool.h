// Spool: an anonymous temporary file that holds the start of a line too long for memory.
//
// With --only-errors a line longer than the line buffer cannot be printed before its end shows
// whether it carries an error, and it cannot be held in memory either. Its pieces go to an
// unnamed file (O_TMPFILE in $TMPDIR, else /tmp); where no file system is writable (a container
// with a read-only root and no /tmp volume) a memfd takes its place, which costs memory only
// while such a line is being read. Nothing is left on disk, whatever happens to the process.
//
// When the file cannot grow (ENOSPC, EDQUOT, EFBIG, EIO on write: a small /tmp), what it holds
// is moved to a memfd and the line goes on there; take_note() then says so, once per spool. The
// next line tries the file again. Only when memory fails too does append() return false: the
// spool still holds, and copy_to() still gives back, everything appended before.
//
// Errors are values: append() and copy_to() return false and error() says why; the reason is
// the failing call's errno, EIO when a read or write moved nothing (never a stale errno). All
// calls go through the syscall seam (syscalls.h). Not copyable.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "coinone_annotate/output/fd_writer.h"

namespace coinone {

// An unnamed temporary file (O_TMPFILE in $TMPDIR, else /tmp), or -1 with errno.
int open_temporary_file();
// An unnamed file in memory (memfd), or -1 with errno.
int open_memory_file();

class Spool {
 public:
  Spool() = default;
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Keeps bytes after those appended before. False when neither the file nor memory can take
  // them: nothing of `bytes` is kept, error() says why, and the spool keeps what it held.
  bool append(std::string_view bytes);
  // Writes everything appended to out, then empties the spool. False when the spool cannot be
  // read back (error() says why): the bytes not yet written are lost.
  bool copy_to(FdWriter& out);
  // Forgets what was appended, and a failed append's error.
  void clear();
  const std::string& error() const { return error_; }
  // A note for the user on how the spool got by (moved to memory), or ""; cleared by the call.
  std::string take_note() { return std::exchange(note_, {}); }

 private:
  bool open();
  bool move_to_memory();

  int fd_ = -1;
  bool in_memory_ = false;  // fd_ is the memfd taken after the file failed
  bool noted_ = false;      // the move to memory was reported
  uint64_t size_ = 0;
  std::string error_;
  std::string note_;
};

}  // namespace coinone
