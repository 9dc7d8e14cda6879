// Output: the corpus writer, which copies lines into 1 MiB blocks and writes each full block
// with one fwrite. A failed write prints "make_corpus: write failed: REASON" and exits with
// status 1. Does not own the FILE; close() flushes it but does not fclose it.
#pragma once
#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace corpus {

class Output {
 public:
  explicit Output(std::FILE* f) : f_(f), buf_(kBlock) {}

  void write(std::string_view v) {
    while (!v.empty()) {
      const std::size_t n = std::min(v.size(), kBlock - used_);
      std::memcpy(buf_.data() + used_, v.data(), n);
      used_ += n;
      v.remove_prefix(n);
      if (used_ == kBlock) flush();
    }
  }
  void flush() {
    if (used_ == 0) return;
    if (std::fwrite(buf_.data(), 1, used_, f_) != used_) fail();
    used_ = 0;
  }
  void close() {
    flush();
    if (std::fflush(f_) != 0) fail();
  }

  static constexpr std::size_t kBlock = std::size_t{1} << 20;

 private:
  [[noreturn]] static void fail() {
    std::fprintf(stderr, "make_corpus: write failed: %s\n", std::strerror(errno));
    std::exit(1);
  }

  std::FILE* f_;
  std::vector<char> buf_;
  std::size_t used_ = 0;
};

}  // namespace corpus
