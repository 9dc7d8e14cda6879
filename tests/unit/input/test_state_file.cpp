// Tests of the state file (state_file.h): round trip, every way a state can be bad, and the
// paths a save must refuse; read faults through the syscall seam.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/input/state_file.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::TempDir;

namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::vector<Checkpoint> two_files() {
  return {Checkpoint{"/logs/bot.log", {11, 22, 64, 0xfeedbeefULL}, 12345, 1764322928123456789},
          Checkpoint{"/logs/odd%name\nx", {1, 2, 3, 4}, 5, 6}};
}

}  // namespace

TEST_SUITE("state_file") {
  TEST_CASE("save then load gives the same checkpoints; no temporary file is left") {
    TempDir dir;
    const auto saved = two_files();
    CHECK(save_state(dir.path + "/state", saved).empty());
    const LoadedState loaded = load_state(dir.path + "/state");
    CHECK(loaded.error.empty());
    CHECK(loaded.exists);
    REQUIRE(loaded.checkpoints.size() == 2);
    for (size_t i = 0; i < 2; ++i) {
      CAPTURE(i);
      const Checkpoint& a = saved[i];
      const Checkpoint& b = loaded.checkpoints[i];
      CHECK(a.path == b.path);
      CHECK(a.identity.device == b.identity.device);
      CHECK(a.identity.inode == b.identity.inode);
      CHECK(a.identity.fingerprint_size == b.identity.fingerprint_size);
      CHECK(a.identity.fingerprint == b.identity.fingerprint);
      CHECK(a.offset == b.offset);
      CHECK(a.mtime_ns == b.mtime_ns);
    }
    CHECK(::access((dir.path + "/state.tmp").c_str(), F_OK) != 0);
  }

  TEST_CASE("the format, written out by hand") {
    const std::vector<Checkpoint> one = {Checkpoint{"/a", {1, 2, 3, 4}, 5, 6}};
    const std::string body =
        "coinone-annotate state 2\nfile=/a\ndevice=1\ninode=2\nfingerprint_size=3\n"
        "fingerprint=4\noffset=5\nmtime_ns=6\n";
    const std::string text = format_state(one);
    REQUIRE(text.size() == body.size() + 26);
    CHECK(text.substr(0, body.size()) == body);
    CHECK(text.substr(body.size(), 9) == "checksum=");
    CHECK(text.back() == '\n');
  }

  TEST_CASE("no state file is not an error; an empty state is none") {
    TempDir dir;
    const LoadedState none = load_state(dir.path + "/state");
    CHECK_FALSE(none.exists);
    CHECK(none.error.empty());
    CHECK(save_state(dir.path + "/state", {}).empty());
    const LoadedState empty = load_state(dir.path + "/state");
    CHECK(empty.exists);
    CHECK(empty.error.empty());
    CHECK(empty.checkpoints.empty());
  }

  TEST_CASE("every bad state is refused with its reason") {
    TempDir dir;
    const std::string good = format_state(two_files());
    std::string flipped = good;
    flipped[good.find("offset=12345") + 7] = '4';  // offset=42345: the checksum no longer fits
    std::string torn = good;
    torn.replace(good.find("offset=12345"), 12, "offset=4");  // a torn write
    const struct {
      const char* name;
      std::string text;
      const char* error;
    } cases[] = {
        {"foreign", "hello\n", "not a coinone-annotate state file"},
        {"version 1", "coinone-annotate state 1\npath=/x\noffset=4\n",
         "written by another version of coinone-annotate (this one reads version 2)"},
        {"truncated", good.substr(0, good.size() / 2), "no checksum: the file is incomplete"},
        {"flipped", flipped, "wrong checksum: the file is damaged"},
        {"torn", torn, "wrong checksum: the file is damaged"},
        {"empty", "", "not a coinone-annotate state file"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      write_file(dir.path + "/state", c.text);
      const LoadedState loaded = load_state(dir.path + "/state");
      CHECK(loaded.error == c.error);
      CHECK(loaded.checkpoints.empty());
    }
  }

  TEST_CASE("an unknown line with a right checksum is refused too") {
    TempDir dir;
    std::string text = "coinone-annotate state 2\nfile=/a\ncolour=blue\n";
    text += fmt::format("checksum={:016x}\n", fingerprint_of(text));
    write_file(dir.path + "/state", text);
    CHECK(load_state(dir.path + "/state").error == "line 3: cannot read 'colour=blue'");
  }

  TEST_CASE("a state larger than the cap is refused without reading it") {
    TempDir dir;
    write_file(dir.path + "/state", std::string(kMaxStateBytes + 1, 'x'));
    CHECK(load_state(dir.path + "/state").error ==
          "1048577 bytes, more than a state file ever holds (1048576)");
  }

  TEST_CASE("a directory, a FIFO, a symbolic link: refused, never replaced") {
    TempDir dir;
    const std::string d = dir.path + "/dir", fifo = dir.path + "/fifo", link = dir.path + "/link";
    REQUIRE(::mkdir(d.c_str(), 0755) == 0);
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    write_file(dir.path + "/target", format_state({}));
    REQUIRE(::symlink("target", link.c_str()) == 0);
    CHECK(load_state(d).error == "Is a directory");
    CHECK(load_state(fifo).error == "not a regular file");  // and it did not block
    CHECK(save_state(d, {}) == d + ": Is a directory");
    CHECK(save_state(fifo, {}) == fifo + ": not a regular file");
    CHECK(save_state(link, {}) ==
          link + ": a symbolic link, which saving would replace: give its target");
    struct stat st {};
    REQUIRE(::lstat(link.c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(save_state("/nonexistent-dir/state", {}) ==
          "/nonexistent-dir/state.tmp: No such file or directory");
  }

  TEST_CASE("read faults: EIO is reported, EINTR is retried, a short read is not parsed") {
    TempDir dir;
    const std::string path = dir.path + "/state";
    REQUIRE(save_state(path, two_files()).empty());
    static int calls;
    static int fault;
    sys::Table fake = sys::real_table();
    fake.pread = [](int fd, void* buf, size_t count, off_t offset) -> ssize_t {
      if (calls++ == 0 && fault != 0) {
        errno = fault;
        return -1;
      }
      // Short reads: a few bytes at a time.
      return sys::real_table().pread(fd, buf, std::min<size_t>(count, 7), offset);
    };
    sys::ScopedTable scoped(fake);
    for (const int f : {0, EINTR, EIO}) {
      CAPTURE(f);
      calls = 0;
      fault = f;
      const LoadedState loaded = load_state(path);
      if (f == EIO) {
        CHECK(loaded.error == "cannot read it: Input/output error");
        CHECK(loaded.checkpoints.empty());
      } else {
        CHECK(loaded.error.empty());
        CHECK(loaded.checkpoints.size() == 2);
      }
    }
  }

  TEST_CASE("write faults: ENOSPC and EIO are reported; the old state stays whole") {
    TempDir dir;
    const std::string path = dir.path + "/state";
    REQUIRE(save_state(path, two_files()).empty());
    static int fault;
    sys::Table fake = sys::real_table();
    fake.write = [](int, const void*, size_t) -> ssize_t {
      errno = fault;
      return -1;
    };
    for (const int f : {ENOSPC, EIO}) {
      CAPTURE(f);
      fault = f;
      std::string error;
      {
        sys::ScopedTable scoped(fake);
        error = save_state(path, {});
      }
      CHECK(error == path + ".tmp: " + std::strerror(f));
      CHECK(::access((path + ".tmp").c_str(), F_OK) != 0);
      CHECK(load_state(path).checkpoints.size() == 2);
    }
  }
}
