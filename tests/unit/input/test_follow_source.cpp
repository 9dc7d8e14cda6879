// Tests of FollowSource (follow_source.h): rotation by rename, several rotations before the
// follower gets there, copytruncate, and resuming from a state file. The follower runs on this
// thread and sees nothing until read() is called, so each case sets the files up first and then
// reads exactly the bytes it expects (a read past them would wait for the file to change).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "coinone_annotate/input/follow_source.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::TempDir;

namespace {

void append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::app) << text;
}

void rename_file(const std::string& from, const std::string& to) {
  REQUIRE(std::rename(from.c_str(), to.c_str()) == 0);
}

FollowOptions follow(const std::string& path, const std::string& state) {
  FollowOptions options;
  options.path = path;
  options.state_path = state;
  return options;
}

// Reads until `size` bytes have come (never more: a further read would wait for the file).
std::string read_exactly(FollowSource& source, size_t size) {
  std::string out;
  std::vector<char> buffer(4096);
  while (out.size() < size) {
    const size_t want = std::min(buffer.size(), size - out.size());
    const ReadResult got = source.read({buffer.data(), want});
    REQUIRE(got.error == 0);
    REQUIRE((got.size > 0 || got.wake));
    out.append(buffer.data(), got.size);
  }
  return out;
}

std::string lines(int from, int to) {
  std::string text;
  for (int n = from; n <= to; ++n) text += "line " + std::to_string(n) + " error_code=103\n";
  return text;
}

// Reads as many bytes as lines(from, to) holds.
std::string read_lines(FollowSource& source, int from, int to) {
  return read_exactly(source, lines(from, to).size());
}

}  // namespace

TEST_SUITE("follow_source") {
  TEST_CASE("rename rotation: the rest of the old file, then the new one from its start") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    append(log, lines(1, 10));
    FollowSource source(follow(log, dir.path + "/state"));  // a new state: from the start
    CHECK(read_lines(source, 1, 10) == lines(1, 10));
    append(log, lines(11, 12));  // written just before the rename
    rename_file(log, log + ".1");
    append(log, lines(13, 20));
    CHECK(read_lines(source, 11, 20) == lines(11, 20));
  }

  TEST_CASE("two rotations before the follower looks: the file in between is read too") {
    // Regression: a fast writer rotated twice while the follower was behind; the follower went
    // from the first file straight to the third and lost the second (the rotation torture of
    // tests/e2e/follow_torture.py lost 250 lines this way on a busy CI machine).
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    append(log, lines(1, 5));
    FollowSource source(follow(log, dir.path + "/state"));
    CHECK(read_lines(source, 1, 5) == lines(1, 5));
    append(log, lines(6, 7));
    rename_file(log, log + ".1");
    append(log, lines(8, 15));
    rename_file(log, log + ".2");
    append(log, lines(16, 20));
    rename_file(log, log + ".3");
    append(log, lines(21, 25));
    CHECK(read_lines(source, 6, 25) == lines(6, 25));
    append(log, lines(26, 26));  // and it goes on following the name
    CHECK(read_lines(source, 26, 26) == lines(26, 26));
  }

  TEST_CASE("a rotated file compressed away before the follower got to it is skipped") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    append(log, lines(1, 5));
    FollowSource source(follow(log, dir.path + "/state"));
    CHECK(read_lines(source, 1, 5) == lines(1, 5));
    rename_file(log, log + ".1");
    append(log, lines(6, 8));
    rename_file(log, log + ".2");
    REQUIRE(std::remove((log + ".2").c_str()) == 0);  // gone, like a compressed rotation
    append(log, lines(9, 10));
    CHECK(read_lines(source, 9, 10) == lines(9, 10));
  }

  TEST_CASE("copytruncate: a file shorter than what was read is read again from its start") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    append(log, lines(1, 10));
    FollowSource source(follow(log, dir.path + "/state"));
    CHECK(read_lines(source, 1, 10) == lines(1, 10));
    REQUIRE(::truncate(log.c_str(), 0) == 0);
    append(log, lines(11, 12));
    CHECK(read_lines(source, 11, 12) == lines(11, 12));
  }

  TEST_CASE("a restart resumes at the checkpoint, also in a file rotated meanwhile") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    const std::string state = dir.path + "/state";
    append(log, lines(1, 10));
    {
      FollowSource source(follow(log, state));
      CHECK(read_lines(source, 1, 10) == lines(1, 10));
      source.checkpoint(lines(6, 10).size());  // lines 6-10 not written out yet
      CHECK(source.save_state().empty());
    }
    append(log, lines(11, 12));
    rename_file(log, log + ".1");
    append(log, lines(13, 14));
    FollowSource resumed(follow(log, state));
    const auto notes = resumed.take_notes();
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find("resuming at byte 110 of " + log + ".1, then 0 file(s)") !=
          std::string::npos);
    CHECK(read_lines(resumed, 6, 14) == lines(6, 14));
  }

  TEST_CASE("-n N: N lines before the end, like tail -n N -F") {
    const struct {
      uint64_t n;
      int first;
    } cases[] = {{1, 10}, {3, 8}, {10, 1}, {20, 1}};
    for (const auto& c : cases) {
      CAPTURE(c.n);
      TempDir dir;
      const std::string log = dir.path + "/bot.log";
      append(log, lines(1, 10));
      FollowOptions options = follow(log, "");
      options.lines = c.n;
      FollowSource source(options);
      CHECK(read_lines(source, c.first, 10) == lines(c.first, 10));
      append(log, lines(11, 11));
      CHECK(read_lines(source, 11, 11) == lines(11, 11));
    }
  }

  TEST_CASE("a saved offset that is not at a line start is refused at the start") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log", state = dir.path + "/state";
    append(log, lines(1, 10));
    {
      FollowSource source(follow(log, state));
      CHECK(read_lines(source, 1, 10) == lines(1, 10));
      source.checkpoint(lines(6, 10).size() + 4);  // 4 bytes before line 5 ends: torn
      CHECK(source.save_state().empty());
    }
    FollowSource resumed(follow(log, state));
    CHECK(resumed.start_error() ==
          state + ": offset 106 of " + log + " is not at a line start: not its state");
  }

  TEST_CASE("two rotations while behind, the middle file compressed: read through gzip") {
    TempDir dir;
    const std::string log = dir.path + "/bot.log";
    append(log, lines(1, 5));
    FollowSource source(follow(log, dir.path + "/state"));
    CHECK(read_lines(source, 1, 5) == lines(1, 5));
    append(log, lines(6, 7));
    rename_file(log, log + ".2");  // logrotate's numbering: .2 is the older
    append(log, lines(8, 15));
    rename_file(log, log + ".1");
    REQUIRE(std::system(("gzip " + log + ".1").c_str()) == 0);  // compress, no delaycompress
    append(log, lines(16, 20));
    CHECK(read_lines(source, 6, 20) == lines(6, 20));
  }
}
