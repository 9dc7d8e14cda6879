#include "coinone_annotate/input/follow_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "coinone_annotate/base/signals.h"
#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/input/rotated_files.h"
#include "coinone_annotate/input/state_file.h"

namespace coinone {

namespace {

// Renames remembered at most: a follower this far behind has lost more than these anyway.
constexpr size_t kMaxRotations = 64;

// Identity of what the path names now, without opening it; nullopt when it does not exist.
std::optional<FileIdentity> stat_path(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  FileIdentity id;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  return id;
}

uint64_t file_size(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

std::string absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[4096];
  if (::getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

}  // namespace

FollowSource::FollowSource(FollowOptions options)
    : options_(std::move(options)), absolute_path_(absolute(options_.path)) {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  watch_directory();
  std::optional<Checkpoint> saved;
  if (options_.shared_state) {
    saved = options_.saved;
    if (saved) {
      saved_ = committed_ = *saved;
      have_committed_ = true;
    }
  } else if (!options_.state_path.empty() && !claim_state(saved)) {
    return;
  }
  resume(saved);
}

FollowSource::~FollowSource() {
  close_current();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

// The directory is watched rather than the file: it reports writes to the file and also the
// creation of a new file under the followed name after a rotation. Without a watch (no inotify
// here, or the directory is missing: tried again at each wait) the file is polled.
void FollowSource::watch_directory() {
  if (inotify_fd_ < 0 || watch_ >= 0) return;
  watch_ = ::inotify_add_watch(
      inotify_fd_, directory_of(options_.path).c_str(),
      IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB | IN_CLOSE_WRITE);
}

// Opens the followed path, a regular file only. O_NONBLOCK: a FIFO without a writer would
// block open() (and SIGTERM with it); regular files ignore the flag. A failure is reported once
// per reason and retried by the caller.
bool FollowSource::open_path(bool from_end) {
  const int fd = ::open(options_.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    struct stat dir {};
    if (error != ENOENT)
      set_problem(fmt::format("{}: {}", options_.path, std::strerror(error)));
    else if (::stat(directory_of(options_.path).c_str(), &dir) != 0)
      set_problem(fmt::format("{}: {} (its directory)", options_.path, std::strerror(errno)));
    else
      set_problem({});  // not created yet: waited for, like tail -F
    return false;
  }
  struct stat st {};
  const bool stat_ok = ::fstat(fd, &st) == 0;
  if (!stat_ok || !S_ISREG(st.st_mode)) {
    ::close(fd);
    set_problem(fmt::format("{}: {}", options_.path,
                            !stat_ok              ? std::strerror(errno)
                            : S_ISDIR(st.st_mode) ? "Is a directory"
                                                  : "not a regular file"));
    return false;
  }
  set_problem({});
  fd_ = fd;
  identity_ = identify(fd_).value_or(FileIdentity{});
  offset_ = from_end ? file_size(fd_) : 0;
  read_since_switch_ = 0;
  ::lseek(fd_, static_cast<off_t>(offset_), SEEK_SET);
  return true;
}

void FollowSource::note(std::string text) {
  notes_.push_back(std::move(text));
  notes_waiting_ = true;
}

void FollowSource::set_problem(std::string text) {
  if (text == problem_) return;
  if (!text.empty()) note(text);
  notes_waiting_ = true;  // the caller looks at problem() for /healthz
  problem_ = std::move(text);
}

std::vector<std::string> FollowSource::take_notes() {
  notes_waiting_ = false;
  return std::exchange(notes_, {});
}

void FollowSource::close_current() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

ReadResult FollowSource::read(std::span<char> buffer) {
  idle_ = false;
  for (;;) {
    if (notes_waiting_) {  // the caller prints them (and sets /healthz) before reading on
      notes_waiting_ = false;
      return {0, 0, {}, true};
    }
    if (SignalEvents::stop_requested()) return {0, 0, {}, false, true};  // end, whole lines
    if (backlog_source_) {
      ReadResult got = backlog_source_->read(buffer);
      if (got.size > 0) {
        offset_ += got.size;
        read_since_switch_ += got.size;
        return got;
      }
      if (got.error != 0 || !got.message.empty()) {
        note(fmt::format("{}: {}", backlog_source_->name(),
                         got.message.empty() ? std::strerror(got.error) : got.message));
      }
      previous_ = Checkpoint{absolute_path_, identity_, offset_, mtime_ns_};
      backlog_source_.reset();
      if (!next_backlog_file()) open_path(false);
      read_since_switch_ = 0;
      continue;
    }
    if (fd_ < 0) {
      bool woken = false;
      if (!open_path(false)) wait_for_change(woken);
      if (woken || (options_.nonblocking && fd_ < 0)) {
        idle_ = !woken;
        return {0, 0, {}, true};
      }
      continue;  // opened: first announce a problem that went away, at the top
    }
    const ssize_t n = sys::read(fd_, buffer.data(), buffer.size());
    if (n > 0) {
      offset_ += static_cast<uint64_t>(n);
      read_since_switch_ += static_cast<uint64_t>(n);
      if (identity_.fingerprint_size < FileIdentity::kFingerprintBytes)
        identity_ = identify(fd_).value_or(identity_);  // the first bytes just arrived
      return {static_cast<size_t>(n), 0, {}};
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return {0, errno, {}};
    // At the end of what the file has now.
    if (switch_if_rotated() || rewind_if_truncated()) continue;
    bool woken = false;
    wait_for_change(woken);
    if (woken || options_.nonblocking) {
      idle_ = !woken;
      return {0, 0, {}, true};
    }
  }
}

// The name now refers to another file. Lines may have been appended to the old one between the
// read that found its end and the rename, so the first time the rename is seen the old file is
// read again; only when that read too finds its end does the follower move to the new file,
// from its start.
bool FollowSource::switch_if_rotated() {
  const auto now = stat_path(options_.path);
  if (!now) return false;  // renamed away, the new file is not there yet: keep the old one
  if (now->same_inode(identity_) && !pending_path_switch_) return false;
  const auto now_time = std::chrono::steady_clock::now();
  if (!rotation_seen_) {
    rotation_seen_ = true;
    rotation_seen_at_ = now_time;
    return true;  // read the old file once more
  }
  // A writer that opened the old name just before the rename writes its line a moment later:
  // the old file stays open for kRotationGrace (wait_for_change wakes up for it).
  if (now_time - rotation_seen_at_ < kRotationGrace) return false;
  rotation_seen_ = false;
  previous_ = Checkpoint{absolute_path_, identity_, offset_, mtime_of(fd_)};
  read_since_switch_ = 0;
  pending_path_switch_ = false;
  if (open_missed_rotation()) return true;
  close_current();
  open_path(false);
  return true;
}

// The same without inotify's renames (polling, or the file moved to --olddir): the files rotated
// after the one just finished, found by rotated_files.h in rotation order. False when there is
// none and the file under the name comes next.
bool FollowSource::open_rotated_since() {
  const auto live = stat_path(options_.path);
  const Checkpoint finished{absolute_path_, identity_, offset_, mtime_of(fd_)};
  Backlog since = find_backlog(absolute_path_, options_.olddir, finished, live ? live->inode : 0);
  if (!since.found || since.files.size() < 2) return false;
  close_current();
  backlog_.assign(since.files.begin() + 1, since.files.end());
  open_backlog(0, false);
  return true;
}

// copytruncate: the file is shorter than what was read, or its first bytes are not the ones
// read (truncated and refilled past our offset before we looked). The lines between our offset
// and the truncation are in logrotate's copy: found by fingerprint, read first, from our offset.
bool FollowSource::rewind_if_truncated() {
  const uint64_t size = file_size(fd_);
  const bool shorter = size < offset_;
  const bool rewritten = !shorter && identity_.fingerprint_size > 0 && !matches(fd_, identity_);
  if (!shorter && !rewritten) return false;
  ++truncations_;
  previous_ = Checkpoint{absolute_path_, identity_, offset_, 0};
  read_since_switch_ = 0;
  // Any size: a copy that ends before our offset (we read lines written after the copy) has
  // nothing left for us, and reading it from our offset finds its end at once.
  const Checkpoint copied{absolute_path_, identity_, 0, 0};
  Backlog copy = find_backlog(absolute_path_, options_.olddir, copied, identity_.inode);
  if (copy.found && identity_.fingerprint_size > 0) {
    note(
        fmt::format("{}: truncated (copytruncate): reading the rest from {}; lines written "
                    "between logrotate's copy and its truncate are lost",
                    options_.path, copy.files.front().path));
    close_current();
    backlog_.assign(copy.files.begin(), copy.files.begin() + 1);
    open_backlog(offset_, false);  // mid-line, where reading stopped; then the live file
    return true;
  }
  note(
      fmt::format("{}: truncated (copytruncate) and no copy found: lines after byte {} that "
                  "were not read yet are lost",
                  options_.path, offset_));
  ::lseek(fd_, 0, SEEK_SET);
  offset_ = 0;
  identity_ = identify(fd_).value_or(identity_);
  return true;
}

int FollowSource::wait_timeout_ms() const {
  // With inotify, events wake us and the timeout only re-checks for what inotify cannot see
  // (a file replaced on another host of a network file system); without it, we poll. A
  // checkpoint waiting for its second is saved when the second is over.
  int timeout = watch_ >= 0 ? 1000 : static_cast<int>(kPollInterval.count());
  if (rotation_seen_) {
    const auto due = std::chrono::duration_cast<std::chrono::milliseconds>(
        rotation_seen_at_ + kRotationGrace - std::chrono::steady_clock::now());
    timeout = std::clamp(static_cast<int>(due.count()) + 1, 0, timeout);
  }
  if (unsaved_ && !options_.shared_state) {
    const auto due = std::chrono::duration_cast<std::chrono::milliseconds>(
        next_save_ - std::chrono::steady_clock::now());
    timeout = std::clamp(static_cast<int>(due.count()) + 1, 0, timeout);
  }
  return timeout;
}

void FollowSource::wait_for_change(bool& woken) {
  pollfd fds[2] = {{SignalEvents::wake_fd(), POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
  watch_directory();
  const nfds_t count = watch_ >= 0 ? 2 : 1;
  // Nonblocking: the owner has waited already; this only collects what is there.
  const int timeout = options_.nonblocking ? 0 : wait_timeout_ms();
  const int ready = sys::poll(fds, count, timeout);
  save_if_due();
  if (ready <= 0) return;
  if (fds[0].revents != 0) {
    SignalEvents::drain();
    woken = true;
  }
  if (count == 2 && fds[1].revents != 0) collect_events();
}

// Reads the queued inotify events. Most only say "look again", which the caller does anyway;
// renames of the followed name are kept, to find files rotated past while we were behind.
void FollowSource::collect_events() {
  if (inotify_fd_ < 0) return;
  const std::string base = options_.path.substr(options_.path.rfind('/') + 1);
  alignas(inotify_event) char events[4096];
  ssize_t n;
  while ((n = sys::read(inotify_fd_, events, sizeof events)) > 0) {
    for (const char* at = events; at < events + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(at);
      at += sizeof(inotify_event) + event->len;
      const std::string_view name = event->len > 0 ? std::string_view(event->name) : "";
      if ((event->mask & IN_MOVED_FROM) != 0 && name == base) {
        moving_cookie_ = event->cookie;
      } else if ((event->mask & IN_MOVED_TO) != 0 && moving_cookie_ == event->cookie) {
        moving_cookie_.reset();
        if (rotated_to_.size() == kMaxRotations) rotated_to_.pop_front();
        rotated_to_.push_back(directory_of(options_.path) + "/" + std::string(name));
      }
    }
  }
}

// After the file being read was rotated away: if the name was rotated again before we got
// here, the files in between still sit under the names they were rotated to. Opens the first of
// them (from its start) and returns true; false when there is none and the file under the name
// comes next. The old file is found among the rotated names by inode.
bool FollowSource::open_missed_rotation() {
  collect_events();
  const auto old =
      std::find_if(rotated_to_.begin(), rotated_to_.end(), [&](const std::string& name) {
        const auto id = stat_path(name);
        return id && id->same_inode(identity_);
      });
  if (old == rotated_to_.end()) {
    rotated_to_.clear();  // no rename seen (polling), or out of the directory: look around
    return open_rotated_since();
  }
  rotated_to_.erase(rotated_to_.begin(), old + 1);
  const auto current = stat_path(options_.path);
  bool vanished = false;
  while (!rotated_to_.empty()) {
    const std::string& name = rotated_to_.front();
    const auto id = stat_path(name);
    if (id && !(current && current->same_inode(*id)) && !id->same_inode(identity_)) {
      const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        close_current();
        fd_ = fd;
        identity_ = identify(fd_).value_or(*id);
        offset_ = 0;
        pending_path_switch_ = true;  // the file under the name, or another missed one, next
        return true;  // stays in rotated_to_: the next switch finds it as the old file
      }
    }
    vanished = vanished || !id;  // gone again (compressed, moved): look around below
    rotated_to_.pop_front();
  }
  return vanished && open_rotated_since();
}

void FollowSource::checkpoint(uint64_t unconsumed) {
  if (options_.state_path.empty() && !options_.shared_state) return;
  // Unconsumed bytes may reach back into the file read before a switch.
  if (unconsumed <= read_since_switch_) {
    committed_ = Checkpoint{absolute_path_, identity_, offset_ - unconsumed,
                            backlog_source_ ? mtime_ns_ : 0};
  } else {
    const uint64_t back = unconsumed - read_since_switch_;
    committed_ =
        Checkpoint{absolute_path_, previous_.identity,
                   previous_.offset > back ? previous_.offset - back : 0, previous_.mtime_ns};
  }
  have_committed_ = fd_ >= 0 || backlog_source_ || previous_.identity.inode != 0;
  unsaved_ = have_committed_ && !(committed_.offset == saved_.offset &&
                                  committed_.identity.same_inode(saved_.identity) &&
                                  committed_.identity.fingerprint == saved_.identity.fingerprint);
  save_if_due();
}

// At most one save a second; a position not saved yet is saved once the second is over, even
// if no more input comes (wait_for_change wakes up for it).
void FollowSource::save_if_due() {
  if (options_.shared_state || !unsaved_ || std::chrono::steady_clock::now() < next_save_) return;
  // A failed save is reported once, retried at the next chance, and fails the run at exit.
  if (std::string error = save_state(); !error.empty()) {
    if (error != save_error_) note(error);
    save_error_ = std::move(error);
    return;
  }
  save_error_.clear();
  next_save_ = std::chrono::steady_clock::now() + kSaveInterval;
}

bool FollowSource::committed(Checkpoint& out) {
  if (!have_committed_) return false;
  // The live file's modification time now: rotated files newer than it were rotated after it.
  if (committed_.mtime_ns == 0 && fd_ >= 0 && committed_.identity.same_inode(identity_))
    committed_.mtime_ns = mtime_of(fd_);
  out = committed_;
  return true;
}

std::string FollowSource::save_state() {
  if (options_.state_path.empty() || options_.shared_state || !have_committed_) return {};
  // The live file's modification time now: rotated files newer than it were rotated after it.
  if (committed_.mtime_ns == 0 && fd_ >= 0 && committed_.identity.same_inode(identity_))
    committed_.mtime_ns = mtime_of(fd_);
  const Checkpoint checkpoints[] = {committed_};
  std::string error = coinone::save_state(options_.state_path, checkpoints);
  if (error.empty()) {
    saved_ = committed_;
    unsaved_ = false;
  }
  return error;
}

}  // namespace coinone
