#include "coinone_annotate/input/zstd_source.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <new>
#include <string>
#include <utility>

namespace coinone {

void ZstdSource::FreeDCtx::operator()(ZSTD_DCtx_s* dctx) const { ZSTD_freeDCtx(dctx); }

ZstdSource::ZstdSource(std::unique_ptr<Source> raw)
    : raw_(std::move(raw)),
      dctx_(ZSTD_createDCtx()),
      // libzstd's recommended size: one whole block plus its header, so a block in the buffer
      // decodes straight from it without a copy into libzstd's own input buffer.
      input_(std::make_unique<char[]>(ZSTD_DStreamInSize())),
      input_size_(ZSTD_DStreamInSize()) {
  if (!dctx_) throw std::bad_alloc();
}

ZstdSource::~ZstdSource() = default;

ReadResult ZstdSource::read(std::span<char> buffer) {
  size_t produced = 0;
  while (produced < buffer.size() && !ended_) {
    if (held() == 0 && !output_pending_) {
      // Hand out what we have rather than wait on raw with output in hand.
      if (produced > 0) break;
      const Fill filled = fill();
      if (filled == Fill::kWake) return ReadResult{0, 0, {}, true};
      if (filled == Fill::kEnded) continue;
    }
    produced += decompress_into(buffer.subspan(produced));
  }
  if (produced > 0) return ReadResult{produced, 0, {}};
  return end_;
}

// Reads more compressed input into the emptied buffer (fill() is only called once every held
// byte is consumed). At the end of raw input, ends the stream. A wake (follow mode's signal) is
// passed up as it is: nothing came, nothing ended.
ZstdSource::Fill ZstdSource::fill() {
  input_offset_ += input_end_;
  input_begin_ = 0;
  input_end_ = 0;
  ReadResult got = raw_->read({input_.get(), input_size_});
  if (got.size > 0) {
    input_end_ = got.size;
    return Fill::kBytes;
  }
  if (got.wake) return Fill::kWake;
  if (got.error != 0 || !got.message.empty()) {
    ended_ = true;
    end_ = std::move(got);
  } else if (hint_ != 0) {
    end("truncated", consumed_offset());
  } else {
    ended_ = true;  // clean end after the last frame
    end_ = ReadResult{};
  }
  return Fill::kEnded;
}

// Runs libzstd over the held input into out. Returns the bytes written, which are handed out
// even when a fault follows them.
//
// libzstd gets one step of the stream per call (ZstdSteps), and no input at all while it still
// has output to flush, because ZSTD_decompressStream() reports a fault without updating in.pos or
// out.pos: the bytes it wrote earlier in the failing call would be lost to us, and its position
// would be that of the call's start. Fed a whole 128 KiB buffer per call, a bad block swallowed
// the good blocks decoded before it in the same call, and N pointed up to 128 KiB early. Stepping
// costs two calls per block (128 KiB of output), too few to show in the figures of decompress.h.
size_t ZstdSource::decompress_into(std::span<char> out) {
  const size_t give = output_pending_ ? 0 : std::min(steps_.left(), held());
  const char* const next_in = input_.get() + input_begin_;
  ZSTD_inBuffer in{next_in, give, 0};
  ZSTD_outBuffer dst{out.data(), out.size(), 0};
  const size_t hint = ZSTD_decompressStream(dctx_.get(), &dst, &in);
  if (ZSTD_isError(hint)) {
    end("corrupt", steps_.start());
    return dst.pos;  // as far as libzstd updated it before failing, which may be not at all
  }
  input_begin_ += in.pos;
  steps_.consume({next_in, in.pos}, consumed_offset());
  // A full output may mean more is waiting, unless the frame is complete and flushed (hint 0):
  // a call then would start the next frame with no input and ask for its header.
  output_pending_ = dst.pos == dst.size && hint != 0;
  hint_ = hint;
  return dst.pos;
}

void ZstdSource::end(const char* what, uint64_t offset) {
  ended_ = true;
  end_ = ReadResult{0, 0,
                    std::string(what) + " zstd data at compressed byte " + std::to_string(offset)};
}

}  // namespace coinone
