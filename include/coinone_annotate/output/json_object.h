// JsonObjectScanner: tells, incrementally, whether a line is exactly one JSON object.
//
// --format json inserts a member before the object's closing brace, so it needs to know that
// the line is one object (leading spaces, '{' ... matching '}', trailing spaces) and where that
// brace is. The scanner follows strings, escapes and nesting; it does not validate numbers or
// literals, so a line that was not valid JSON is not made valid, only left as broken as it was.
//
// It is fed a line in pieces of any size, so a line longer than the buffer is handled too.
// A small value type; reset() between lines.
#pragma once
#include <cstdint>
#include <string_view>

namespace coinone {

class JsonObjectScanner {
 public:
  void reset() { *this = JsonObjectScanner{}; }
  void feed(std::string_view bytes);
  // Gives up on this line (the caller could not hold back enough of it).
  void give_up() { state_ = State::kNotObject; }

  // The bytes so far are one object followed by spaces only.
  bool is_one_object() const { return state_ == State::kAfter; }
  // The object holds nothing but spaces.
  bool is_empty_object() const { return !has_content_; }
  // Offset of the closing brace, counted from the first byte fed. Valid when is_one_object().
  uint64_t close_offset() const { return close_; }
  uint64_t fed() const { return fed_; }

 private:
  enum class State : uint8_t { kBefore, kInside, kAfter, kNotObject };
  void step(char c);
  void step_inside(char c);

  State state_ = State::kBefore;
  uint64_t depth_ = 0;
  uint64_t fed_ = 0;
  uint64_t close_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool has_content_ = false;
};

}  // namespace coinone
