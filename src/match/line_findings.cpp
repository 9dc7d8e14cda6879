#include "coinone_annotate/match/line_findings.h"

namespace coinone {

void LineFindings::clear() {
  used_ = 0;
  if (!seen_.empty()) seen_.clear();
  untracked_fields_ = 0;
  result_error_ = result_other_ = mentions_coinone_ = other_exchange_ = false;
}

void LineFindings::add_code(std::string_view digits, bool from_pattern) {
  if (used_ <= kLinearLimit) {
    for (size_t i = 0; i < used_; ++i)
      if (codes_[i].digits == digits) return;
    if (used_ == kLinearLimit)  // switching to the hash set: enter what is already known
      for (size_t i = 0; i < used_; ++i) seen_.insert(codes_[i].digits);
  }
  if (used_ >= kLinearLimit && seen_.count(std::string(digits)) != 0) return;
  if (used_ == kMaxTrackedCodes) {
    ++untracked_fields_;
    return;
  }
  if (used_ >= kLinearLimit) seen_.emplace(digits);
  if (used_ == codes_.size()) codes_.emplace_back();
  codes_[used_].digits.assign(digits);
  codes_[used_].from_pattern = from_pattern;
  ++used_;
}

}  // namespace coinone
