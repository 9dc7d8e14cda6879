// Lz4Steps: walks the frame and block headers of an lz4 stream to cut it into decoding steps.
//
// Lz4Source hands LZ4F_decompress() one step per call for the same reason ZstdSource does
// (zstd_steps.h): a failing call reports no progress at all, so a call must never hold a good
// block together with a bad one, and the step that failed locates the fault. A step is one field
// of the lz4 frame format (lz4 Frame format description 1.6.x):
//   magic (4) | FLG, BD (2) | content size (0 or 8), dictionary id (0 or 4), header checksum (1)
//   block size (4) | block data (its size, then a 4-byte checksum if FLG says so) | ...
//   end mark (4 zero bytes, read as a block size of 0) | content checksum (0 or 4)
//   skippable frame: magic 0x184D2A5? (4) | size (4) | content (size)
// Only what the cutting needs is read; liblz4 still checks everything. When the magic is neither
// lz4 nor skippable (trailing garbage, the legacy format), the walker gives up: the rest of the
// stream is one open-ended step, and liblz4 rejects it.
//
// Value type, copyable; no I/O.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "coinone_annotate/input/frame_cursor.h"

namespace coinone {

class Lz4Steps {
 public:
  // Bytes still to come in the current step; never 0 (SIZE_MAX once the walker gave up).
  size_t left() const { return cursor_.left(); }
  // Compressed offset of the current step's first byte.
  uint64_t start() const { return cursor_.start(); }
  // True once a magic was neither lz4's nor a skippable frame's: start() is where it begins.
  bool gave_up() const { return step_ == Step::kUnknown; }
  // Records that the decoder consumed `bytes`, the next bytes of the current step (never more
  // than left()); end is the compressed offset just after them.
  void consume(std::span<const char> bytes, uint64_t end);

 private:
  enum class Step {
    kMagic,
    kDescriptor,
    kHeaderRest,
    kBlockSize,
    kBlockData,
    kChecksum,
    kSkippableSize,
    kSkippableContent,
    kUnknown,
  };

  void finish_step(uint64_t end);
  void begin(Step step, size_t size, uint64_t at);

  Step step_ = Step::kMagic;
  FrameCursor cursor_{4};  // the magic comes first
  bool block_checksum_ = false;
  bool content_checksum_ = false;
};

}  // namespace coinone
