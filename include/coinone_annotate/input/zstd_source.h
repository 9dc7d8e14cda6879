// ZstdSource: the decompressed bytes of a zstd stream read from another source, via libzstd's
// streaming decoder (ZSTD_decompressStream).
//
// Contract:
//  - Frames: any number of frames back to back (`cat a.zst b.zst`), skippable frames included,
//    are decoded one after the other, as `zstd -dc` does; libzstd checks each frame's content
//    checksum when the frame carries one (the zstd tool writes one by default).
//  - Anything after the last frame that is not a frame, zero bytes included, is corrupt data, as
//    it is for `zstd -dc` ("unsupported format", exit status 1); the first bytes of a magic with
//    nothing after them are truncated data (zstd -dc: "unknown header").
//  - Faults: every byte decoded before a fault is handed out first; then read() returns a result
//    with size 0, error 0 and one of the messages
//      "corrupt zstd data at compressed byte N"    libzstd rejected the data (bad frame header,
//                                                   bad block, checksum mismatch, a window larger
//                                                   than the 128 MiB limit zstd -d also applies);
//      "truncated zstd data at compressed byte N"  the input ended inside a frame.
//    N is a 0-based offset in the compressed input: where the step of the format that libzstd
//    rejected begins (ZstdSteps): the block's content (just after its 3-byte header) for a bad
//    block, the 4-byte checksum for a checksum mismatch, the block header, the frame header
//    descriptor or the frame's first byte for a bad header or magic (trailing garbage included).
//    libzstd checks a block as a whole, so N cannot be closer than that. For truncation N is the
//    length of the input, where more bytes were expected.
//  - A failure of the raw source (its errno) is returned as it is, once the bytes decoded before
//    it are handed out.
//  - The outcome that ends the stream is sticky: every later read() returns it again.
//  - read() reads the raw source only when it has nothing decoded to return, so it never waits for
//    input while holding output. A wake from raw (follow mode) is returned as it is.
//
// Ownership: owns the raw source, a 128 KiB input buffer and a ZSTD_DCtx: 94 KiB, plus the
// frame's window once decoding (2.5 MiB in all for a zstd -3 frame of a large file; at most the
// 128 MiB limit). Not copyable.
// Threads: one reader at a time, like every Source.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "coinone_annotate/input/source.h"
#include "coinone_annotate/input/zstd_steps.h"

struct ZSTD_DCtx_s;  // libzstd's ZSTD_DCtx, from <zstd.h>; kept out of this header

namespace coinone {

class ZstdSource final : public Source {
 public:
  // raw must deliver the zstd stream from its first byte (the 28 b5 2f fd magic).
  explicit ZstdSource(std::unique_ptr<Source> raw);
  ~ZstdSource() override;
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  ReadResult read(std::span<char> buffer) override;
  const std::string& name() const override { return raw_->name(); }

 private:
  struct FreeDCtx {
    void operator()(ZSTD_DCtx_s* dctx) const;
  };

  enum class Fill { kBytes, kEnded, kWake };

  Fill fill();
  size_t decompress_into(std::span<char> out);
  void end(const char* what, uint64_t offset);
  uint64_t consumed_offset() const { return input_offset_ + input_begin_; }
  size_t held() const { return input_end_ - input_begin_; }

  std::unique_ptr<Source> raw_;
  std::unique_ptr<ZSTD_DCtx_s, FreeDCtx> dctx_;
  std::unique_ptr<char[]> input_;
  size_t input_size_;
  size_t input_begin_ = 0;  // input_[input_begin_, input_end_) is read but not yet consumed
  size_t input_end_ = 0;
  uint64_t input_offset_ = 0;    // compressed offset of input_[0]
  bool output_pending_ = false;  // the last call filled the output: libzstd may hold more
  ZstdSteps steps_;              // where the next call's step starts and ends
  size_t hint_ = 0;  // libzstd's last return; 0 between frames, where end of input is clean
  bool ended_ = false;
  ReadResult end_;  // the outcome, once ended_
};

}  // namespace coinone
