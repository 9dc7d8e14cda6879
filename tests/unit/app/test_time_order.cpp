#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "coinone_annotate/app/time_order.h"

using namespace coinone;

namespace {

// A scratch directory, removed with its files at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = "/tmp/time_order.XXXXXX";
    path_ = ::mkdtemp(pattern.data());
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // Writes `content` to NAME and returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    const std::string path = path_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void set_mtime(const std::string& path, int64_t seconds) {
  const struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

// A gzip member of `text` (stored, no compression): header, one final stored block, CRC, size.
std::string gzip_stored(const std::string& text) {
  uint32_t crc = 0xFFFFFFFFu;
  for (const char c : text) {
    crc ^= static_cast<unsigned char>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  crc ^= 0xFFFFFFFFu;
  const auto size = static_cast<uint16_t>(text.size());
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  out += '\x01';  // final stored block
  out += static_cast<char>(size & 0xFF);
  out += static_cast<char>(size >> 8);
  out += static_cast<char>(~size & 0xFF);
  out += static_cast<char>((~size >> 8) & 0xFF);
  out += text;
  for (const uint32_t word : {crc, static_cast<uint32_t>(text.size())})
    for (int i = 0; i < 4; ++i) out += static_cast<char>((word >> (8 * i)) & 0xFF);
  return out;
}

// Epoch values from Python's calendar.timegm.
constexpr int64_t kSix = 1795845600;    // 2026-11-28 06:00:00 UTC
constexpr int64_t kEight = 1795852800;  // 2026-11-28 08:00:00 UTC

}  // namespace

TEST_SUITE("time_order") {
  TEST_CASE("a file starts at its first timestamp, else at its modification time") {
    ScratchDir dir;
    const TimeZone utc;
    const std::string late =
        dir.write("late.log", "header\n\n2026-11-28 08:00:00 x\n2026-11-28 06:00:00 y\n");
    CHECK(input_start_time(late, utc) == kEight);
    const std::string packed = dir.write("packed.gz", gzip_stored("2026-11-28T06:00:00Z x\n"));
    CHECK(input_start_time(packed, utc) == kSix);  // read through the decompressor
    const std::string plain = dir.write("plain.log", "no time\nat all\n");
    set_mtime(plain, kSix + 60);
    CHECK(input_start_time(plain, utc) == kSix + 60);
    // Beyond the probed head, a timestamp is not seen: the modification time decides.
    const std::string far =
        dir.write("far.log", std::string(kProbeBytes, 'x') + "\n2026-11-28 08:00:00\n");
    set_mtime(far, kSix);
    CHECK(input_start_time(far, utc) == kSix);
    CHECK(input_start_time(dir.path() + "/missing.log", utc) == std::nullopt);
    CHECK(input_start_time(dir.path(), utc) == std::nullopt);  // a directory
    CHECK(input_start_time("-", utc) == std::nullopt);
    CHECK(input_start_time("/dev/null", utc) == std::nullopt);  // not a regular file
  }

  TEST_CASE("zoneless timestamps are read in the zone given") {
    ScratchDir dir;
    std::string error;
    const auto seoul = TimeZone::locate("Asia/Seoul", error);
    REQUIRE(seoul.has_value());
    const std::string log = dir.write("bot.log", "2026-11-28 17:00:00,000 x\n");
    CHECK(input_start_time(log, *seoul) == kEight);
  }

  TEST_CASE("oldest first; unplaced paths keep their order at the end") {
    ScratchDir dir;
    const TimeZone utc;
    const std::string newest = dir.write("bot.log", "2026-11-28 10:00:00 x\n");
    const std::string older = dir.write("bot.log.1", "2026-11-28 08:00:00 x\n");
    const std::string oldest = dir.write("bot.log.2.gz", gzip_stored("2026-11-28 06:00:00 x\n"));
    const std::string untimed = dir.write("untimed.log", "x\n");
    set_mtime(untimed, kSix + 1);
    const std::string tie = dir.write("tie.log", "2026-11-28 08:00:00 y\n");
    const std::string missing = dir.path() + "/missing.log";
    const std::vector<std::string> given{newest, "-", older, missing, oldest, untimed, tie};
    const std::vector<std::string> want{oldest, untimed, older, tie, newest, "-", missing};
    CHECK(sort_inputs_by_time(given, utc) == want);
  }
}
