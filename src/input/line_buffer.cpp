#include "coinone_annotate/input/line_buffer.h"

#include <algorithm>
#include <cstring>

namespace coinone {

LineBuffer::LineBuffer(size_t capacity) : buffer_(capacity == 0 ? 1 : capacity) {}

void LineBuffer::roll() {
  if (begin_ == 0) return;
  const size_t rest = end_ - begin_;
  if (rest != 0) std::memmove(buffer_.data(), buffer_.data() + begin_, rest);
  origin_base_ += static_cast<int64_t>(begin_);
  mirror_from_ = mirror_from_ > begin_ ? mirror_from_ - begin_ : 0;
  begin_ = 0;
  end_ = rest;
}

void LineBuffer::move_pending_to(LineBuffer& other) {
  const std::string_view rest = pending();
  if (other.buffer_.size() < rest.size()) other.buffer_ = PageBuffer(rest.size());
  if (!rest.empty()) std::memcpy(other.buffer_.data(), rest.data(), rest.size());
  other.begin_ = 0;
  other.end_ = rest.size();
  other.origin_fd_ = origin_fd_;
  other.origin_base_ = origin_base_ + static_cast<int64_t>(begin_);
  other.mirror_from_ = mirror_from_ > begin_ ? mirror_from_ - begin_ : 0;
  begin_ = end_ = 0;
}

LineBuffer::Mirror LineBuffer::mirrored() const {
  const size_t from = std::max(mirror_from_, begin_);
  if (origin_fd_ < 0 || from >= end_) return {};
  return {{buffer_.data() + from, end_ - from},
          {origin_fd_, origin_base_ + static_cast<int64_t>(from)}};
}

ReadResult LineBuffer::fill(Source& source) {
  roll();
  if (end_ == buffer_.size()) return ReadResult{};  // full(): the caller must consume first
  const size_t at = end_;
  ReadResult result = source.read({buffer_.data() + at, buffer_.size() - at});
  end_ += result.size;
  if (result.size > 0) track_origin(source.origin(), at);
  return result;
}

// The new bytes at `at` came from `origin`: they extend the mirrored range when they follow it
// in the same file, else the range starts afresh with them (or there is none).
void LineBuffer::track_origin(FileOrigin origin, size_t at) {
  const bool follows = origin.fd >= 0 && origin.fd == origin_fd_ && mirror_from_ <= at &&
                       origin_base_ + static_cast<int64_t>(at) == origin.offset;
  if (follows) return;
  origin_fd_ = origin.fd;
  origin_base_ = origin.offset - static_cast<int64_t>(at);
  mirror_from_ = at;
}

}  // namespace coinone
