// Checkpoints of a followed file: which file, and how far its output has been written.
//
// A file is identified by its device, its inode and a fingerprint of its first bytes (FNV-1a of
// up to kFingerprintBytes), so that an inode the file system hands out again to a new file is not
// taken for the old one. The state file is a few "key=value" lines; save_checkpoint() writes a
// temporary file in the same directory, syncs it and renames it over the old one, so a reader
// (or a restart after a crash) sees either the old state or the new one, never half of each.
//
// Plain values and functions; errors are returned as text, never thrown.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

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
// True when the file open at fd is `saved`: same inode, and the same first
// saved.fingerprint_size bytes.
bool matches(int fd, const FileIdentity& saved);

struct Checkpoint {
  std::string path;       // the followed path, for the reader's information
  FileIdentity identity;  // the file the offset belongs to
  uint64_t offset = 0;    // output for every byte before this one has been written
};

struct LoadedCheckpoint {
  std::optional<Checkpoint> checkpoint;  // empty when there is no state file yet, or on error
  std::string error;                     // why a state file exists but cannot be used
};

LoadedCheckpoint load_checkpoint(const std::string& state_path);
// Writes atomically (temporary file, fsync, rename). Returns an error message, or "" on success.
std::string save_checkpoint(const std::string& state_path, const Checkpoint& checkpoint);

}  // namespace coinone
