// FrameCursor: the byte counting that ZstdSteps and Lz4Steps share.
//
// Both walkers cut a compressed stream into steps, one field or one block of the format each.
// The cursor counts the bytes still to come in the current step, knows where it started, and
// keeps the bytes of a step that is a field to read (at most 4), so that the walker, when the
// step is complete, can read the field as a little-endian number and pick the next step.
//
// Value type, copyable; no I/O.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace coinone {

class FrameCursor {
 public:
  explicit FrameCursor(size_t first_step_size) : left_(first_step_size) {}

  // Bytes still to come in the current step.
  size_t left() const { return left_; }
  // Compressed offset of the current step's first byte.
  uint64_t start() const { return start_; }

  // A new step of `size` bytes starting at compressed offset `at`.
  void begin(size_t size, uint64_t at) {
    left_ = size;
    start_ = at;
    field_size_ = 0;
  }

  // Takes the next bytes of the current step (never more than left()), keeping them when the
  // step is a field to read. True when the step is complete.
  bool take(std::span<const char> bytes, bool keep) {
    if (keep) {
      for (char c : bytes) {
        if (field_size_ < field_.size()) field_[field_size_++] = static_cast<unsigned char>(c);
      }
    }
    left_ -= std::min(left_, bytes.size());
    return left_ == 0;
  }

  // The kept bytes as a little-endian number.
  uint32_t field() const {
    uint32_t value = 0;
    for (size_t i = field_size_; i > 0; --i) value = (value << 8) | field_[i - 1];
    return value;
  }

 private:
  size_t left_;
  uint64_t start_ = 0;
  std::array<unsigned char, 4> field_{};
  size_t field_size_ = 0;
};

}  // namespace coinone
