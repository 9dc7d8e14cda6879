// FollowSource, where to start: the state file, the files rotated while the follower was
// stopped, -n N. The reading and the rotations while running are in follow_source.cpp.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/input/decompress.h"
#include "coinone_annotate/input/follow_source.h"
#include "coinone_annotate/input/state_file.h"

namespace coinone {

namespace {

uint64_t file_size(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// The file was created after `time_ns` (a new file that got a freed inode back), as far as the
// file system keeps birth times; false when it does not.
bool born_after(int fd, int64_t time_ns) {
  struct statx stx {};
  if (::statx(fd, "", AT_EMPTY_PATH, STATX_BTIME, &stx) != 0 || !(stx.stx_mask & STATX_BTIME))
    return false;
  return static_cast<int64_t>(stx.stx_btime.tv_sec) * 1000000000 + stx.stx_btime.tv_nsec > time_ns;
}

// The byte before `offset` is a newline (or offset is 0).
bool at_line_start(int fd, uint64_t offset) {
  char before = '\n';
  return offset == 0 ||
         (sys::pread_exact(fd, &before, 1, static_cast<off_t>(offset - 1)) == 0 && before == '\n');
}

// Reads and drops `count` bytes of source; the last one dropped must be a newline.
bool skip_lines(Source& source, uint64_t count) {
  char buffer[65536];
  char last = '\n';
  while (count > 0) {
    const ReadResult read = source.read({buffer, std::min<uint64_t>(count, sizeof buffer)});
    if (read.size == 0) return false;
    count -= read.size;
    last = buffer[read.size - 1];
  }
  return last == '\n';
}

}  // namespace

// Loads the state, picks this path's checkpoint, and saves the state once: a state that cannot
// be read or written stops the run now, before anything is read, rather than at exit.
bool FollowSource::claim_state(std::optional<Checkpoint>& saved) {
  const LoadedState loaded = load_state(options_.state_path);
  if (!loaded.error.empty()) {
    start_error_ = fmt::format("{}: {}", options_.state_path, loaded.error);
    return false;
  }
  for (const Checkpoint& cp : loaded.checkpoints)
    if (cp.path == absolute_path_) saved = cp;
  if (!saved && !loaded.checkpoints.empty())
    note(fmt::format("{}: recorded for {}, not for {}: not applied, starting afresh",
                     options_.state_path, loaded.checkpoints.front().path, absolute_path_));
  std::vector<Checkpoint> keep;
  if (saved) keep.push_back(*saved);
  if (std::string error = coinone::save_state(options_.state_path, keep); !error.empty()) {
    start_error_ = std::move(error);
    return false;
  }
  if (saved) {
    saved_ = committed_ = *saved;
    have_committed_ = true;
  }
  return true;
}

// Where to start: the saved checkpoint if it still names a file we can find, else the start of
// the file (with a state file: nothing of it has been written yet), else its end (without one,
// like tail -F), or N lines before it (-n N).
void FollowSource::resume(const std::optional<Checkpoint>& saved) {
  if (!saved) {
    if (options_.lines) return start_from_lines(*options_.lines);
    open_path(options_.state_path.empty() && !options_.from_start);
    return;
  }
  if (open_path(false) && matches(fd_, saved->identity) && file_size(fd_) >= saved->offset) {
    if (!at_line_start(fd_, saved->offset)) {
      start_error_ = fmt::format("{}: offset {} of {} is not at a line start: not its state",
                                 options_.state_path, saved->offset, options_.path);
      return;
    }
    ::lseek(fd_, static_cast<off_t>(saved->offset), SEEK_SET);
    offset_ = saved->offset;
    return;
  }
  resume_rotated(*saved);
}

// The checkpointed file is no longer under the name (or was truncated in place): find it and
// what was rotated after it, and read those before the live file.
void FollowSource::resume_rotated(const Checkpoint& saved) {
  const uint64_t live_inode = fd_ >= 0 ? identity_.inode : 0;
  const bool truncated =
      fd_ >= 0 && identity_.same_inode(saved.identity) && !born_after(fd_, saved.mtime_ns);
  close_current();
  Backlog found = find_backlog(absolute_path_, options_.olddir, saved, live_inode);
  if (truncated) {
    ++truncations_;
    note(
        fmt::format("{}: truncated while stopped (copytruncate): lines written between "
                    "logrotate's copy and its truncate are lost",
                    options_.path));
  }
  if (found.found) {
    note(fmt::format("{}: resuming at byte {} of {}, then {} file(s) rotated after it",
                     options_.path, saved.offset, found.files.front().path,
                     found.files.size() - 1));
  } else {
    ++deleted_files_;
    note(
        fmt::format("{}: the checkpointed file (inode {}) is gone, deleted by rotation: its "
                    "lines after byte {} are lost; reading the {} file(s) rotated after it",
                    options_.path, saved.identity.inode, saved.offset, found.files.size()));
  }
  backlog_.assign(found.files.begin(), found.files.end());
  if (backlog_.empty()) {
    open_path(false);
    return;
  }
  open_backlog(found.found ? saved.offset : 0, true);
}

// Opens backlog_.front() and reads from `skip`, which must be at a line start when it comes
// from a checkpoint.
void FollowSource::open_backlog(uint64_t skip, bool at_checkpoint) {
  const RotatedFile file = backlog_.front();
  backlog_.pop_front();
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    note(fmt::format("{}: {}", file.path, std::strerror(errno)));
    if (!next_backlog_file()) open_path(false);
    return;
  }
  identity_ = file.identity;
  mtime_ns_ = file.mtime_ns;
  offset_ = skip;
  read_since_switch_ = 0;
  bool aligned = true;
  if (file.plain) {
    aligned = at_line_start(fd, skip);
    ::lseek(fd, static_cast<off_t>(skip), SEEK_SET);
    backlog_source_ = std::make_unique<FdSource>(fd, file.path, true);
  } else {
    backlog_source_ =
        open_decompressing(std::make_unique<FdSource>(fd, file.path, true), DecodeThread::kNever);
    aligned = skip_lines(*backlog_source_, skip);
  }
  if (at_checkpoint && !aligned)
    start_error_ = fmt::format("{}: offset {} of {} is not at a line start: not its state",
                               options_.state_path, skip, file.path);
}

// After a rotated file is read to its end: the next one. Files rotated meanwhile (the live file
// too, while we caught up) are looked up again from the one just finished. False when the live
// file comes next.
bool FollowSource::next_backlog_file() {
  if (backlog_.empty() && identity_.inode != 0) {
    const Checkpoint finished{absolute_path_, identity_, offset_, mtime_ns_};
    const auto live = ::open(options_.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    const auto live_id = live >= 0 ? identify(live) : std::nullopt;
    if (live >= 0) ::close(live);
    Backlog again =
        find_backlog(absolute_path_, options_.olddir, finished, live_id ? live_id->inode : 0);
    if (again.found) backlog_.assign(again.files.begin() + 1, again.files.end());
  }
  if (backlog_.empty()) return false;
  open_backlog(0, false);
  return true;
}

// -n N: N lines before the end, like tail -n N -F (a last line without its newline counts).
void FollowSource::start_from_lines(uint64_t lines) {
  if (!open_path(true) || lines == 0) return;
  char buffer[65536];
  uint64_t at = offset_, newlines = 0;
  bool last_byte = true;
  while (at > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(at, sizeof buffer));
    at -= want;
    if (sys::pread_exact(fd_, buffer, want, static_cast<off_t>(at)) != 0) break;
    for (size_t i = want; i-- > 0;) {
      if (buffer[i] != '\n' || std::exchange(last_byte, false)) {
        last_byte = false;
        continue;
      }
      if (++newlines == lines) {
        offset_ = at + i + 1;
        ::lseek(fd_, static_cast<off_t>(offset_), SEEK_SET);
        return;
      }
    }
  }
  offset_ = 0;  // fewer lines than that: all of them
  ::lseek(fd_, 0, SEEK_SET);
}

}  // namespace coinone
