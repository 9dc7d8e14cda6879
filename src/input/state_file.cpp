#include "coinone_annotate/input/state_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "coinone_annotate/base/syscalls.h"

namespace coinone {

namespace {

constexpr std::string_view kHeader = "coinone-annotate state 2\n";
constexpr std::string_view kChecksumKey = "checksum=";

std::string escape_path(std::string_view path) {
  std::string out;
  for (const char c : path) {
    if (c == '%' || c == '\n' || c == '\r')
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out;
}

bool unescape_path(std::string_view text, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 3 > text.size()) return false;
    const auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (ec != std::errc{} || end != text.data() + i + 3) return false;
    out += static_cast<char>(value);
    i += 2;
  }
  return true;
}

bool parse_number(std::string_view text, uint64_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

// Applies one "key=value" line; false when the line is not understood.
bool apply_line(std::string_view line, std::vector<Checkpoint>& out) {
  const size_t equals = line.find('=');
  if (equals == std::string_view::npos) return false;
  const std::string_view key = line.substr(0, equals), value = line.substr(equals + 1);
  if (key == "file") {
    out.emplace_back();
    return unescape_path(value, out.back().path);
  }
  uint64_t number = 0;
  if (out.empty() || !parse_number(value, number)) return false;
  Checkpoint& cp = out.back();
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
  else if (key == "mtime_ns")
    cp.mtime_ns = static_cast<int64_t>(number);
  else
    return false;
  return true;
}

// Reads the whole file (at most kMaxStateBytes) into text; returns a reason, or "".
std::string read_state(int fd, std::string& text) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return "Is a directory";
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  if (st.st_size > static_cast<off_t>(kMaxStateBytes))
    return fmt::format("{} bytes, more than a state file ever holds ({})", st.st_size,
                       kMaxStateBytes);
  text.resize(static_cast<size_t>(st.st_size));
  if (const int error = sys::pread_exact(fd, text.data(), text.size(), 0); error != 0)
    return fmt::format("cannot read it: {}", std::strerror(error));
  return {};
}

std::string parse_state(std::string_view text, std::vector<Checkpoint>& out) {
  if (!text.starts_with(kHeader)) {
    if (text.starts_with("coinone-annotate state "))
      return "written by another version of coinone-annotate (this one reads version 2)";
    return "not a coinone-annotate state file";
  }
  const size_t checksum_at = text.rfind(kChecksumKey);
  if (checksum_at == std::string_view::npos || (checksum_at > 0 && text[checksum_at - 1] != '\n'))
    return "no checksum: the file is incomplete";
  const std::string expected =
      fmt::format("{}{:016x}\n", kChecksumKey, fingerprint_of(text.substr(0, checksum_at)));
  if (text.substr(checksum_at) != expected) return "wrong checksum: the file is damaged";
  size_t start = kHeader.size(), line_number = 1;
  while (start < checksum_at) {
    const size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    ++line_number;
    if (!apply_line(line, out))
      return fmt::format("line {}: cannot read '{}'", line_number, line.substr(0, 80));
    start = end + 1;
  }
  return {};
}

}  // namespace

std::string format_state(std::span<const Checkpoint> checkpoints) {
  std::string text(kHeader);
  for (const Checkpoint& cp : checkpoints) {
    fmt::format_to(std::back_inserter(text),
                   "file={}\ndevice={}\ninode={}\nfingerprint_size={}\nfingerprint={}\n"
                   "offset={}\nmtime_ns={}\n",
                   escape_path(cp.path), cp.identity.device, cp.identity.inode,
                   cp.identity.fingerprint_size, cp.identity.fingerprint, cp.offset,
                   cp.mtime_ns < 0 ? 0 : cp.mtime_ns);
  }
  text += fmt::format("{}{:016x}\n", kChecksumKey, fingerprint_of(text));
  return text;
}

LoadedState load_state(const std::string& state_path) {
  LoadedState loaded;
  // O_NONBLOCK: a FIFO in its place must not block the start.
  const int fd = ::open(state_path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno != ENOENT) loaded.error = std::strerror(errno);
    return loaded;
  }
  loaded.exists = true;
  std::string text;
  loaded.error = read_state(fd, text);
  ::close(fd);
  if (loaded.error.empty()) loaded.error = parse_state(text, loaded.checkpoints);
  if (!loaded.error.empty()) loaded.checkpoints.clear();
  return loaded;
}

std::string save_state(const std::string& state_path, std::span<const Checkpoint> checkpoints) {
  struct stat st {};
  if (::lstat(state_path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fmt::format("{}: Is a directory", state_path);
    if (S_ISLNK(st.st_mode))
      return fmt::format("{}: a symbolic link, which saving would replace: give its target",
                         state_path);
    if (!S_ISREG(st.st_mode)) return fmt::format("{}: not a regular file", state_path);
  }
  const std::string temporary = state_path + ".tmp";
  const std::string text = format_state(checkpoints);
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return fmt::format("{}: {}", temporary, std::strerror(errno));
  int error = sys::write_all(fd, text.data(), text.size());
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  ::close(fd);
  if (error != 0) {
    ::unlink(temporary.c_str());
    return fmt::format("{}: {}", temporary, std::strerror(error));
  }
  if (::rename(temporary.c_str(), state_path.c_str()) != 0) {
    error = errno;
    ::unlink(temporary.c_str());
    return fmt::format("{}: {}", state_path, std::strerror(error));
  }
  return {};
}

}  // namespace coinone
