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

#include "coinone_annotate/base/signals.h"
#include "coinone_annotate/base/syscalls.h"

namespace coinone {

namespace {

// Renames remembered at most: a follower this far behind has lost more than these anyway.
constexpr size_t kMaxRotations = 64;

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

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

}  // namespace

FollowSource::FollowSource(FollowOptions options) : options_(std::move(options)) {
  // The directory is watched rather than the file: it reports writes to the file and also the
  // creation of a new file under the followed name after a rotation.
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ >= 0 && ::inotify_add_watch(inotify_fd_, directory_of(options_.path).c_str(),
                                              IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
                                                  IN_DELETE | IN_ATTRIB | IN_CLOSE_WRITE) < 0) {
    ::close(inotify_fd_);
    inotify_fd_ = -1;  // polling it is
  }
  resume();
}

FollowSource::~FollowSource() {
  close_current();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

// Where to start: the saved checkpoint if it still names a file we can find, else the start of
// the file (with a state file: nothing of it has been written yet) or its end (without one, like
// tail -F).
void FollowSource::resume() {
  if (options_.state_path.empty()) {
    open_path(true);
    return;
  }
  const LoadedCheckpoint loaded = load_checkpoint(options_.state_path);
  if (!loaded.error.empty())
    start_note_ = fmt::format("{}: {}; starting from the beginning of {}", options_.state_path,
                              loaded.error, options_.path);
  if (!loaded.checkpoint) {
    open_path(false);
    return;
  }
  const Checkpoint& saved = *loaded.checkpoint;
  if (open_path(false) && matches(fd_, saved.identity) && file_size(fd_) >= saved.offset) {
    ::lseek(fd_, static_cast<off_t>(saved.offset), SEEK_SET);
    offset_ = saved.offset;
  } else {
    close_current();
    open_rotated_predecessor(saved);
  }
  committed_ = Checkpoint{options_.path, fd_ >= 0 ? identity_ : saved.identity, offset_};
  have_committed_ = fd_ >= 0;
}

// The file was rotated while we were down: find it by inode in the same directory and finish
// it before the file now under the name.
void FollowSource::open_rotated_predecessor(const Checkpoint& saved) {
  const std::string dir = directory_of(options_.path);
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* entry = ::readdir(d)) {
      if (entry->d_ino != saved.identity.inode) continue;
      const std::string candidate = dir + "/" + entry->d_name;
      const int fd = ::open(candidate.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      if (matches(fd, saved.identity) && file_size(fd) >= saved.offset) {
        fd_ = fd;
        identity_ = saved.identity;
        offset_ = saved.offset;
        ::lseek(fd_, static_cast<off_t>(offset_), SEEK_SET);
        pending_path_switch_ = true;
        start_note_ =
            fmt::format("{} was rotated to {}; finishing it first", options_.path, candidate);
        break;
      }
      ::close(fd);
    }
    ::closedir(d);
  }
  if (fd_ < 0) {
    start_note_ = fmt::format("{}: the checkpointed file is gone; starting from the beginning",
                              options_.path);
    open_path(false);
  }
}

bool FollowSource::open_path(bool from_end) {
  const int fd = ::open(options_.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return false;
  }
  fd_ = fd;
  identity_ = identify(fd_).value_or(FileIdentity{});
  offset_ = from_end ? file_size(fd_) : 0;
  ::lseek(fd_, static_cast<off_t>(offset_), SEEK_SET);
  return true;
}

void FollowSource::close_current() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

ReadResult FollowSource::read(std::span<char> buffer) {
  for (;;) {
    if (SignalEvents::stop_requested()) return {};  // the end of input: flush and finish
    if (fd_ < 0 && !open_path(false)) {
      bool woken = false;
      wait_for_change(woken);
      if (woken) return {0, 0, {}, true};
      continue;
    }
    const ssize_t n = sys::read(fd_, buffer.data(), buffer.size());
    if (n > 0) {
      offset_ += static_cast<uint64_t>(n);
      read_since_switch_ += static_cast<uint64_t>(n);
      if (identity_.fingerprint_size < FileIdentity::kFingerprintBytes)
        identity_ = identify(fd_).value_or(identity_);  // the first bytes just arrived
      return {static_cast<size_t>(n), 0, {}};
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {0, errno, {}};
    // At the end of what the file has now.
    if (switch_if_rotated() || rewind_if_truncated()) continue;
    bool woken = false;
    wait_for_change(woken);
    if (woken) return {0, 0, {}, true};
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
  if (!rotation_seen_) {
    rotation_seen_ = true;
    return true;  // read the old file once more
  }
  rotation_seen_ = false;
  previous_ = Checkpoint{options_.path, identity_, offset_};
  read_since_switch_ = 0;
  pending_path_switch_ = false;
  if (open_missed_rotation()) return true;
  close_current();
  open_path(false);
  return true;
}

// copytruncate: the file is shorter than what was read, or its first bytes are not the ones
// read (truncated and refilled past our offset before we looked).
bool FollowSource::rewind_if_truncated() {
  const uint64_t size = file_size(fd_);
  const bool shorter = size < offset_;
  const bool rewritten = !shorter && identity_.fingerprint_size > 0 && !matches(fd_, identity_);
  if (!shorter && !rewritten) return false;
  previous_ = Checkpoint{options_.path, identity_, offset_};
  read_since_switch_ = 0;
  ::lseek(fd_, 0, SEEK_SET);
  offset_ = 0;
  identity_ = identify(fd_).value_or(identity_);
  return true;
}

void FollowSource::wait_for_change(bool& woken) {
  pollfd fds[2] = {{SignalEvents::wake_fd(), POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
  const nfds_t count = inotify_fd_ >= 0 ? 2 : 1;
  // With inotify, events wake us and the timeout only re-checks for what inotify cannot see
  // (a file replaced on another host of a network file system); without it, we poll. A
  // checkpoint waiting for its second is saved when the second is over.
  int timeout = inotify_fd_ >= 0 ? 1000 : static_cast<int>(kPollInterval.count());
  if (unsaved_) {
    const auto due = std::chrono::duration_cast<std::chrono::milliseconds>(
        next_save_ - std::chrono::steady_clock::now());
    timeout = std::clamp(static_cast<int>(due.count()) + 1, 0, timeout);
  }
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
  while ((n = ::read(inotify_fd_, events, sizeof events)) > 0) {
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
    rotated_to_.clear();  // renamed out of the directory, or deleted: nothing to go by
    return false;
  }
  rotated_to_.erase(rotated_to_.begin(), old + 1);
  const auto current = stat_path(options_.path);
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
    rotated_to_.pop_front();  // gone again (compressed, deleted): nothing left to read of it
  }
  return false;
}

void FollowSource::checkpoint(uint64_t unconsumed) {
  if (options_.state_path.empty()) return;
  // Unconsumed bytes may reach back into the file read before a switch.
  if (unconsumed <= read_since_switch_) {
    committed_ = Checkpoint{options_.path, identity_, offset_ - unconsumed};
  } else {
    const uint64_t back = unconsumed - read_since_switch_;
    committed_ = Checkpoint{options_.path, previous_.identity,
                            previous_.offset > back ? previous_.offset - back : 0};
  }
  have_committed_ = fd_ >= 0 || previous_.identity.inode != 0;
  unsaved_ = have_committed_ && !(committed_.offset == saved_.offset &&
                                  committed_.identity.same_inode(saved_.identity) &&
                                  committed_.identity.fingerprint == saved_.identity.fingerprint);
  save_if_due();
}

// At most one save a second; a position not saved yet is saved once the second is over, even
// if no more input comes (wait_for_change wakes up for it).
void FollowSource::save_if_due() {
  if (!unsaved_ || std::chrono::steady_clock::now() < next_save_) return;
  if (!save_state().empty()) return;  // retried at the next chance; the exit save reports it
  next_save_ = std::chrono::steady_clock::now() + kSaveInterval;
}

std::string FollowSource::save_state() {
  if (options_.state_path.empty() || !have_committed_) return {};
  std::string error = save_checkpoint(options_.state_path, committed_);
  if (error.empty()) {
    saved_ = committed_;
    unsaved_ = false;
  }
  return error;
}

}  // namespace coinone
