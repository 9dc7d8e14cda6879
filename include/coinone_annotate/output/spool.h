// Spool: an anonymous temporary file that holds the start of a line too long for memory.
//
// With --only-errors a line longer than the line buffer cannot be printed before its end shows
// whether it carries an error, and it cannot be held in memory either. Its pieces go to an
// unnamed file (O_TMPFILE in $TMPDIR, else /tmp); where no file system is writable (a container
// with a read-only root and no /tmp volume) a memfd takes its place, which costs memory only
// while such a line is being read. Nothing is left on disk, whatever happens to the process.
//
// Errors are values: append() and copy_to() return false and error() says why. Not copyable.
#pragma once
#include <string>
#include <string_view>

#include "coinone_annotate/output/fd_writer.h"

namespace coinone {

class Spool {
 public:
  Spool() = default;
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  bool append(std::string_view bytes);
  // Writes everything appended to out, then empties the spool.
  bool copy_to(FdWriter& out);
  void clear();
  const std::string& error() const { return error_; }

 private:
  bool open();

  int fd_ = -1;
  uint64_t size_ = 0;
  std::string error_;
};

}  // namespace coinone
