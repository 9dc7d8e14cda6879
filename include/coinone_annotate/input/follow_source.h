// FollowSource: a Source that follows a file by name, like `tail -F` (coreutils tail.c).
//
// read() returns what the file has; at its end it waits for the file to change instead of
// reporting the end of input. It waits with inotify on the file's directory, so new lines come
// out within milliseconds, and falls back to polling every kPollInterval where inotify is not
// available (some network and FUSE file systems). It handles:
//   - a file that does not exist yet: waited for, then read from its start;
//   - rotation by rename and create (logrotate's default): the old file is read to its end
//     before the new one is opened, from its start. When the name was rotated more than once
//     before the follower got there (a fast writer, a busy machine), the files in between are
//     read too, in order: inotify's rename events say which names the followed name was moved
//     to, and each of those files after the old one is read from its start. Without those
//     events (polling), or when one of those files is gone (compressed, moved to an olddir),
//     the files rotated after the old one are looked up as on a restart (rotated_files.h);
//   - copytruncate: a file shorter than what was read, or whose first bytes changed, is read
//     again from its start, after the lines between the last read and the truncation, which it
//     reads from the copy (rotated_files.h finds it);
//   - a restart with a saved checkpoint: the checkpointed file and every file rotated after it
//     (renamed, dated, compressed, copied, moved to --olddir) are read first, then the live
//     file (rotated_files.h). Files deleted by rotation before the restart are reported;
//   - a path that cannot be read (permissions, a directory, a missing directory, a FIFO or a
//     device: only regular files are followed, opened with O_NONBLOCK so that open never
//     blocks) is reported at once and retried; problem() says why for /healthz.
// Limits that no follower can escape, by design of the rotation schemes:
//   - rename: if the writer keeps writing to the renamed file after the new one appeared and
//     after this follower has read the old one to its end, those late lines are not seen (tail -F
//     has the same race; writers that reopen on SIGHUP right after the rename do not hit it);
//   - copytruncate: lines written between logrotate's copy and its truncate are in neither
//     file this follower reads (they are in the rotated copy), and if the truncated file grows
//     past the old read offset between two checks, truncation is only noticed through the
//     fingerprint of the first 64 bytes.
//
// Stop and checkpoints: read() reports the end of input once SIGTERM or SIGINT has arrived
// (SignalEvents), with whole_lines_only set, so the searcher writes whole lines only, flushes
// and finishes; a SIGHUP makes read() return with
// `wake` set so that the caller can reload its table between lines. checkpoint() records how far
// output has been written, and the state file (state_file.h) is saved at most once a second, and
// at the end. The constructor loads it and saves it once, so that a state that cannot be read or
// written stops the run before anything is read (start_error()).
//
// Not copyable: owns descriptors. One thread.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coinone_annotate/input/checkpoint.h"
#include "coinone_annotate/input/follower.h"
#include "coinone_annotate/input/rotated_files.h"
#include "coinone_annotate/input/source.h"

namespace coinone {

struct FollowOptions {
  std::string path;
  std::string state_path;  // empty: no checkpoints; start at the end of an existing file
  std::string olddir;      // logrotate's olddir, where rotated files go; empty: the log's own
  // -n N: start N lines before the end, when there is no saved checkpoint to resume from.
  std::optional<uint64_t> lines;
  // For FollowSet, which owns one state file for several followers: the checkpoint to resume
  // from is `saved` (state_path only names the file in messages), and this follower neither
  // loads nor saves the state; the owner asks committed() and saves them all.
  bool shared_state = false;
  std::optional<Checkpoint> saved = std::nullopt;
  bool from_start = false;  // without a checkpoint: from the start, not the end (a new file)
  // read() never waits: at the end of the file it returns with `wake` set and idle() true; the
  // owner polls poll_fd() for all its followers together.
  bool nonblocking = false;
};

class FollowSource final : public Follower {
 public:
  static constexpr std::chrono::milliseconds kPollInterval{10};
  static constexpr std::chrono::milliseconds kSaveInterval{1000};
  // After a rename, how long the old file is still watched for a line from a writer that opened
  // it just before the rename, before the follower moves to the new file.
  static constexpr std::chrono::milliseconds kRotationGrace{50};

  explicit FollowSource(FollowOptions options);
  ~FollowSource() override;
  FollowSource(const FollowSource&) = delete;
  FollowSource& operator=(const FollowSource&) = delete;

  ReadResult read(std::span<char> buffer) override;
  const std::string& name() const override { return options_.path; }
  void checkpoint(uint64_t unconsumed) override;

  // Saves the state file now (at exit). Returns an error message, or "".
  std::string save_state() override;
  // Non-empty when the start failed (a state file that is damaged, cannot be written, or whose
  // offset is not at a line start): the caller reports it and ends with status 2.
  const std::string& start_error() const override { return start_error_; }
  // Messages for stderr queued since the last call: how the start resumed, lines lost to
  // rotation, a path that cannot be read. read() returns with `wake` set once when one is queued.
  std::vector<std::string> take_notes() override;
  // Why no file is being read now ("PATH: reason"), or "" while one is: for /healthz.
  const std::string& problem() const override { return problem_; }
  // Losses no follower can avoid, counted for the metrics: rotated files deleted before they
  // were read, and copytruncate rotations (lines between logrotate's copy and its truncate).
  uint64_t deleted_files() const override { return deleted_files_; }
  uint64_t truncations() const override { return truncations_; }

  // With nonblocking: the last read() found the end of the file (nothing to read now).
  bool idle() const { return idle_; }
  // The descriptor that becomes readable when the file may have changed (-1: poll), and how
  // long the owner may wait at most before calling read() again.
  int poll_fd() const { return watch_ >= 0 ? inotify_fd_ : -1; }
  int wait_timeout_ms() const;
  // The position written so far (with shared_state), or false before there is one.
  bool committed(Checkpoint& out);
  // Reading nothing now: at the end of the file, no rotated file left to read.
  bool at_end() const { return idle_ && !backlog_source_ && !rotation_seen_; }

 private:
  bool claim_state(std::optional<Checkpoint>& saved);
  void resume(const std::optional<Checkpoint>& saved);
  void resume_rotated(const Checkpoint& saved);
  void start_from_lines(uint64_t lines);
  bool open_path(bool from_end);
  void close_current();
  void open_backlog(uint64_t skip, bool at_checkpoint);
  bool next_backlog_file();
  bool switch_if_rotated();
  bool rewind_if_truncated();
  void wait_for_change(bool& woken);
  void watch_directory();
  void collect_events();
  bool open_missed_rotation();
  bool open_rotated_since();
  void note(std::string text);
  void set_problem(std::string text);
  void save_if_due();

  FollowOptions options_;
  std::string absolute_path_;  // the name the state file records
  int fd_ = -1;
  FileIdentity identity_;
  uint64_t offset_ = 0;   // bytes of the current file read so far
  int64_t mtime_ns_ = 0;  // of a rotated file being read (the live file's is asked at a save)
  int inotify_fd_ = -1;
  int watch_ = -1;
  // Rotated files to read before the file under the name, and the one being read.
  std::deque<RotatedFile> backlog_;
  std::unique_ptr<Source> backlog_source_;
  bool pending_path_switch_ = false;  // reading a rotated predecessor; the path comes next
  bool rotation_seen_ = false;        // the name moved on; one more read of the old file first
  std::chrono::steady_clock::time_point rotation_seen_at_{};
  // Where the followed name was renamed to (inotify IN_MOVED_FROM/IN_MOVED_TO pairs), in order,
  // until the follower has moved past those files.
  std::deque<std::string> rotated_to_;
  std::optional<uint32_t> moving_cookie_;  // a rename of the followed name whose target is due
  // Checkpoint bookkeeping: committed_ is the last position whose output is written.
  Checkpoint committed_;
  bool have_committed_ = false;
  // Position of the file read before the current one, for bytes of it still unconsumed.
  Checkpoint previous_;
  uint64_t read_since_switch_ = 0;
  Checkpoint saved_;      // what the state file holds
  bool unsaved_ = false;  // committed_ is ahead of saved_
  std::chrono::steady_clock::time_point next_save_{};
  std::string start_error_;
  std::vector<std::string> notes_;
  bool notes_waiting_ = false;  // queued notes not yet announced by a wake
  std::string problem_;
  std::string save_error_;  // the last failed save's message, reported once
  uint64_t deleted_files_ = 0, truncations_ = 0;
  bool idle_ = false;
};

}  // namespace coinone
