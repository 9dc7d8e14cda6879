#include "coinone_annotate/output/spool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "coinone_annotate/base/syscalls.h"

namespace coinone {

int open_temporary_file() {
  const char* dir = std::getenv("TMPDIR");
  return ::open(dir != nullptr && dir[0] != '\0' ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC,
                0600);
}

int open_memory_file() { return ::memfd_create("coinone-annotate-spool", MFD_CLOEXEC); }

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
}

bool Spool::open() {
  fd_ = open_temporary_file();
  if (fd_ < 0) {  // no writable temporary directory: memory from the start
    fd_ = open_memory_file();
    in_memory_ = true;
  }
  if (fd_ < 0)
    error_ = fmt::format("cannot keep a long line in a temporary file: {}", std::strerror(errno));
  return fd_ >= 0;
}

bool Spool::append(std::string_view bytes) {
  if (fd_ < 0 && !open()) return false;
  int error = sys::pwrite_all(fd_, bytes.data(), bytes.size(), static_cast<off_t>(size_));
  // The file is full or failing: go on in memory. A partial write past size_ is overwritten.
  if (error != 0 && !in_memory_ && move_to_memory()) {
    const int file_error = error;
    error = sys::pwrite_all(fd_, bytes.data(), bytes.size(), static_cast<off_t>(size_));
    if (error == 0 && !noted_) {
      noted_ = true;
      note_ = fmt::format("the temporary file for a long line failed ({}): kept in memory instead",
                          std::strerror(file_error));
    }
  }
  if (error != 0) {
    if (error_.empty())
      error_ = fmt::format("cannot keep a long line in a temporary file or in memory: {}",
                           std::strerror(error));
    return false;
  }
  size_ += bytes.size();
  return true;
}

// Copies what the file holds into a fresh memfd, which replaces the file.
bool Spool::move_to_memory() {
  const int memory = open_memory_file();
  if (memory < 0) return false;
  char chunk[64 * 1024];
  for (uint64_t at = 0; at < size_;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(sizeof chunk, size_ - at));
    const off_t offset = static_cast<off_t>(at);
    if (sys::pread_exact(fd_, chunk, n, offset) != 0 ||
        sys::pwrite_all(memory, chunk, n, offset) != 0) {
      ::close(memory);
      return false;
    }
    at += n;
  }
  ::close(fd_);
  fd_ = memory;
  in_memory_ = true;
  return true;
}

bool Spool::copy_to(FdWriter& out) {
  char chunk[64 * 1024];
  for (uint64_t at = 0; at < size_;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(sizeof chunk, size_ - at));
    if (const int error = sys::pread_exact(fd_, chunk, n, static_cast<off_t>(at)); error != 0) {
      error_ = fmt::format("cannot read back a long line: {}", std::strerror(error));
      return false;
    }
    out.write({chunk, n});  // copied: chunk is reused
    at += n;
  }
  clear();
  return true;
}

void Spool::clear() {
  size_ = 0;
  error_.clear();
  if (fd_ < 0) return;
  if (in_memory_) {  // the next line tries the file again: memory is the last resort
    ::close(fd_);
    fd_ = -1;
    in_memory_ = false;
  } else if (::ftruncate(fd_, 0) != 0) {
    ::close(fd_);  // a file that cannot be emptied is not reused
    fd_ = -1;
  }
}

}  // namespace coinone
