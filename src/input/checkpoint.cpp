#include "coinone_annotate/input/checkpoint.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace coinone {

namespace {

constexpr std::string_view kHeader = "coinone-annotate state 1";

uint64_t fnv1a(const char* data, size_t size) {
  uint64_t hash = 1469598103934665603ull;
  for (size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 1099511628211ull;
  }
  return hash;
}

// Hash of the first `size` bytes of the file, or nullopt when it has fewer.
std::optional<uint64_t> prefix_hash(int fd, size_t size) {
  char buffer[FileIdentity::kFingerprintBytes];
  size_t got = 0;
  while (got < size) {
    const ssize_t n = ::pread(fd, buffer + got, size - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    got += static_cast<size_t>(n);
  }
  return fnv1a(buffer, size);
}

bool parse_number(std::string_view text, uint64_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

// Applies one "key=value" line to the checkpoint; false when the line is not understood.
bool apply_line(std::string_view line, Checkpoint& cp) {
  const size_t equals = line.find('=');
  if (equals == std::string_view::npos) return false;
  const std::string_view key = line.substr(0, equals), value = line.substr(equals + 1);
  uint64_t number = 0;
  if (key == "path") {
    cp.path = std::string(value);
    return true;
  }
  if (!parse_number(value, number)) return false;
  if (key == "device")
    cp.identity.device = number;
  else if (key == "inode")
    cp.identity.inode = number;
  else if (key == "fingerprint_size" && number <= FileIdentity::kFingerprintBytes)
    cp.identity.fingerprint_size = static_cast<uint32_t>(number);
  else if (key == "fingerprint")
    cp.identity.fingerprint = number;
  else if (key == "offset")
    cp.offset = number;
  else
    return false;
  return true;
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::optional<FileIdentity> identify(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  FileIdentity id;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  const auto size = static_cast<uint64_t>(st.st_size < 0 ? 0 : st.st_size);
  id.fingerprint_size =
      static_cast<uint32_t>(std::min<uint64_t>(size, FileIdentity::kFingerprintBytes));
  id.fingerprint = prefix_hash(fd, id.fingerprint_size).value_or(0);
  return id;
}

bool matches(int fd, const FileIdentity& saved) {
  const auto now = identify(fd);
  if (!now || !now->same_inode(saved)) return false;
  const auto hash = prefix_hash(fd, saved.fingerprint_size);
  return hash && *hash == saved.fingerprint;
}

LoadedCheckpoint load_checkpoint(const std::string& state_path) {
  const int fd = ::open(state_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return {};
    return {std::nullopt, std::strerror(errno)};
  }
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  if (text.rfind(kHeader, 0) != 0) return {std::nullopt, "not a coinone-annotate state file"};
  Checkpoint cp;
  size_t start = 0;
  size_t line_number = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    if (line_number++ > 0 && !line.empty() && !apply_line(line, cp))
      return {std::nullopt, fmt::format("line {}: cannot read '{}'", line_number, line)};
    start = end + 1;
  }
  return {cp, {}};
}

std::string save_checkpoint(const std::string& state_path, const Checkpoint& cp) {
  const std::string temporary = state_path + ".tmp";
  const std::string text = fmt::format(
      "{}\npath={}\ndevice={}\ninode={}\nfingerprint_size={}\nfingerprint={}\noffset={}\n", kHeader,
      cp.path, cp.identity.device, cp.identity.inode, cp.identity.fingerprint_size,
      cp.identity.fingerprint, cp.offset);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fmt::format("{}: {}", temporary, std::strerror(errno));
  const bool written = write_all(fd, text) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!written) return fmt::format("{}: {}", temporary, std::strerror(saved_errno));
  if (::rename(temporary.c_str(), state_path.c_str()) != 0)
    return fmt::format("{}: {}", state_path, std::strerror(errno));
  return {};
}

}  // namespace coinone
