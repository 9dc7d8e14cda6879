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
