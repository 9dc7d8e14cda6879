#include "coinone_annotate/input/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "coinone_annotate/base/syscalls.h"

namespace coinone {

namespace {

uint64_t fnv1a(const char* data, size_t size) {
  uint64_t hash = 1469598103934665603ull;
  for (size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 1099511628211ull;
  }
  return hash;
}

// Hash of the first `size` bytes of the file, or nullopt when it has fewer.
std::optional<uint64_t> prefix_hash(int fd, size_t size) {
  char buffer[FileIdentity::kFingerprintBytes];
  if (size > sizeof buffer || sys::pread_exact(fd, buffer, size, 0) != 0) return std::nullopt;
  return fnv1a(buffer, size);
}

}  // namespace

std::optional<FileIdentity> identify(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  FileIdentity id;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  const auto size = static_cast<uint64_t>(st.st_size < 0 ? 0 : st.st_size);
  id.fingerprint_size =
      static_cast<uint32_t>(std::min<uint64_t>(size, FileIdentity::kFingerprintBytes));
  id.fingerprint = prefix_hash(fd, id.fingerprint_size).value_or(0);
  return id;
}

bool matches(int fd, const FileIdentity& saved) {
  const auto now = identify(fd);
  if (!now || !now->same_inode(saved)) return false;
  const auto hash = prefix_hash(fd, saved.fingerprint_size);
  return hash && *hash == saved.fingerprint;
}

uint64_t fingerprint_of(std::string_view bytes) { return fnv1a(bytes.data(), bytes.size()); }

int64_t mtime_of(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

}  // namespace coinone
