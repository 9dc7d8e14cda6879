// Replays saved inputs through a fuzz target without libFuzzer (fmt's test/fuzzing/main.cc), so
// that each target's corpus runs as an ordinary test, under ASan and UBSan with any compiler.
//
//   replay_TARGET PATH...   each PATH a file, or a directory whose regular files are replayed
//                           (not recursively, in name order, dot files skipped)
//
// Each input runs in a child process, so that one failing input (a check that aborts, a
// sanitizer report, a leak found at the child's exit) does not hide the others: every failing
// file is named at the end. REPLAY_NO_FORK=1 runs them in this process instead (for a debugger).
// Exit status: 0 when every input passed, 1 when some failed, 2 on a missing or unreadable path
// or when no input was found at all (an empty corpus is a mistake).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

bool collect(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (entry.is_regular_file(ec)) found.push_back(entry.path());
    }
    if (ec) {
      std::fprintf(stderr, "replay: %s: %s\n", path.c_str(), ec.message().c_str());
      return false;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
    return true;
  }
  if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
    return true;
  }
  std::fprintf(stderr, "replay: %s: not a file or directory\n", path.c_str());
  return false;
}

enum class Outcome { kPassed, kFailed, kUnreadable };

void run_one(const std::vector<char>& bytes) {
  // A copy of exactly the input's size, so that ASan reports a read past its end.
  std::vector<uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.data(), data.size());
}

Outcome replay(const fs::path& file, bool fork_each) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: %s: cannot open\n", file.c_str());
    return Outcome::kUnreadable;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  if (!fork_each) {
    // In-process, a crash ends the replay: say first which input it was.
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), bytes.size());
    std::fflush(stderr);
    run_one(bytes);
    return Outcome::kPassed;
  }
  const pid_t child = ::fork();
  if (child < 0) {
    std::perror("replay: fork");
    return Outcome::kFailed;
  }
  std::fflush(stderr);  // nothing buffered is written twice by the child
  if (child == 0) {
    run_one(bytes);
    std::exit(0);  // exit(), not _exit(): LeakSanitizer checks at exit
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      std::perror("replay: waitpid");
      return Outcome::kFailed;
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Outcome::kPassed;
  std::fprintf(stderr, "replay: FAILED %s (%s %d)\n", file.c_str(),
               WIFSIGNALED(status) ? "signal" : "exit status",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
  return Outcome::kFailed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> files;
  bool paths_ok = true;
  for (int i = 1; i < argc; ++i) paths_ok = collect(argv[i], files) && paths_ok;
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs found\n");
    return 2;
  }
  const char* no_fork = std::getenv("REPLAY_NO_FORK");
  const bool fork_each = no_fork == nullptr || std::string(no_fork) != "1";
  std::vector<fs::path> failed;
  for (const auto& file : files) {
    switch (replay(file, fork_each)) {
      case Outcome::kPassed:
        break;
      case Outcome::kFailed:
        failed.push_back(file);
        break;
      case Outcome::kUnreadable:
        paths_ok = false;
        break;
    }
  }
  std::fprintf(stderr, "replay: %zu inputs, %zu failed\n", files.size(), failed.size());
  for (const auto& file : failed) std::fprintf(stderr, "replay: failed: %s\n", file.c_str());
  if (!failed.empty()) return 1;
  return paths_ok ? 0 : 2;
}
