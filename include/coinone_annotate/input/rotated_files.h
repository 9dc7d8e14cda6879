// Rotated files: where a checkpointed file went while the follower was not looking.
//
// When the follower restarts (or finds its file truncated), the file its checkpoint names may
// have been renamed (`create`), compressed (`compress`, also in the same step without
// `delaycompress`), renamed to a dated name (`dateext`), copied (`copytruncate`), moved to an
// `olddir`, or deleted (`rotate N`). find_backlog() looks at the files of the log's directory,
// and of an olddir when one is given, whose names look like logrotate's names for the log
// (`bot.log.1`, `bot.log.2.gz`, `bot.log-20261128`, `bot.log-20261128-1764322928.zst`), and:
//   - finds the checkpointed file by device and inode and its first bytes (a plain rotated
//     file), else by the fingerprint of its first bytes alone, read through the decompressor
//     for gzip and zstd files (a compressed file, a copytruncate copy);
//   - returns it and every rotated file after it, in rotation order: modification time (which
//     logrotate keeps when it compresses), then logrotate's number (higher is older), then the
//     name (dateext dates sort as text).
// When the checkpointed file is not found, it was deleted: the result says so and holds the
// rotated files modified after the checkpoint was taken, so that only what was deleted is lost.
//
// Limits: a checkpoint taken while the file was still empty has no fingerprint; a rotated copy
// is then found by inode only. Two rotated files whose first 64 bytes are equal (a banner line
// longer than that) are told apart by modification time only.
//
// Plain functions; no state. Reads directory entries and the first bytes of candidate files.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "coinone_annotate/input/checkpoint.h"

namespace coinone {

struct RotatedFile {
  std::string path;
  FileIdentity identity;  // on-disk device and inode, fingerprint of the (decompressed) content
  int64_t mtime_ns = 0;
  bool plain = true;  // not compressed (no magic of decompress.h): may be read with plain reads
};

struct Backlog {
  bool found = false;  // the checkpointed file is files.front()
  // To read before the file under the followed name: with found, the checkpointed file (from
  // the checkpoint's offset), then the files rotated after it, from their starts.
  std::vector<RotatedFile> files;
};

// `exclude_inode`: the file now under the followed name (never part of the backlog), 0 for
// none. `olddir` may be empty.
Backlog find_backlog(const std::string& path, const std::string& olddir, const Checkpoint& saved,
                     uint64_t exclude_inode);

// True when `name` (a file name, no directory) looks like a name logrotate gives `base` when it
// rotates it: base, then ".N" or a date ("-20261128", ".2026-11-28", "-20261128-1764322928"),
// then optionally a compression suffix.
bool looks_rotated(std::string_view base, std::string_view name);

// The directory part of path ("." when there is none).
std::string directory_of(const std::string& path);

}  // namespace coinone
