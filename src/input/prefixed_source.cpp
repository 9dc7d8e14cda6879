#include "coinone_annotate/input/prefixed_source.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace coinone {

PrefixedSource::PrefixedSource(std::unique_ptr<Source> raw, std::string prefix,
                               std::optional<ReadResult> end)
    : raw_(std::move(raw)), prefix_(std::move(prefix)), end_(std::move(end)) {}

ReadResult PrefixedSource::read(std::span<char> buffer) {
  const size_t left = prefix_.size() - prefix_begin_;
  if (left > 0) {
    const size_t n = std::min(left, buffer.size());
    std::memcpy(buffer.data(), prefix_.data() + prefix_begin_, n);
    prefix_begin_ += n;
    return ReadResult{n, 0, {}};
  }
  if (end_) return *end_;  // the peek already saw the end: never read raw again
  from_raw_ = true;
  return raw_->read(buffer);
}

void PrefixedSource::checkpoint(uint64_t unconsumed) {
  raw_->checkpoint(unconsumed + (prefix_.size() - prefix_begin_));
}

}  // namespace coinone
