// Checkpoints of a followed file: which file, and how far its output has been written.
//
// A file is identified by its device, its inode and a fingerprint of its first bytes (FNV-1a of
// up to kFingerprintBytes), so that an inode the file system hands out again to a new file is not
// taken for the old one. The state file that keeps checkpoints is state_file.h.
//
// Plain values and functions; errors are returned as text, never thrown.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coinone {

struct FileIdentity {
  static constexpr size_t kFingerprintBytes = 64;

  uint64_t device = 0;
  uint64_t inode = 0;
  uint32_t fingerprint_size = 0;  // bytes hashed: fewer than kFingerprintBytes for a short file
  uint64_t fingerprint = 0;

  // Same device and inode.
  bool same_inode(const FileIdentity& other) const {
    return device == other.device && inode == other.inode;
  }
};

// The identity of an open file, hashing its first bytes with pread (the offset is not moved).
// nullopt when fstat fails.
std::optional<FileIdentity> identify(int fd);
// The fingerprint of these bytes (FNV-1a), as identify() computes it over a file's first bytes.
uint64_t fingerprint_of(std::string_view bytes);
// The file's modification time in nanoseconds, 0 when fstat fails.
int64_t mtime_of(int fd);
// True when the file open at fd is `saved`: same inode, and the same first
// saved.fingerprint_size bytes.
bool matches(int fd, const FileIdentity& saved);

struct Checkpoint {
  std::string path;       // the followed path: a state recorded for another path is not applied
  FileIdentity identity;  // the file the offset belongs to
  uint64_t offset = 0;    // output for every byte before this one has been written
  int64_t mtime_ns = 0;   // the file's modification time when the checkpoint was taken
};

}  // namespace coinone
