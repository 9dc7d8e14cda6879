// PrefixedSource: hands out bytes that were already read from a source, then reads that source.
//
// Detecting compression by magic bytes means reading the first bytes of the input before knowing
// what to do with them, and standard input cannot seek back. open_decompressing() keeps the bytes
// it peeked at and wraps the raw source in a PrefixedSource, so that whoever reads next (the plain
// searcher or a decompressor) sees the input from its first byte.
//
// If the peek itself ended the input (end of input or a read failure), that outcome is kept too:
// after the prefix, every read returns it and the raw source is never read again. This matters for
// a terminal, where reading again after end of input (Ctrl-D) would wait for more typing.
// Otherwise, after the prefix, read() is raw's read(), wakes included.
//
// checkpoint() is passed on to raw, counting the prefix bytes not yet handed out as unconsumed:
// raw has returned them, the reader has not seen them.
//
// Ownership: owns the raw source. Not copyable (it owns a source).
// Threads: one reader at a time, like every Source.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "coinone_annotate/input/source.h"

namespace coinone {

class PrefixedSource final : public Source {
 public:
  // prefix: bytes already read from raw, handed out first. end: what the peek ended on, if it
  // did (a result with size 0: end of input, or a failure); nullopt when raw may have more.
  PrefixedSource(std::unique_ptr<Source> raw, std::string prefix,
                 std::optional<ReadResult> end = std::nullopt);
  PrefixedSource(const PrefixedSource&) = delete;
  PrefixedSource& operator=(const PrefixedSource&) = delete;

  ReadResult read(std::span<char> buffer) override;
  const std::string& name() const override { return raw_->name(); }
  void checkpoint(uint64_t unconsumed) override;
  // raw's origin after a read from raw; none after a read of the prefix.
  FileOrigin origin() const override { return from_raw_ ? raw_->origin() : FileOrigin{}; }

 private:
  std::unique_ptr<Source> raw_;
  std::string prefix_;
  size_t prefix_begin_ = 0;  // prefix_[prefix_begin_, size) is still to be handed out
  std::optional<ReadResult> end_;
  bool from_raw_ = false;  // the last read went to raw
};

}  // namespace coinone
