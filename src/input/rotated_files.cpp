#include "coinone_annotate/input/rotated_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/input/decompress.h"
#include "coinone_annotate/input/source.h"

namespace coinone {

namespace {

constexpr std::array<std::string_view, 5> kCompressionSuffixes = {".gz", ".zst", ".xz", ".bz2",
                                                                  ".lz4"};
// Directory entries looked at, at most: a directory this full is not a log directory.
constexpr size_t kMaxEntries = 100000;

struct Candidate {
  RotatedFile file;
  uint64_t size = 0;
  uint64_t number = 0;        // logrotate's ".N", 0 for none
  bool same_content = false;  // begins with the checkpointed file's fingerprinted bytes
};

bool all_date_characters(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

std::string_view without_compression_suffix(std::string_view name) {
  for (const std::string_view suffix : kCompressionSuffixes)
    if (name.size() > suffix.size() && name.ends_with(suffix))
      return name.substr(0, name.size() - suffix.size());
  return name;
}

// logrotate's number: the digits after the last '.', or 0.
uint64_t rotation_number(std::string_view base, std::string_view name) {
  const std::string_view rest = without_compression_suffix(name).substr(base.size());
  if (rest.size() < 2 || rest[0] != '.') return 0;
  uint64_t number = 0;
  for (const char c : rest.substr(1)) {
    if (c < '0' || c > '9') return 0;
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  return number;
}

// Up to kFingerprintBytes of the file's content, decompressed; false when it cannot be read.
bool read_head(const std::string& path, std::string& head, bool& plain) {
  OpenResult opened = open_source(path);
  if (!opened.source) return false;
  const auto source = open_decompressing(std::move(opened.source), DecodeThread::kNever);
  char magic[6] = {};  // the longest magic, xz's
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  const ssize_t n = sys::pread(fd, magic, sizeof magic, 0);
  ::close(fd);
  plain = detect_compression({magic, static_cast<size_t>(std::max<ssize_t>(n, 0))}) ==
          Compression::kNone;
  head.resize(FileIdentity::kFingerprintBytes);
  size_t got = 0;
  while (got < head.size()) {
    const ReadResult read = source->read({head.data() + got, head.size() - got});
    if (read.size == 0) break;
    got += read.size;
  }
  head.resize(got);
  return true;
}

// Regular files of `dir` named like rotations of `base`, with their identities.
void collect(const std::string& dir, std::string_view base, uint64_t exclude_inode,
             const Checkpoint& saved, std::vector<Candidate>& out) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  size_t seen = 0;
  while (const dirent* entry = ::readdir(d)) {
    if (++seen > kMaxEntries) break;
    const std::string_view name = entry->d_name;
    if (!looks_rotated(base, name)) continue;
    Candidate c;
    c.file.path = dir + "/" + std::string(name);
    struct stat st {};
    if (::stat(c.file.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (static_cast<uint64_t>(st.st_ino) == exclude_inode) continue;
    c.file.identity.device = static_cast<uint64_t>(st.st_dev);
    c.file.identity.inode = static_cast<uint64_t>(st.st_ino);
    c.file.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    c.size = static_cast<uint64_t>(st.st_size);
    c.number = rotation_number(base, name);
    std::string head;
    if (!read_head(c.file.path, head, c.file.plain)) continue;
    c.file.identity.fingerprint_size = static_cast<uint32_t>(head.size());
    c.file.identity.fingerprint = fingerprint_of(head);
    // Fingerprinted as the checkpoint was, so that the two can be compared.
    const size_t length = saved.identity.fingerprint_size;
    c.same_content = head.size() >= length && fingerprint_of(std::string_view(head).substr(
                                                  0, length)) == saved.identity.fingerprint;
    out.push_back(std::move(c));
  }
  ::closedir(d);
}

bool rotated_before(const Candidate& a, const Candidate& b) {
  if (a.file.mtime_ns != b.file.mtime_ns) return a.file.mtime_ns < b.file.mtime_ns;
  if (a.number != b.number) return a.number > b.number;  // bot.log.2 is older than bot.log.1
  return a.file.path < b.file.path;
}

// The candidate that is the checkpointed file, or -1. By inode first; then by content, the
// oldest rotation modified no earlier than the checkpoint (an older file with the same first
// bytes was complete before the checkpointed file started).
int locate(const std::vector<Candidate>& sorted, const Checkpoint& saved) {
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Candidate& c = sorted[i];
    if (c.file.plain && c.file.identity.same_inode(saved.identity) && c.same_content &&
        c.size >= saved.offset)
      return static_cast<int>(i);
  }
  if (saved.identity.fingerprint_size == 0) return -1;  // nothing to compare the content with
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Candidate& c = sorted[i];
    if (!c.same_content || c.file.mtime_ns < saved.mtime_ns) continue;
    if (c.file.plain && c.size < saved.offset) continue;
    return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

bool looks_rotated(std::string_view base, std::string_view name) {
  if (name.size() <= base.size() || !name.starts_with(base)) return false;
  const std::string_view rest = without_compression_suffix(name).substr(base.size());
  if (rest.size() < 2 || (rest[0] != '.' && rest[0] != '-' && rest[0] != '_')) return false;
  return all_date_characters(rest.substr(1));
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Backlog find_backlog(const std::string& path, const std::string& olddir, const Checkpoint& saved,
                     uint64_t exclude_inode) {
  const std::string base = path.substr(path.rfind('/') + 1);
  std::vector<Candidate> candidates;
  collect(directory_of(path), base, exclude_inode, saved, candidates);
  if (!olddir.empty()) collect(olddir, base, exclude_inode, saved, candidates);
  std::sort(candidates.begin(), candidates.end(), rotated_before);
  Backlog backlog;
  const int at = locate(candidates, saved);
  backlog.found = at >= 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const bool wanted =
        backlog.found ? static_cast<int>(i) >= at : candidates[i].file.mtime_ns > saved.mtime_ns;
    if (wanted) backlog.files.push_back(std::move(candidates[i].file));
  }
  return backlog;
}

}  // namespace coinone
