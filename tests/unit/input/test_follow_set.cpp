// Tests of FollowSet (follow_set.h): several files and globs, whole lines only, the "FILE:"
// prefix, new files, and one state file for all. As in test_follow_source.cpp, each case writes
// the files first and then reads exactly the bytes it expects (a read past them would wait).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "coinone_annotate/input/follow_set.h"
#include "coinone_annotate/input/state_file.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::TempDir;

namespace {

void append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::app) << text;
}

std::string read_exactly(FollowSet& set, size_t size, size_t buffer_size = 4096) {
  std::string out;
  std::vector<char> buffer(buffer_size);
  while (out.size() < size) {
    const ReadResult got = set.read({buffer.data(), buffer.size()});
    REQUIRE(got.error == 0);
    REQUIRE((got.size > 0 || got.wake));
    out.append(buffer.data(), got.size);
    set.checkpoint(0);
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start + 1));
  return lines;
}

FollowSetOptions options(std::vector<std::string> patterns, std::string state, bool prefix) {
  FollowSetOptions o;
  o.patterns = std::move(patterns);
  o.state_path = std::move(state);
  o.with_filename = prefix;
  return o;
}

}  // namespace

TEST_SUITE("follow_set") {
  TEST_CASE("is_glob") {
    const struct {
      const char* pattern;
      bool glob;
    } cases[] = {{"a.log", false}, {"logs/*.log", true}, {"a?.log", true}, {"[ab].log", true}};
    for (const auto& c : cases) {
      CAPTURE(c.pattern);
      CHECK(is_glob(c.pattern) == c.glob);
    }
  }

  TEST_CASE("partial lines of one file never split another's: whole lines with prefixes") {
    TempDir dir;
    const std::string a = dir.path + "/a.log", b = dir.path + "/b.log";
    append(a, "");
    append(b, "");
    FollowSet set(options({dir.path + "/*.log"}, dir.path + "/state", true));
    REQUIRE(set.start_error().empty());
    CHECK(set.files().size() == 2);
    append(a, "a1\na2 part");  // a2 is not finished
    append(b, "b1\n");
    const std::string first = read_exactly(set, (a + ":a1\n").size() + (b + ":b1\n").size());
    std::vector<std::string> got = split_lines(first);
    std::sort(got.begin(), got.end());
    CHECK(got == std::vector<std::string>{a + ":a1\n", b + ":b1\n"});
    append(a, " end\n");
    CHECK(read_exactly(set, (a + ":a2 part end\n").size()) == a + ":a2 part end\n");
  }

  TEST_CASE("a line longer than the buffer goes out in pieces, prefix once, file alone") {
    TempDir dir;
    const std::string a = dir.path + "/a.log";
    append(a, "");
    FollowSet set(options({a}, "", true));
    const std::string line(300, 'x');
    append(a, line + "\n");
    CHECK(read_exactly(set, a.size() + 1 + line.size() + 1, 64) == a + ":" + line + "\n");
  }

  TEST_CASE("a file that matches the glob later is read from its start") {
    TempDir dir;
    append(dir.path + "/a.log", "old line\n");
    FollowSet set(options({dir.path + "/*.log"}, "", false));
    REQUIRE(set.files().size() == 1);
    append(dir.path + "/b.log", "first\nsecond\n");
    CHECK(read_exactly(set, 13) == "first\nsecond\n");
    const auto notes = set.take_notes();
    CHECK(std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
      return n.find("new file") != std::string::npos;
    }));
  }

  TEST_CASE("one state file holds every file's checkpoint, without the prefixes") {
    TempDir dir;
    const std::string a = dir.path + "/a.log", b = dir.path + "/b.log";
    const std::string state = dir.path + "/state";
    append(a, "");
    append(b, "");
    {
      FollowSet set(options({a, b}, state, true));
      append(a, "aaa\n");
      append(b, "bb\n");
      read_exactly(set, a.size() + 5 + b.size() + 4);
      CHECK(set.save_state().empty());
    }
    const LoadedState loaded = load_state(state);
    REQUIRE(loaded.error.empty());
    REQUIRE(loaded.checkpoints.size() == 2);
    for (const Checkpoint& cp : loaded.checkpoints) {
      CAPTURE(cp.path);
      CHECK(cp.offset == (cp.path == a ? 4u : 3u));
    }
    // The restart goes on where each file stopped.
    append(a, "a2\n");
    append(b, "b2\n");
    FollowSet again(options({a, b}, state, false));
    REQUIRE(again.start_error().empty());
    std::vector<std::string> got = split_lines(read_exactly(again, 6));
    std::sort(got.begin(), got.end());
    CHECK(got == std::vector<std::string>{"a2\n", "b2\n"});
  }

  TEST_CASE("unconsumed bytes are mapped back to their files, prefixes left out") {
    TempDir dir;
    const std::string a = dir.path + "/a.log";
    const std::string state = dir.path + "/state";
    append(a, "");
    FollowSet set(options({a}, state, true));
    append(a, "one\ntwo\n");
    std::vector<char> buffer(4096);
    const ReadResult got = set.read({buffer.data(), buffer.size()});
    REQUIRE(got.size == 2 * (a.size() + 1) + 8);
    set.checkpoint(a.size() + 1 + 4);  // "PATH:two\n" not written yet
    REQUIRE(set.save_state().empty());
    const LoadedState loaded = load_state(state);
    REQUIRE(loaded.checkpoints.size() == 1);
    CHECK(loaded.checkpoints[0].offset == 4);
  }

  TEST_CASE("the per-file line counts name kMaxFileLabels files at most, the rest as (other)") {
    TempDir dir;
    const size_t files = FollowSet::kMaxFileLabels + 3;
    for (size_t i = 0; i < files; ++i)
      append(dir.path + "/" + std::to_string(100 + i) + ".log", "");
    FollowSet set(options({dir.path + "/*.log"}, "", false));
    REQUIRE(set.files().size() == files);
    for (size_t i = 0; i < files; ++i)
      append(dir.path + "/" + std::to_string(100 + i) + ".log", "l\n");
    read_exactly(set, 2 * files);
    const auto counts = set.lines_by_file();
    CHECK(counts.size() == FollowSet::kMaxFileLabels + 1);
    uint64_t total = 0, other = 0;
    for (const auto& [file, lines] : counts) {
      total += lines;
      if (file == "(other)") other = lines;
    }
    CHECK(total == files);
    CHECK(other == 3);
  }
}
