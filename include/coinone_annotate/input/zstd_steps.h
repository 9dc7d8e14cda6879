// ZstdSteps: walks the frame and block headers of a zstd stream to cut it into decoding steps.
//
// ZstdSource hands libzstd one step per call so that a fault is located at the step that holds it
// and never takes earlier output with it (zstd_source.cpp says why). A step is one field of the
// format (RFC 8878, section 3.1):
//   frame magic (4) | frame header descriptor (1) | rest of the frame header (0-13)
//   block header (3) | block content (its size; 1 for an RLE block) | ... | content checksum (4)
//   skippable frame: magic (4) | size (4) | content (size)
// Only what the cutting needs is read; libzstd still checks everything. When the magic is neither
// zstd nor skippable (trailing garbage, a legacy frame), the walker gives up: the rest of the
// stream is one open-ended step, and libzstd is left to accept or reject it.
//
// Value type, copyable; no I/O.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "coinone_annotate/input/frame_cursor.h"

namespace coinone {

class ZstdSteps {
 public:
  // Bytes still to come in the current step; never 0 (SIZE_MAX once the walker gave up).
  size_t left() const { return cursor_.left(); }
  // Compressed offset of the current step's first byte.
  uint64_t start() const { return cursor_.start(); }
  // Records that the decoder consumed `bytes`, the next bytes of the current step (never more
  // than left()); end is the compressed offset just after them.
  void consume(std::span<const char> bytes, uint64_t end);

 private:
  enum class Step {
    kMagic,
    kDescriptor,
    kHeaderRest,
    kBlockHeader,
    kBlockContent,
    kChecksum,
    kSkippableSize,
    kSkippableContent,
    kUnknown,
  };

  void finish_step(uint64_t end);
  void begin(Step step, size_t size, uint64_t at);
  void after_block(uint64_t at);

  Step step_ = Step::kMagic;
  FrameCursor cursor_{4};  // the magic comes first
  bool last_block_ = false;
  bool has_checksum_ = false;
};

}  // namespace coinone
