#include "coinone_annotate/input/follow_set.h"

#include <fmt/format.h>
#include <glob.h>
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

std::string absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[4096];
  if (::getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

// The regular files a pattern matches now, sorted (glob(3)'s order).
std::vector<std::string> expand(const std::string& pattern) {
  std::vector<std::string> found;
  glob_t matched{};
  if (::glob(pattern.c_str(), 0, nullptr, &matched) == 0) {
    for (size_t i = 0; i < matched.gl_pathc; ++i) {
      struct stat st {};
      if (::stat(matched.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode))
        found.emplace_back(matched.gl_pathv[i]);
    }
  }
  ::globfree(&matched);
  return found;
}

}  // namespace

bool is_glob(const std::string& pattern) {
  return pattern.find_first_of("*?[") != std::string::npos;
}

FollowSet::FollowSet(FollowSetOptions options) : options_(std::move(options)) {
  for (const std::string& pattern : options_.patterns)
    name_ += (name_.empty() ? "" : ", ") + pattern;
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  LoadedState loaded;
  if (!options_.state_path.empty()) {
    loaded = load_state(options_.state_path);
    if (!loaded.error.empty()) {
      start_error_ = fmt::format("{}: {}", options_.state_path, loaded.error);
      return;
    }
  }
  rescan(true, loaded.checkpoints);
  for (const auto& m : members_) {
    if (!m->source->start_error().empty()) {
      start_error_ = m->source->start_error();
      return;
    }
  }
  for (const Checkpoint& cp : loaded.checkpoints) {
    const bool followed = std::any_of(members_.begin(), members_.end(),
                                      [&](const auto& m) { return m->absolute == cp.path; });
    if (!followed)
      notes_.push_back(fmt::format("{}: checkpoint of {}, which is not followed: dropped",
                                   options_.state_path, cp.path));
  }
  notes_waiting_ = !notes_.empty();
  // Saved once now: a state that cannot be written stops the run before anything is read.
  if (!options_.state_path.empty()) {
    if (std::string error = save_state(); !error.empty()) start_error_ = std::move(error);
  }
}

FollowSet::~FollowSet() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

void FollowSet::add(const std::string& display, bool from_glob, bool at_start,
                    const std::vector<Checkpoint>& saved) {
  const std::string key = absolute(display);
  for (const auto& m : members_)
    if (m->absolute == key) return;
  auto member = std::make_unique<Member>();
  member->display = display;
  member->absolute = key;
  member->from_glob = from_glob;
  FollowOptions follow{display, options_.state_path, options_.olddir,
                       at_start ? options_.lines : std::nullopt};
  follow.shared_state = true;
  follow.nonblocking = true;
  follow.from_start = !at_start;  // a file that appears while running: all of it is new
  for (const Checkpoint& cp : saved)
    if (cp.path == key) follow.saved = cp;
  member->source = std::make_unique<FollowSource>(std::move(follow));
  const bool named = lines_by_file_.count(display) != 0 || lines_by_file_.size() < kMaxFileLabels;
  member->lines = &lines_by_file_[named ? display : "(other)"];
  if (!at_start) notes_.push_back(fmt::format("{}: new file, followed from its start", display));
  collect(*member);
  members_.push_back(std::move(member));
}

// Expands the globs again (adding what is new) and lets go of deleted files.
void FollowSet::rescan(bool at_start, const std::vector<Checkpoint>& saved) {
  for (const std::string& pattern : options_.patterns) {
    if (!is_glob(pattern)) {
      add(pattern, false, at_start, saved);
      continue;
    }
    if (inotify_fd_ >= 0)  // adding an existing watch again is harmless
      ::inotify_add_watch(inotify_fd_, directory_of(pattern).c_str(),
                          IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR);
    for (const std::string& path : expand(pattern)) add(path, true, at_start, saved);
  }
  if (!at_start) let_go_of_deleted();
  next_scan_ = std::chrono::steady_clock::now() + kRescanInterval;
  notes_waiting_ = notes_waiting_ || !notes_.empty();
}

// A file found by a glob that is gone, has been gone for kLetGo (not a rotation's moment
// between rename and create) and is read to its end.
void FollowSet::let_go_of_deleted() {
  const auto now = std::chrono::steady_clock::now();
  for (size_t i = 0; i < members_.size();) {
    Member& m = *members_[i];
    struct stat st {};
    const bool gone = m.from_glob && ::stat(m.display.c_str(), &st) != 0 && errno == ENOENT;
    if (!gone) m.missing_since.reset();
    if (gone && !m.missing_since) m.missing_since = now;
    if (!gone || now - *m.missing_since < kLetGo || !m.source->at_end() || sticky_ == &m ||
        !m.pending.empty()) {
      ++i;
      continue;
    }
    notes_.push_back(fmt::format("{}: deleted, no longer followed", m.display));
    gone_deleted_ += m.source->deleted_files();
    gone_truncations_ += m.source->truncations();
    std::erase_if(chunks_, [&](const Chunk& c) { return c.member == &m; });
    members_.erase(members_.begin() + static_cast<ptrdiff_t>(i));
    unsaved_ = true;
    if (next_ > i) --next_;
  }
}

void FollowSet::collect(Member& member) {
  for (std::string& note : member.source->take_notes()) notes_.push_back(std::move(note));
  std::string problem;
  for (const auto& m : members_)
    if (problem.empty()) problem = m->source->problem();
  if (problem.empty()) problem = member.source->problem();
  if (problem != problem_) notes_waiting_ = true;
  problem_ = std::move(problem);
  if (!notes_.empty()) notes_waiting_ = true;
}

std::vector<std::string> FollowSet::take_notes() {
  notes_waiting_ = false;
  return std::exchange(notes_, {});
}

ReadResult FollowSet::read(std::span<char> buffer) {
  for (;;) {
    if (notes_waiting_) {  // the caller prints them (and sets /healthz) before reading on
      notes_waiting_ = false;
      return {0, 0, {}, true};
    }
    if (SignalEvents::stop_requested()) return {0, 0, {}, false, true};  // end, whole lines
    if (std::chrono::steady_clock::now() >= next_scan_) rescan(false, {});
    ReadResult out;
    const size_t count = members_.size();
    bool progress = false;
    for (size_t k = 0; k < count; ++k) {
      Member& m = sticky_ ? *sticky_ : *members_[(next_ + k) % count];
      if (emit(m, buffer, out)) {
        if (!sticky_) next_ = (next_ + k + 1) % count;
        return out;
      }
      const int got = fill(m, out);
      if (got < 0) return out;  // an error or a wake for the caller
      if (got > 0 && emit(m, buffer, out)) {
        if (!sticky_) next_ = (next_ + k + 1) % count;
        return out;
      }
      progress = progress || got > 0;
      if (sticky_) break;
    }
    if (!progress) wait();
  }
}

// Reads what the member has into its pending bytes. Returns the bytes read, 0 when it has
// nothing now, -1 when `out` is to be returned (an error, or a wake: notes or SIGHUP).
int FollowSet::fill(Member& m, ReadResult& out) {
  if (!m.ready || m.pending.size() >= kMaxPending) return 0;
  const size_t before = m.pending.size();
  m.pending.resize(kMaxPending);
  ReadResult got = m.source->read({m.pending.data() + before, kMaxPending - before});
  m.pending.resize(before + got.size);
  if (got.size > 0) return static_cast<int>(got.size);
  if (got.error != 0 || !got.message.empty()) {
    out = std::move(got);
    out.message = fmt::format("{}: {}", m.display,
                              out.message.empty() ? std::strerror(out.error) : out.message);
    return -1;
  }
  collect(m);
  if (got.wake && !m.source->idle()) {
    out = ReadResult{0, 0, {}, true};
    return -1;
  }
  m.ready = false;
  return 0;
}

// Hands out whole lines of one member (with their prefixes), or a piece of a line that does
// not fit. False when the member has no whole line to give.
bool FollowSet::emit(Member& m, std::span<char> buffer, ReadResult& out) {
  const std::string prefix = options_.with_filename ? m.display + ":" : std::string();
  const char* data = m.pending.data();
  const size_t size = m.pending.size();
  Chunk chunk{&m, 0, {}};
  size_t used = 0, pos = 0;
  while (pos < size) {
    const void* nl = std::memchr(data + pos, '\n', size - pos);
    if (nl == nullptr) break;
    const size_t len = static_cast<size_t>(static_cast<const char*>(nl) - (data + pos)) + 1;
    const size_t head = m.mid_line ? 0 : prefix.size();
    if (used + head + len > buffer.size()) break;
    if (head > 0) {
      chunk.starts.push_back(static_cast<uint32_t>(used));
      std::memcpy(buffer.data() + used, prefix.data(), head);
    }
    std::memcpy(buffer.data() + used + head, data + pos, len);
    used += head + len;
    pos += len;
    ++*m.lines;
    m.mid_line = false;
  }
  const bool whole_line = pos < size && std::memchr(data + pos, '\n', size - pos) != nullptr;
  if (used == 0 && (whole_line || size >= kMaxPending || (sticky_ == &m && size > 0))) {
    // A line longer than what fits: a piece of it, and this member alone until its newline.
    const size_t head = m.mid_line ? 0 : prefix.size();
    if (head >= buffer.size()) return false;
    if (head > 0) {
      chunk.starts.push_back(0);
      std::memcpy(buffer.data(), prefix.data(), head);
    }
    const size_t take = std::min(size, buffer.size() - head);
    std::memcpy(buffer.data() + head, data, take);
    used = head + take;
    pos = take;
    m.mid_line = data[take - 1] != '\n';
    if (!m.mid_line) ++*m.lines;
  }
  if (used == 0) return false;
  sticky_ = m.mid_line ? &m : nullptr;
  m.pending.erase(0, pos);
  chunk.size = used;
  chunks_.push_back(std::move(chunk));
  out = ReadResult{used, 0, {}};
  return true;
}

// Waits until a followed file, a glob's directory or a signal says something changed, or until
// the first member's, a rescan's or a save's time is due.
void FollowSet::wait() {
  std::vector<pollfd> fds;
  fds.push_back({SignalEvents::wake_fd(), POLLIN, 0});
  fds.push_back({inotify_fd_, POLLIN, 0});
  const auto now = std::chrono::steady_clock::now();
  auto until = [&](std::chrono::steady_clock::time_point due) {
    return static_cast<int>(
        std::max<int64_t>(0, std::chrono::ceil<std::chrono::milliseconds>(due - now).count()));
  };
  int timeout = until(next_scan_);
  if (unsaved_) timeout = std::min(timeout, until(next_save_));
  for (const auto& m : members_) {
    fds.push_back({m->source->poll_fd(), POLLIN, 0});
    timeout = std::min(timeout, m->source->wait_timeout_ms());
  }
  const int ready = sys::poll(fds.data(), fds.size(), timeout);
  save_if_due();
  if (ready > 0 && fds[0].revents != 0) {
    SignalEvents::drain();
    notes_waiting_ = true;  // a wake for the caller (SIGHUP reloads the table)
  }
  if (ready > 0 && fds[1].revents != 0) {
    alignas(inotify_event) char events[4096];
    while (sys::read(inotify_fd_, events, sizeof events) > 0) {
    }
    next_scan_ = std::chrono::steady_clock::now();  // a file appeared or went: look now
  }
  for (size_t i = 0; i < members_.size(); ++i) {
    Member& m = *members_[i];
    if (ready <= 0 || fds[i + 2].fd < 0 || fds[i + 2].revents != 0 ||
        m.source->wait_timeout_ms() < 1000)
      m.ready = true;
  }
}

void FollowSet::checkpoint(uint64_t unconsumed) {
  if (options_.state_path.empty()) return;
  std::vector<uint64_t> left(members_.size());
  for (size_t i = 0; i < members_.size(); ++i) left[i] = members_[i]->pending.size();
  // The newest chunks hold the unconsumed bytes; older ones are written and forgotten.
  size_t keep = chunks_.size();
  const size_t prefix_of = options_.with_filename ? 1 : 0;
  while (unconsumed > 0 && keep > 0) {
    const Chunk& c = chunks_[keep - 1];
    const uint64_t take = std::min(unconsumed, c.size);
    const uint64_t from = c.size - take;
    uint64_t prefixes = 0;
    for (const uint32_t s : c.starts)
      if (s >= from) prefixes += (c.member->display.size() + 1) * prefix_of;
    const auto at = std::find_if(members_.begin(), members_.end(),
                                 [&](const auto& m) { return m.get() == c.member; });
    if (at != members_.end())
      left[static_cast<size_t>(at - members_.begin())] += take > prefixes ? take - prefixes : 0;
    unconsumed -= take;
    --keep;
  }
  chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<ptrdiff_t>(keep));
  for (size_t i = 0; i < members_.size(); ++i) members_[i]->source->checkpoint(left[i]);
  unsaved_ = true;
  save_if_due();
}

void FollowSet::save_if_due() {
  if (!unsaved_ || std::chrono::steady_clock::now() < next_save_) return;
  if (std::string error = save_state(); !error.empty()) {
    if (error != save_error_) {
      notes_.push_back(error);
      notes_waiting_ = true;
    }
    save_error_ = std::move(error);
    return;
  }
  save_error_.clear();
  next_save_ = std::chrono::steady_clock::now() + kSaveInterval;
}

std::string FollowSet::save_state() {
  if (options_.state_path.empty()) return {};
  std::vector<Checkpoint> all;
  for (const auto& m : members_) {
    Checkpoint cp;
    if (m->source->committed(cp)) all.push_back(std::move(cp));
  }
  std::string error = coinone::save_state(options_.state_path, all);
  if (error.empty()) unsaved_ = false;
  return error;
}

uint64_t FollowSet::deleted_files() const {
  uint64_t sum = gone_deleted_;
  for (const auto& m : members_) sum += m->source->deleted_files();
  return sum;
}

uint64_t FollowSet::truncations() const {
  uint64_t sum = gone_truncations_;
  for (const auto& m : members_) sum += m->source->truncations();
  return sum;
}

std::vector<std::pair<std::string, uint64_t>> FollowSet::lines_by_file() const {
  return {lines_by_file_.begin(), lines_by_file_.end()};
}

std::vector<std::string> FollowSet::files() const {
  std::vector<std::string> names;
  for (const auto& m : members_) names.push_back(m->display);
  return names;
}

}  // namespace coinone
