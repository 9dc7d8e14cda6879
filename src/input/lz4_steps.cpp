#include "coinone_annotate/input/lz4_steps.h"

#include <limits>

namespace coinone {

namespace {

constexpr uint32_t kFrameMagic = 0x184D2204;
constexpr uint32_t kSkippableMagic = 0x184D2A50;  // the low 4 bits are free
constexpr uint32_t kSkippableMask = 0xFFFFFFF0;
constexpr size_t kMagicSize = 4;
constexpr size_t kBlockSizeSize = 4;
constexpr size_t kChecksumSize = 4;
constexpr uint32_t kUncompressedBit = 0x80000000u;

// Size of the frame header after FLG and BD: optional content size and dictionary id, then the
// header checksum byte.
size_t header_rest_size(unsigned flg) {
  const bool content_size = (flg >> 3) & 1u;
  const bool dict_id = flg & 1u;
  return (content_size ? size_t{8} : 0) + (dict_id ? size_t{4} : 0) + 1;
}

}  // namespace

void Lz4Steps::consume(std::span<const char> bytes, uint64_t end) {
  if (step_ == Step::kUnknown || bytes.empty()) return;
  // Keep the bytes of the fields we read (FLG is the first of the descriptor's two).
  const bool field =
      step_ != Step::kBlockData && step_ != Step::kSkippableContent && step_ != Step::kHeaderRest;
  if (cursor_.take(bytes, field)) finish_step(end);
}

// The current step is complete and `end` is its end: read it if it is a field, pick the next.
void Lz4Steps::finish_step(uint64_t end) {
  const uint32_t value = cursor_.field();
  switch (step_) {
    case Step::kMagic:
      if (value == kFrameMagic) {
        begin(Step::kDescriptor, 2, end);
      } else if ((value & kSkippableMask) == kSkippableMagic) {
        begin(Step::kSkippableSize, 4, end);
      } else {
        begin(Step::kUnknown, std::numeric_limits<size_t>::max(), cursor_.start());
      }
      break;
    case Step::kDescriptor: {
      const unsigned flg = value & 0xffu;
      block_checksum_ = (flg >> 4) & 1u;
      content_checksum_ = (flg >> 2) & 1u;
      begin(Step::kHeaderRest, header_rest_size(flg), end);
      break;
    }
    case Step::kHeaderRest:
      begin(Step::kBlockSize, kBlockSizeSize, end);
      break;
    case Step::kBlockSize: {
      const size_t size = value & ~kUncompressedBit;
      if (value == 0) {  // the end mark
        begin(content_checksum_ ? Step::kChecksum : Step::kMagic,
              content_checksum_ ? kChecksumSize : kMagicSize, end);
      } else if (const size_t data = size + (block_checksum_ ? kChecksumSize : 0); data > 0) {
        begin(Step::kBlockData, data, end);
      } else {  // an empty stored block (0x80000000) without a checksum
        begin(Step::kBlockSize, kBlockSizeSize, end);
      }
      break;
    }
    case Step::kBlockData:
      begin(Step::kBlockSize, kBlockSizeSize, end);
      break;
    case Step::kSkippableSize:
      if (value > 0) {
        begin(Step::kSkippableContent, value, end);
      } else {
        begin(Step::kMagic, kMagicSize, end);
      }
      break;
    case Step::kChecksum:
    case Step::kSkippableContent:
      begin(Step::kMagic, kMagicSize, end);
      break;
    case Step::kUnknown:
      break;
  }
}

void Lz4Steps::begin(Step step, size_t size, uint64_t at) {
  step_ = step;
  cursor_.begin(size, at);
}

}  // namespace coinone
