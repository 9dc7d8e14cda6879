#include "coinone_annotate/input/bzip2_source.h"

#include <bzlib.h>

#include <algorithm>
#include <new>
#include <string_view>
#include <utility>

namespace coinone {

namespace {

constexpr size_t kInputSize = 128 * 1024;
constexpr std::string_view kMagic = "BZh";  // then the block size, '1' to '9'
constexpr size_t kMagicSize = 4;

// Whether `head`, at most 4 bytes, is the beginning of a stream's magic.
bool begins_magic(std::string_view head) {
  for (size_t i = 0; i < head.size(); ++i) {
    const bool fits = i < kMagic.size() ? head[i] == kMagic[i] : head[i] >= '1' && head[i] <= '9';
    if (!fits) return false;
  }
  return true;
}

}  // namespace

struct Bzip2Source::Stream {
  bz_stream bz{};
};

Bzip2Source::Bzip2Source(std::unique_ptr<Source> raw)
    : CodecSource(std::move(raw), "bzip2", kInputSize), stream_(std::make_unique<Stream>()) {
  if (BZ2_bzDecompressInit(&stream_->bz, 0, 0) != BZ_OK) throw std::bad_alloc();
}

Bzip2Source::~Bzip2Source() { BZ2_bzDecompressEnd(&stream_->bz); }

void Bzip2Source::restart() {
  BZ2_bzDecompressEnd(&stream_->bz);
  stream_->bz = bz_stream{};
  if (BZ2_bzDecompressInit(&stream_->bz, 0, 0) != BZ_OK) throw std::bad_alloc();
  between_ = false;
}

// A stream just ended: true when another one begins in `in` (and has been started).
bool Bzip2Source::start_next_stream(std::span<const char> in, bool input_ended) {
  const std::string_view head(in.data(), std::min(in.size(), kMagicSize));
  if (head.empty()) {
    if (input_ended) finish();
    return false;  // wait for input, or done
  }
  if (!begins_magic(head)) {
    fail("trailing garbage after", offset());
    return false;
  }
  if (head.size() < kMagicSize) return false;  // more input, or truncated at its end
  restart();
  return true;
}

CodecSource::Progress Bzip2Source::decode(std::span<const char> in, std::span<char> out,
                                          bool input_ended) {
  if (between_ && !start_next_stream(in, input_ended)) return {};
  bz_stream& s = stream_->bz;
  s.next_in = const_cast<char*>(in.data());  // libbz2's API is not const-correct; it only reads
  s.avail_in = static_cast<unsigned>(in.size());
  s.next_out = out.data();
  s.avail_out = static_cast<unsigned>(std::min<size_t>(out.size(), 1u << 30));
  const int status = BZ2_bzDecompress(&s);
  Progress step{in.size() - s.avail_in, static_cast<size_t>(s.next_out - out.data())};
  if (status == BZ_STREAM_END) {
    between_ = true;  // libbz2 stops at the stream's last byte and has written all of it
    step.advanced = true;
  } else if (status == BZ_MEM_ERROR) {
    throw std::bad_alloc();
  } else if (status != BZ_OK) {  // data errors, and the magic checked again by libbz2
    fail("corrupt", offset() + step.consumed);
  }
  return step;
}

}  // namespace coinone
