// Follower: what the caller of follow mode needs beyond Source, shared by FollowSource (one
// file) and FollowSet (several files and globs), so that the wiring handles both alike.
//
// Not copyable. One thread.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "coinone_annotate/input/source.h"

namespace coinone {

class Follower : public Source {
 public:
  // Saves the state file now (at exit). Returns an error message, or "".
  virtual std::string save_state() = 0;
  // Non-empty when the start failed (state file damaged, unwritable, not at a line start): the
  // caller reports it and ends with status 2.
  virtual const std::string& start_error() const = 0;
  // Messages for stderr queued since the last call.
  virtual std::vector<std::string> take_notes() = 0;
  // Why a followed file cannot be read now ("PATH: reason"), or "": for /healthz.
  virtual const std::string& problem() const = 0;
  // Losses no follower can avoid (rotated files deleted unread, copytruncate rotations).
  virtual uint64_t deleted_files() const = 0;
  virtual uint64_t truncations() const = 0;
  // Lines passed on per file, for the metrics' `file` label: (name, total) pairs, at most a
  // bounded number of names (FollowSet::kMaxFileLabels) plus "(other)". Empty for one file.
  virtual std::vector<std::pair<std::string, uint64_t>> lines_by_file() const { return {}; }
};

}  // namespace coinone
