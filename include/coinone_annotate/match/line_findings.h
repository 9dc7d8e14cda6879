// LineFindings: what the extractor saw in one line, before any decision about annotating it.
//
// The extractor adds every error code it finds (as normalised digits: no leading zeros, never
// "0"), every `result` field, and whether the line mentions Coinone or another exchange. Codes are
// kept distinct and in order of first appearance; the matcher later decides which of them to show.
//
// Memory is bounded: at most kMaxTrackedCodes distinct codes are remembered per line; further
// fields are only counted (a line holding 100 000 fields costs a few hundred KiB, not more).
// clear() keeps the allocated capacity, so a reused object allocates nothing per line.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace coinone {

struct FoundCode {
  std::string digits;         // no leading zeros, at least one digit, never "0"
  bool from_pattern = false;  // found by a --pattern rather than an error_code field
};

class LineFindings {
 public:
  static constexpr size_t kMaxTrackedCodes = 4096;

  void clear();
  void add_code(std::string_view digits, bool from_pattern);
  void add_result(bool is_error) { (is_error ? result_error_ : result_other_) = true; }
  void set_mentions_coinone() { mentions_coinone_ = true; }
  // Evidence that the line belongs to another exchange (exchange_evidence.h).
  void set_other_exchange() { other_exchange_ = true; }

  // Fields past kMaxTrackedCodes distinct codes, counted but not kept.
  size_t untracked_fields() const { return untracked_fields_; }
  bool has_codes() const { return used_ != 0; }
  bool result_error() const { return result_error_; }
  bool result_other() const { return result_other_; }
  bool mentions_coinone() const { return mentions_coinone_; }
  bool other_exchange() const { return other_exchange_; }

 private:
  // Below this many codes a linear scan beats hashing; above it, seen_ holds them all.
  static constexpr size_t kLinearLimit = 16;

  std::vector<FoundCode> codes_;
  size_t used_ = 0;  // codes_[0, used_) are live; the rest keep their string capacity
  std::unordered_set<std::string> seen_;
  size_t untracked_fields_ = 0;
  bool result_error_ = false;
  bool result_other_ = false;
  bool mentions_coinone_ = false;
  bool other_exchange_ = false;

 public:
  // Live codes (codes_ may hold spare entries kept for their capacity).
  size_t code_count() const { return used_; }
  const FoundCode& code(size_t i) const { return codes_[i]; }
};

}  // namespace coinone
