// CodecSource: what the xz, bzip2 and lz4 decoders share: reading the raw source into an input
// buffer, the compressed offset of every byte, handing out decoded bytes before the outcome that
// ends the stream, and the sticky end. A subclass only says how one call of its library turns
// held input into output (decode()).
//
// Contract (the same as gzip_source.h and zstd_source.h):
//  - Faults: every byte decoded before a fault is handed out first; then read() returns a result
//    with size 0, error 0 and a message "<what> <format> data at compressed byte N" (what:
//    corrupt, truncated, trailing garbage after). N is a 0-based offset in the compressed input;
//    each subclass's header says where it points. When the raw source ends and the decoder can
//    make no more progress without input, the stream is truncated at the length of the input,
//    unless the subclass ended it cleanly (finish()).
//  - A failure of the raw source (its errno) is returned as it is, once the bytes decoded before
//    it are handed out.
//  - The outcome that ends the stream is sticky: every later read() returns it again and the raw
//    source is not read any more.
//  - read() reads the raw source only when it has nothing decoded to return, so it never waits for
//    input while holding output. A wake from raw (follow mode) is returned as it is.
//
// Ownership: owns the raw source and an input buffer of the size given. Not copyable.
// Threads: one reader at a time, like every Source.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "coinone_annotate/input/source.h"

namespace coinone {

class CodecSource : public Source {
 public:
  ~CodecSource() override;
  CodecSource(const CodecSource&) = delete;
  CodecSource& operator=(const CodecSource&) = delete;

  ReadResult read(std::span<char> buffer) final;
  const std::string& name() const final { return raw_->name(); }

 protected:
  // format: the word in messages ("xz"); input_size: bytes read from raw at a time.
  CodecSource(std::unique_ptr<Source> raw, const char* format, size_t input_size);

  struct Progress {
    size_t consumed = 0;    // bytes of `in` the library took
    size_t produced = 0;    // bytes written to the front of `out`
    bool advanced = false;  // the library's state moved on without moving bytes (a stream end)
  };

  // One call of the library: decode from `in` (the held input, possibly empty) into `out` (never
  // empty). input_ended: raw has ended, `in` is all there will ever be. Ends the stream with
  // finish() or fail() when it knows the outcome; bytes produced in the same call are still
  // handed out first. A call that consumes and produces nothing and has not advanced asks for
  // more input. Throws only
  // std::bad_alloc.
  virtual Progress decode(std::span<const char> in, std::span<char> out, bool input_ended) = 0;

  // The compressed offset of in[0] in the current decode() call.
  uint64_t offset() const { return input_offset_ + input_begin_; }
  // The previous decode() call filled its output: the library may still hold decoded bytes.
  bool output_pending() const { return output_pending_; }
  // Ends the stream cleanly (the last stream or frame is complete).
  void finish();
  // Ends the stream with "<what> <format> data at compressed byte <at>".
  void fail(const char* what, uint64_t at);

 private:
  bool fill();
  size_t held() const { return input_end_ - input_begin_; }

  std::unique_ptr<Source> raw_;
  const char* format_;
  std::unique_ptr<char[]> input_;
  size_t input_size_;
  size_t input_begin_ = 0;  // input_[input_begin_, input_end_) is read but not yet consumed
  size_t input_end_ = 0;
  uint64_t input_offset_ = 0;    // compressed offset of input_[0]
  bool input_ended_ = false;     // raw returned its clean end of input
  bool output_pending_ = false;  // the last call filled the output: the library may hold more
  bool starved_ = false;         // the last call moved nothing: it needs more input
  bool wake_ = false;            // raw returned a wake, to hand on
  bool ended_ = false;
  ReadResult end_;  // the outcome, once ended_
};

}  // namespace coinone
