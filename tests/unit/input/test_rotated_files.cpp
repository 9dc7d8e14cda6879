// Tests of rotated_files.h: logrotate's names, finding the checkpointed file by inode or by the
// fingerprint of its (decompressed) content, and the rotation order of what comes after it.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "coinone_annotate/input/rotated_files.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::TempDir;

namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Sets the modification time, in seconds since 2026-01-01.
void set_mtime(const std::string& path, int seconds) {
  const timespec times[2] = {{1767225600 + seconds, 0}, {1767225600 + seconds, 0}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

std::string lines(int from, int to) {
  std::string text;
  for (int n = from; n <= to; ++n) text += "line " + std::to_string(n) + " error_code=103\n";
  return text;
}

Checkpoint checkpoint_of(const std::string& path, uint64_t offset) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  Checkpoint cp{path, identify(fd).value(), offset, mtime_of(fd)};
  ::close(fd);
  return cp;
}

std::vector<std::string> names(const Backlog& backlog, const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& f : backlog.files) out.push_back(f.path.substr(dir.size() + 1));
  return out;
}

}  // namespace

TEST_SUITE("rotated_files") {
  TEST_CASE("logrotate's names for bot.log, and names that are not") {
    const struct {
      const char* name;
      bool rotated;
    } cases[] = {
        {"bot.log.1", true},          {"bot.log.12.gz", true},
        {"bot.log-20261128", true},   {"bot.log-20261128-1764322928.zst", true},
        {"bot.log.2026-11-28", true}, {"bot.log", false},
        {"bot.log.state", false},     {"bot.log.tmp", false},
        {"bot.logx.1", false},        {"other.log.1", false},
        {"bot.log.1.swp", false},     {"bot.log.gz", false},
        {"bot.log.3.xz", true},       {"bot.log.4.bz2", true},
        {"bot.log.5.lz4", true},      {"bot.log-20261128.lz4", true},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      CHECK(looks_rotated("bot.log", c.name) == c.rotated);
    }
  }

  TEST_CASE("renamed, then compressed: found by content, followed by the newer files") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    write_file(log, lines(1, 10));
    set_mtime(log, 100);
    const Checkpoint saved = checkpoint_of(log, lines(1, 4).size());
    REQUIRE(std::rename(log.c_str(), (log + ".2").c_str()) == 0);
    REQUIRE(std::system(("gzip " + log + ".2").c_str()) == 0);  // keeps the mtime
    write_file(log + ".1", lines(11, 20));
    set_mtime(log + ".1", 200);
    write_file(log + ".3.gz", "older, and not even gzip");
    set_mtime(log + ".3.gz", 50);
    write_file(log, lines(21, 22));  // the live file: never part of the backlog
    const int live = ::open(log.c_str(), O_RDONLY);
    const Backlog found = find_backlog(log, "", saved, identify(live)->inode);
    ::close(live);
    CHECK(found.found);
    CHECK(names(found, dir.path) == std::vector<std::string>{"bot.log.2.gz", "bot.log.1"});
    REQUIRE(found.files.size() == 2);
    CHECK_FALSE(found.files[0].plain);
    CHECK(found.files[1].plain);
  }

  TEST_CASE("compressed with xz, bzip2 or lz4: found by content, read as compressed") {
    const struct {
      const char* command;  // compresses the file named after it, in place
      const char* suffix;
    } tools[] = {{"xz", ".xz"}, {"bzip2", ".bz2"}, {"lz4 -q -m --rm", ".lz4"}};
    for (const auto& tool : tools) {
      CAPTURE(std::string(tool.command));
      TempDir dir;
      const std::string log = dir.path + "/bot.log";
      write_file(log, lines(1, 10));
      set_mtime(log, 100);
      const Checkpoint saved = checkpoint_of(log, lines(1, 4).size());
      REQUIRE(std::rename(log.c_str(), (log + ".2").c_str()) == 0);
      REQUIRE(std::system((std::string(tool.command) + " " + log + ".2").c_str()) == 0);
      set_mtime(log + ".2" + tool.suffix, 100);
      write_file(log + ".1", lines(11, 20));
      set_mtime(log + ".1", 200);
      write_file(log, lines(21, 22));
      const int live = ::open(log.c_str(), O_RDONLY);
      const Backlog found = find_backlog(log, "", saved, identify(live)->inode);
      ::close(live);
      CHECK(found.found);
      CHECK(names(found, dir.path) ==
            std::vector<std::string>{"bot.log.2" + std::string(tool.suffix), "bot.log.1"});
      REQUIRE(found.files.size() == 2);
      CHECK_FALSE(found.files[0].plain);
    }
  }

  TEST_CASE("renamed into an olddir: found there by inode") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log", old = dir.path + "/old";
    REQUIRE(::mkdir(old.c_str(), 0755) == 0);
    write_file(log, lines(1, 3));
    const Checkpoint saved = checkpoint_of(log, 0);
    REQUIRE(std::rename(log.c_str(), (old + "/bot.log-20261128").c_str()) == 0);
    const Backlog without = find_backlog(log, "", saved, 0);
    CHECK_FALSE(without.found);
    const Backlog with = find_backlog(log, old, saved, 0);
    CHECK(with.found);
    CHECK(names(with, dir.path) == std::vector<std::string>{"old/bot.log-20261128"});
  }

  TEST_CASE("copytruncate: the copy is found by content; the truncated file is excluded") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    write_file(log, lines(1, 10));
    const Checkpoint saved = checkpoint_of(log, lines(1, 6).size());
    write_file(log + ".1", lines(1, 12));  // logrotate's copy, taken later
    write_file(log, lines(13, 14));        // truncated in place and written on
    const Backlog found = find_backlog(log, "", saved, saved.identity.inode);
    CHECK(found.found);
    CHECK(names(found, dir.path) == std::vector<std::string>{"bot.log.1"});
  }

  TEST_CASE("the checkpointed file deleted: what was rotated after the checkpoint, in order") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    write_file(log, lines(1, 10));
    set_mtime(log, 100);
    const Checkpoint saved = checkpoint_of(log, 22);
    REQUIRE(std::remove(log.c_str()) == 0);
    const struct {
      const char* name;
      int mtime;
    } files[] = {{"bot.log.4", 90}, {"bot.log.3", 150}, {"bot.log.2", 150}, {"bot.log.1", 300}};
    int n = 100;
    for (const auto& f : files) {
      write_file(dir.path + "/" + f.name, lines(n, n + 1));
      set_mtime(dir.path + "/" + f.name, f.mtime);
      n += 2;
    }
    const Backlog found = find_backlog(log, "", saved, 0);
    CHECK_FALSE(found.found);
    // Same mtime: logrotate's higher number is the older file.
    CHECK(names(found, dir.path) ==
          std::vector<std::string>{"bot.log.3", "bot.log.2", "bot.log.1"});
  }
}
