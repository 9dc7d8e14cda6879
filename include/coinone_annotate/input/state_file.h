// The state file: the checkpoints of followed files, kept across restarts (--state).
//
// Format (version 2), text, one "key=value" a line:
//
//   coinone-annotate state 2
//   file=/var/log/bot/bot.log        starts a checkpoint; '%', CR and LF are %-escaped
//   device=2049
//   inode=131090
//   fingerprint_size=64
//   fingerprint=1469598103934665603
//   offset=48213                     always at a line start
//   mtime_ns=1764322928123456789
//   checksum=0123456789abcdef        FNV-1a of every byte before this line, in hex
//
// A file holds any number of checkpoints (none, before the first one is taken), one per followed
// file. It is at most kMaxStateBytes long.
//
// save_state() writes a temporary file next to it, syncs it and renames it over the old one, so
// a reader (or a restart after a crash) sees the old state or the new one, never half of each.
// It refuses a state path that is a directory or a symbolic link (a rename would replace the
// link with a regular file, and the state would silently stop going where the link points).
//
// load_state() rejects, with a reason and never a guess: a file that is not a regular file, too
// large, unreadable (EIO, a short read), without the header, of another version, with a wrong
// checksum (torn, edited, or garbage), or with a line it does not understand. The caller ends the
// run with status 2 (README, "The guarantee").
//
// Plain functions; errors are returned as text, never thrown. System calls go through the seam.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "coinone_annotate/input/checkpoint.h"

namespace coinone {

inline constexpr size_t kMaxStateBytes = 1 << 20;

struct LoadedState {
  bool exists = false;                  // a state file was there
  std::vector<Checkpoint> checkpoints;  // empty on error
  std::string error;                    // why the file cannot be used: the run must stop
};

LoadedState load_state(const std::string& state_path);

// Writes atomically. Returns "PATH: reason" on failure, or "" on success.
std::string save_state(const std::string& state_path, std::span<const Checkpoint> checkpoints);

// The text save_state() writes (exposed for tests that damage it).
std::string format_state(std::span<const Checkpoint> checkpoints);

}  // namespace coinone
