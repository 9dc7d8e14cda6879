// FollowSet: follows several files and globs in one follower (-F with several paths).
//
// Each file is followed by a FollowSource of its own (rotation, truncation, resume: all as for
// one file), run without blocking; FollowSet waits for all of them together with one poll(2) on
// their inotify descriptors, the signal wake-up descriptor and its own watch of each glob's
// directory. Contract:
//   - whole lines only: each file's bytes are kept apart until a newline ends them, so a line is
//     never interleaved with another file's. A line longer than kMaxPending is passed on in
//     pieces, and then only that file is read until its newline (a writer that never ends its
//     line holds the others back: bounded memory comes first);
//   - with_filename (-H): each line starts with "FILE:", FILE as given or as the glob matched it
//     (grep's form); the prefix is not counted in checkpoints;
//   - globs (patterns with * ? or [) are expanded with glob(3) at start, when their directory
//     changes, and every kRescanInterval. A file that matches later (a new bot) is read from its
//     start; a matched file that has been gone for kLetGo and is read to its end is let go and
//     its checkpoint dropped. Files named without a glob are waited for, like tail -F;
//   - one state file holds every file's checkpoint (state_file.h, keyed by absolute path),
//     saved at most once a second and at the end. A checkpoint of a file no longer followed is
//     dropped, with a note.
// Each FollowSource has its own inotify instance: past fs.inotify.max_user_instances (128 by
// default) the rest fall back to polling every 10 ms.
//
// Not copyable. One thread.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coinone_annotate/input/follow_source.h"
#include "coinone_annotate/input/follower.h"

namespace coinone {

struct FollowSetOptions {
  std::vector<std::string> patterns;  // files and globs, in command-line order
  std::string state_path;             // empty: no checkpoints
  std::string olddir;
  std::optional<uint64_t> lines;  // -n N, for the files found at start
  bool with_filename = false;     // -H
};

class FollowSet final : public Follower {
 public:
  static constexpr size_t kMaxPending = 64 * 1024;
  static constexpr std::chrono::milliseconds kRescanInterval{1000};
  static constexpr std::chrono::milliseconds kLetGo{1000};
  static constexpr std::chrono::milliseconds kSaveInterval{1000};
  // Files named in the metrics' `file` label; the lines of further files count as "(other)", so
  // that a glob over many short-lived files cannot grow the metrics without bound.
  static constexpr size_t kMaxFileLabels = 32;

  explicit FollowSet(FollowSetOptions options);
  ~FollowSet() override;
  FollowSet(const FollowSet&) = delete;
  FollowSet& operator=(const FollowSet&) = delete;

  ReadResult read(std::span<char> buffer) override;
  const std::string& name() const override { return name_; }
  void checkpoint(uint64_t unconsumed) override;
  std::string save_state() override;
  const std::string& start_error() const override { return start_error_; }
  std::vector<std::string> take_notes() override;
  const std::string& problem() const override { return problem_; }
  uint64_t deleted_files() const override;
  uint64_t truncations() const override;
  // The files followed now, as displayed (tests, metrics).
  std::vector<std::string> files() const;
  std::vector<std::pair<std::string, uint64_t>> lines_by_file() const override;

 private:
  struct Member {
    std::string display;   // as given or as the glob matched it
    std::string absolute;  // the state file's key
    bool from_glob = false;
    std::unique_ptr<FollowSource> source;
    std::string pending;    // read, not passed on yet: no newline after it so far
    bool mid_line = false;  // a piece of a long line went out; no prefix before the rest
    bool ready = true;      // may have something to read
    std::optional<std::chrono::steady_clock::time_point> missing_since;
    uint64_t* lines = nullptr;  // its count in lines_by_file_
  };
  // Bytes handed out by one read(): from one member, with the output offsets of line starts
  // (where a prefix sits) to map unconsumed bytes back to the file's bytes.
  struct Chunk {
    Member* member = nullptr;
    uint64_t size = 0;
    std::vector<uint32_t> starts;
  };

  void add(const std::string& display, bool from_glob, bool at_start,
           const std::vector<Checkpoint>& saved);
  void rescan(bool at_start, const std::vector<Checkpoint>& saved);
  void let_go_of_deleted();
  bool emit(Member& member, std::span<char> buffer, ReadResult& out);
  int fill(Member& member, ReadResult& out);
  void wait();
  void collect(Member& member);
  void save_if_due();

  FollowSetOptions options_;
  std::string name_;
  std::vector<std::unique_ptr<Member>> members_;
  size_t next_ = 0;           // round robin: the member served first next time
  Member* sticky_ = nullptr;  // in the middle of a long line: served alone
  std::deque<Chunk> chunks_;
  int inotify_fd_ = -1;  // the globs' directories
  std::chrono::steady_clock::time_point next_scan_{}, next_save_{};
  bool unsaved_ = false;
  std::string start_error_, problem_, save_error_;
  std::vector<std::string> notes_;
  bool notes_waiting_ = false;
  std::map<std::string, uint64_t> lines_by_file_;     // at most kMaxFileLabels + 1 names
  uint64_t gone_deleted_ = 0, gone_truncations_ = 0;  // of members let go
};

// True when a --follow argument is a glob pattern (has *, ? or [).
bool is_glob(const std::string& pattern);

}  // namespace coinone
