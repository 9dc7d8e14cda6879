#include "coinone_annotate/input/line_buffer.h"

#include <cstring>

namespace coinone {

LineBuffer::LineBuffer(size_t capacity) : buffer_(capacity == 0 ? 1 : capacity) {}

void LineBuffer::roll() {
  if (begin_ == 0) return;
  const size_t rest = end_ - begin_;
  if (rest != 0) std::memmove(buffer_.data(), buffer_.data() + begin_, rest);
  begin_ = 0;
  end_ = rest;
}

void LineBuffer::move_pending_to(LineBuffer& other) {
  const std::string_view rest = pending();
  if (other.buffer_.size() < rest.size()) other.buffer_ = PageBuffer(rest.size());
  if (!rest.empty()) std::memcpy(other.buffer_.data(), rest.data(), rest.size());
  other.begin_ = 0;
  other.end_ = rest.size();
  begin_ = end_ = 0;
}

ReadResult LineBuffer::fill(Source& source) {
  roll();
  if (end_ == buffer_.size()) return ReadResult{};  // full(): the caller must consume first
  ReadResult result = source.read({buffer_.data() + end_, buffer_.size() - end_});
  end_ += result.size;
  return result;
}

}  // namespace coinone
