#include "coinone_annotate/output/spool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace coinone {

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
}

bool Spool::open() {
  const char* dir = std::getenv("TMPDIR");
  fd_ =
      ::open(dir != nullptr && dir[0] != '\0' ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) fd_ = ::memfd_create("coinone-annotate-spool", MFD_CLOEXEC);
  if (fd_ < 0)
    error_ = fmt::format("cannot keep a long line in a temporary file: {}", std::strerror(errno));
  return fd_ >= 0;
}

bool Spool::append(std::string_view bytes) {
  if (!error_.empty() || (fd_ < 0 && !open())) return false;
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(size_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = fmt::format("cannot keep a long line in a temporary file: {}", std::strerror(errno));
      return false;
    }
    size_ += static_cast<uint64_t>(n);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool Spool::copy_to(FdWriter& out) {
  if (!error_.empty()) return false;
  char chunk[64 * 1024];
  for (uint64_t at = 0; at < size_;) {
    const ssize_t n = ::pread(fd_, chunk, sizeof chunk, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = fmt::format("cannot read back a long line: {}", std::strerror(errno));
      return false;
    }
    out.write({chunk, static_cast<size_t>(n)});  // copied: chunk is reused
    at += static_cast<uint64_t>(n);
  }
  clear();
  return true;
}

void Spool::clear() {
  size_ = 0;
  if (fd_ >= 0 && ::ftruncate(fd_, 0) != 0)
    error_ = fmt::format("cannot empty a temporary file: {}", std::strerror(errno));
}

}  // namespace coinone
