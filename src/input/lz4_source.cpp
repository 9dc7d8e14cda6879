#include "coinone_annotate/input/lz4_source.h"

#include <lz4frame.h>

#include <algorithm>
#include <new>
#include <utility>

namespace coinone {

namespace {

// A whole block of the lz4 tool's default size, compressed at a log's usual ratio, fits: liblz4
// then decodes from this buffer without copying the block into its own first.
constexpr size_t kInputSize = 1024 * 1024;

}  // namespace

void Lz4Source::FreeDctx::operator()(LZ4F_dctx_s* dctx) const {
  LZ4F_freeDecompressionContext(dctx);
}

Lz4Source::Lz4Source(std::unique_ptr<Source> raw) : CodecSource(std::move(raw), "lz4", kInputSize) {
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) throw std::bad_alloc();
  dctx_.reset(dctx);
}

Lz4Source::~Lz4Source() = default;

// One step of the format per call (lz4_steps.h says why), and no input at all while liblz4 still
// has output of an earlier block to flush: a failing call gives back nothing it wrote.
CodecSource::Progress Lz4Source::decode(std::span<const char> in, std::span<char> out,
                                        bool input_ended) {
  // A full output at the very end of a frame leaves nothing to flush: a call without input would
  // start the next frame and ask for its header, and the end of input would look truncated.
  const bool flush = output_pending() && !frame_done_;
  const size_t give = flush ? 0 : std::min(steps_.left(), in.size());
  if (give == 0 && !flush) {
    if (input_ended && frame_done_) finish();
    return {};  // more input, or truncated
  }
  size_t written = out.size();
  size_t consumed = give;
  const size_t hint =
      LZ4F_decompress(dctx_.get(), out.data(), &written, in.data(), &consumed, nullptr);
  if (LZ4F_isError(hint)) {
    fail("corrupt", steps_.start());
    return {};
  }
  steps_.consume(in.first(consumed), offset() + consumed);
  frame_done_ = hint == 0;
  // liblz4 waits for a whole frame header before it looks at the magic; four bytes are enough to
  // know that garbage follows the last frame.
  if (steps_.gave_up()) fail("corrupt", steps_.start());
  return Progress{consumed, written};
}

}  // namespace coinone
