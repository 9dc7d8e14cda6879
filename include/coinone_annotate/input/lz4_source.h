// Lz4Source: the decompressed bytes of an lz4 stream read from another source, via liblz4's
// frame API (LZ4F_decompress).
//
// Contract (besides codec_source.h's):
//  - Frames: any number of lz4 frames back to back (`cat a.lz4 b.lz4`), skippable frames
//    included, are decoded one after the other, as `lz4 -dc` does; liblz4 checks the header
//    checksum, and the block and content checksums when the frame has them (the lz4 tool writes
//    a content checksum by default). The legacy format (`lz4 -l`) is not read: its magic is not
//    detected, so such a file passes through as it is.
//  - Anything after the last frame that is not a frame, zero bytes included, is corrupt data, as
//    it is for `lz4 -dc` (exit status 1); the first bytes of a magic with nothing after them are
//    truncated data.
//  - Faults: "corrupt lz4 data at compressed byte N" where liblz4 rejected the data (bad header,
//    bad block, checksum mismatch); "truncated lz4 data at compressed byte N" when the input ends
//    inside a frame. N is where the step of the format that liblz4 rejected begins (Lz4Steps):
//    the block's data (just after its 4-byte size) for a bad block or block checksum, the 4-byte
//    content checksum for a content checksum mismatch, the block size field for a block too
//    large, the frame's first byte for a bad magic (trailing garbage included), and for a bad
//    frame header (version, reserved bits, header checksum) the byte after FLG and BD, where its
//    last step begins: liblz4 checks a header once it has all of it. liblz4 checks a block as a
//    whole, so N cannot be closer. For truncation N is the length of the input.
//
// Ownership: owns the raw source, a 1 MiB input buffer and an LZ4F_dctx (with a frame of the
// lz4 tool's default 4 MiB blocks, about 8.3 MiB of buffers). Not copyable.
// Threads: one reader at a time, like every Source.
#pragma once
#include <memory>
#include <span>

#include "coinone_annotate/input/codec_source.h"
#include "coinone_annotate/input/lz4_steps.h"

struct LZ4F_dctx_s;  // liblz4's LZ4F_dctx, from <lz4frame.h>; kept out of this header

namespace coinone {

class Lz4Source final : public CodecSource {
 public:
  // raw must deliver the lz4 stream from its first byte (the 04 22 4d 18 magic). Throws
  // std::bad_alloc when liblz4 cannot allocate its context.
  explicit Lz4Source(std::unique_ptr<Source> raw);
  ~Lz4Source() override;

 private:
  struct FreeDctx {
    void operator()(LZ4F_dctx_s* dctx) const;
  };

  Progress decode(std::span<const char> in, std::span<char> out, bool input_ended) override;

  std::unique_ptr<LZ4F_dctx_s, FreeDctx> dctx_;
  Lz4Steps steps_;           // where the next call's step starts and ends
  bool frame_done_ = false;  // liblz4 returned 0: a frame is complete and all of it handed out
};

}  // namespace coinone
