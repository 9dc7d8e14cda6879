#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "coinone_annotate/base/replace_file.h"
#include "coinone_annotate/base/syscalls.h"

using namespace coinone;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char name[] = "/tmp/coinone-replace-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  size_t entries() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(path)) ++n;
    return n;
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_SUITE("replace_file") {
  TEST_CASE("writes a new file, then replaces it by rename: an old link keeps the old text") {
    TempDir dir;
    const std::string path = dir.path + "/report.txt";
    CHECK(replace_file(path, "first\n").empty());
    CHECK(slurp(path) == "first\n");
    REQUIRE(::link(path.c_str(), (dir.path + "/old").c_str()) == 0);
    CHECK(replace_file(path, "second\n").empty());
    CHECK(slurp(path) == "second\n");
    CHECK(slurp(dir.path + "/old") == "first\n");  // rewritten in place, it would say second
    CHECK(dir.entries() == 2);                     // no temporary file left
  }

  TEST_CASE("failures name the path and leave nothing behind") {
    TempDir dir;
    CHECK(replace_file(dir.path + "/none/report.txt", "x") ==
          dir.path + "/none/report.txt: " + std::strerror(ENOENT));
    CHECK(replace_file(dir.path, "x") == dir.path + ": " + std::strerror(EISDIR));
    sys::Table full = sys::real_table();
    full.write = [](int, const void*, size_t) -> ssize_t {
      errno = ENOSPC;
      return -1;
    };
    {
      sys::ScopedTable scoped(full);
      CHECK(replace_file(dir.path + "/report.txt", "x") ==
            dir.path + "/report.txt: " + std::strerror(ENOSPC));
    }
    CHECK(dir.entries() == 0);
  }
}
