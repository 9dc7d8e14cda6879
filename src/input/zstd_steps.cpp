#include "coinone_annotate/input/zstd_steps.h"

#include <limits>

namespace coinone {

namespace {

constexpr uint32_t kFrameMagic = 0xFD2FB528;
constexpr uint32_t kSkippableMagic = 0x184D2A50;  // the low 4 bits are free
constexpr uint32_t kSkippableMask = 0xFFFFFFF0;
constexpr size_t kMagicSize = 4;
constexpr size_t kBlockHeaderSize = 3;
constexpr size_t kChecksumSize = 4;
constexpr unsigned kRleBlock = 1;

// Size of the frame header after its descriptor byte (RFC 8878, 3.1.1.1).
size_t header_rest_size(unsigned descriptor) {
  const bool single_segment = (descriptor >> 5) & 1u;
  constexpr size_t kDictIdSizes[] = {0, 1, 2, 4};
  constexpr size_t kContentSizeSizes[] = {0, 2, 4, 8};
  const unsigned content_size_flag = descriptor >> 6;
  size_t content_size = kContentSizeSizes[content_size_flag];
  if (content_size_flag == 0 && single_segment) content_size = 1;
  return (single_segment ? 0 : 1) + kDictIdSizes[descriptor & 3u] + content_size;
}

}  // namespace

void ZstdSteps::consume(std::span<const char> bytes, uint64_t end) {
  if (step_ == Step::kUnknown || bytes.empty()) return;
  // Keep the bytes of the fields we read; contents and checksums pass through uncopied.
  const bool field = step_ != Step::kBlockContent && step_ != Step::kSkippableContent;
  if (cursor_.take(bytes, field)) finish_step(end);
}

// The current step is complete and `end` is its end: read it if it is a field, pick the next.
void ZstdSteps::finish_step(uint64_t end) {
  const uint32_t value = cursor_.field();
  switch (step_) {
    case Step::kMagic:
      if (value == kFrameMagic) {
        begin(Step::kDescriptor, 1, end);
      } else if ((value & kSkippableMask) == kSkippableMagic) {
        begin(Step::kSkippableSize, 4, end);
      } else {
        begin(Step::kUnknown, std::numeric_limits<size_t>::max(), cursor_.start());
      }
      break;
    case Step::kDescriptor: {
      has_checksum_ = (value >> 2) & 1u;
      const size_t rest = header_rest_size(value);
      if (rest > 0) {
        begin(Step::kHeaderRest, rest, end);
      } else {
        begin(Step::kBlockHeader, kBlockHeaderSize, end);
      }
      break;
    }
    case Step::kHeaderRest:
      begin(Step::kBlockHeader, kBlockHeaderSize, end);
      break;
    case Step::kBlockHeader: {
      last_block_ = value & 1u;
      const size_t size = value >> 3;
      const size_t content = ((value >> 1) & 3u) == kRleBlock ? 1 : size;
      if (content > 0) {
        begin(Step::kBlockContent, content, end);
      } else {
        after_block(end);
      }
      break;
    }
    case Step::kBlockContent:
      after_block(end);
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

void ZstdSteps::after_block(uint64_t at) {
  if (!last_block_) {
    begin(Step::kBlockHeader, kBlockHeaderSize, at);
  } else if (has_checksum_) {
    begin(Step::kChecksum, kChecksumSize, at);
  } else {
    begin(Step::kMagic, kMagicSize, at);
  }
}

void ZstdSteps::begin(Step step, size_t size, uint64_t at) {
  step_ = step;
  cursor_.begin(size, at);
}

}  // namespace coinone
