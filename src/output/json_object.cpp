#include "coinone_annotate/output/json_object.h"

namespace coinone {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t'; }
}  // namespace

void JsonObjectScanner::feed(std::string_view bytes) {
  for (const char c : bytes) {
    if (state_ == State::kNotObject) break;
    step(c);
    ++fed_;
  }
}

void JsonObjectScanner::step(char c) {
  switch (state_) {
    case State::kBefore:
      if (c == '{') {
        state_ = State::kInside;
        depth_ = 1;
      } else if (!is_space(c)) {
        state_ = State::kNotObject;
      }
      return;
    case State::kInside:
      step_inside(c);
      return;
    case State::kAfter:
      if (!is_space(c)) state_ = State::kNotObject;
      return;
    case State::kNotObject:
      return;
  }
}

void JsonObjectScanner::step_inside(char c) {
  if (in_string_) {
    if (escaped_)
      escaped_ = false;
    else if (c == '\\')
      escaped_ = true;
    else if (c == '"')
      in_string_ = false;
    return;
  }
  if (!is_space(c)) has_content_ = has_content_ || depth_ > 1 || c != '}';
  if (c == '"') {
    in_string_ = true;
  } else if (c == '{' || c == '[') {
    ++depth_;
  } else if (c == '}' || c == ']') {
    if (--depth_ == 0) {
      state_ = c == '}' ? State::kAfter : State::kNotObject;
      close_ = fed_;
    }
  }
}

}  // namespace coinone
