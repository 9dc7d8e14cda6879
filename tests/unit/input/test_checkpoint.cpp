#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "coinone_annotate/input/checkpoint.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::TempDir;

namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

TEST_SUITE("checkpoint") {
  TEST_CASE("save then load gives the same checkpoint; no temporary file is left") {
    TempDir dir;
    Checkpoint cp{"/logs/bot.log", {11, 22, 64, 0xfeedbeefULL}, 12345};
    CHECK(save_checkpoint(dir.path + "/state", cp).empty());
    const LoadedCheckpoint loaded = load_checkpoint(dir.path + "/state");
    REQUIRE(loaded.checkpoint);
    CHECK(loaded.checkpoint->path == cp.path);
    CHECK(loaded.checkpoint->identity.device == 11);
    CHECK(loaded.checkpoint->identity.inode == 22);
    CHECK(loaded.checkpoint->identity.fingerprint_size == 64);
    CHECK(loaded.checkpoint->identity.fingerprint == 0xfeedbeefULL);
    CHECK(loaded.checkpoint->offset == 12345);
    CHECK(::access((dir.path + "/state.tmp").c_str(), F_OK) != 0);
  }

  TEST_CASE("no state file is not an error; a foreign or damaged one is") {
    TempDir dir;
    const LoadedCheckpoint none = load_checkpoint(dir.path + "/state");
    CHECK_FALSE(none.checkpoint);
    CHECK(none.error.empty());
    write_file(dir.path + "/foreign", "hello\n");
    CHECK(load_checkpoint(dir.path + "/foreign").error == "not a coinone-annotate state file");
    write_file(dir.path + "/damaged", "coinone-annotate state 1\noffset=12x\n");
    CHECK(load_checkpoint(dir.path + "/damaged").error.find("line 2") != std::string::npos);
  }

  TEST_CASE("a saving failure names the file and the reason") {
    const std::string error = save_checkpoint("/nonexistent-dir/state", Checkpoint{});
    CHECK(error == "/nonexistent-dir/state.tmp: No such file or directory");
  }

  TEST_CASE("identity: a reused inode with other first bytes does not match") {
    TempDir dir;
    const std::string path = dir.path + "/bot.log";
    write_file(path, "first content of the file\n");
    int fd = ::open(path.c_str(), O_RDONLY);
    const auto id = identify(fd);
    REQUIRE(id);
    CHECK(id->fingerprint_size == 26);
    CHECK(matches(fd, *id));
    ::close(fd);
    write_file(path, "other content, same inode\n");  // truncated and rewritten in place
    fd = ::open(path.c_str(), O_RDONLY);
    const auto again = identify(fd);
    CHECK(again->same_inode(*id));
    CHECK_FALSE(matches(fd, *id));
    ::close(fd);
  }

  TEST_CASE("identity: a file that grew still matches its saved prefix") {
    TempDir dir;
    const std::string path = dir.path + "/bot.log";
    write_file(path, "short\n");
    int fd = ::open(path.c_str(), O_RDONLY);
    const auto id = identify(fd);
    ::close(fd);
    std::ofstream(path, std::ios::app) << std::string(200, 'x') << "\n";
    fd = ::open(path.c_str(), O_RDONLY);
    CHECK(matches(fd, *id));
    ::close(fd);
  }
}
