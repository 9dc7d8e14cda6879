// Test doubles shared by the unit tests: a source over a string with a fixed read size, a sink
// that records every call, a descriptor whose written bytes can be read back, and a temporary
// directory removed with its contents.
#pragma once
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "coinone_annotate/input/source.h"
#include "coinone_annotate/output/sink.h"

namespace coinone::testing {

// Hands out `data` at most `chunk` bytes per read.
class StringSource final : public Source {
 public:
  StringSource(std::string data, size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
  ReadResult read(std::span<char> buffer) override {
    const size_t n = std::min({chunk_, buffer.size(), data_.size() - at_});
    std::copy_n(data_.data() + at_, n, buffer.data());
    at_ += n;
    return {n, 0, {}};
  }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  size_t chunk_;
  size_t at_ = 0;
  std::string name_ = "test";
};

// Records the calls; text() rebuilds the stream with annotations as "<CODES>" before terminators.
class RecordingSink final : public Sink {
 public:
  struct Call {
    char kind;  // 'p' passthrough, 'c' line piece, 'e' line end
    std::string bytes;
    std::string terminator;
    std::vector<std::string> codes;
    size_t more = 0;
  };
  void passthrough(std::string_view b) override {
    calls.push_back({'p', std::string(b), {}, {}, 0});
  }
  void line_piece(std::string_view b) override {
    calls.push_back({'c', std::string(b), {}, {}, 0});
  }
  void line_end(std::string_view rest, std::string_view term, const Verdict& v) override {
    Call call{'e', std::string(rest), std::string(term), {}, v.more};
    for (const auto& shown : v.shown) call.codes.emplace_back(shown.digits);
    calls.push_back(std::move(call));
  }
  void flush() override { ++flushes; }
  bool failed() const override { return false; }

  std::string text() const {
    std::string out;
    for (const auto& call : calls) {
      out += call.bytes;
      if (call.kind == 'e') {
        for (const auto& code : call.codes) out += "<" + code + ">";
        if (call.more != 0) out += "<+" + std::to_string(call.more) + ">";
        out += call.terminator;
      }
    }
    return out;
  }
  std::vector<Call> calls;
  int flushes = 0;
};

// An in-memory file: write to fd(), then read everything back with contents().
class MemoryFd {
 public:
  MemoryFd() : fd_(::memfd_create("coinone-test", 0)) {}
  ~MemoryFd() { ::close(fd_); }
  MemoryFd(const MemoryFd&) = delete;
  MemoryFd& operator=(const MemoryFd&) = delete;
  int fd() const { return fd_; }
  std::string contents() const {
    std::string out;
    char buf[4096];
    for (off_t at = 0;;) {
      const ssize_t n = ::pread(fd_, buf, sizeof buf, at);
      if (n <= 0) return out;
      out.append(buf, static_cast<size_t>(n));
      at += n;
    }
  }

 private:
  int fd_;
};

// A fresh directory under /tmp, removed with everything in it at the end of the scope.
struct TempDir {
  std::string path;
  TempDir() {
    char name[] = "/tmp/coinone-test-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace coinone::testing
