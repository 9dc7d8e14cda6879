// LineBuffer: a fixed-capacity window over a source, in the manner of ripgrep's line_buffer.rs.
//
// fill() appends what the source gives after the bytes not yet consumed; consume() marks a
// prefix of them as done; the next fill() first rolls the rest to the front. The searcher takes
// complete lines from pending() and, when a single line fills the whole buffer, consumes it in
// pieces: memory stays at the capacity whatever the line length.
//
// It also keeps track of where its bytes lie in the source's file, when they come from a
// regular file (Source::origin()): mirrored() tells which bytes of the buffer are, byte for byte,
// a range of that file, so that a writer can move pass-through spans from the file to a pipe
// without copying them.
//
// The capacity is a constructor argument so that tests can run every case at 1 or 7 bytes.
// Not copyable: it owns its buffer.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coinone_annotate/base/page_buffer.h"
#include "coinone_annotate/input/source.h"

namespace coinone {

class LineBuffer {
 public:
  // Default capacity: 1 MiB. Lines up to this length are matched whole.
  static constexpr size_t kDefaultCapacity = 1024 * 1024;

  explicit LineBuffer(size_t capacity = kDefaultCapacity);
  LineBuffer(const LineBuffer&) = delete;
  LineBuffer& operator=(const LineBuffer&) = delete;

  // Rolls, then reads once into the free space. The result's size is 0 at end of input.
  ReadResult fill(Source& source);
  // The bytes read but not yet consumed.
  std::string_view pending() const { return {buffer_.data() + begin_, end_ - begin_}; }
  void consume(size_t count) { begin_ += count; }
  // True when pending() takes the whole capacity: no fill() can add to it.
  bool full() const { return begin_ == 0 && end_ == buffer_.size(); }
  size_t capacity() const { return buffer_.size(); }
  // The whole buffer, read or not.
  std::string_view memory() const { return {buffer_.data(), buffer_.size()}; }
  // Copies pending() to the front of other (whose pending bytes must be consumed) and leaves this
  // buffer empty without touching its bytes: the searcher reads on into other while a helper
  // thread still writes spans of this one.
  void move_pending_to(LineBuffer& other);

  // The bytes of the buffer (at most up to the end of pending()) that are a range of the regular
  // file origin.fd starting at origin.offset; empty with origin.fd -1 when there are none. They
  // stay so until the next fill() or move_pending_to() of this buffer.
  struct Mirror {
    std::string_view bytes;
    FileOrigin origin;
  };
  Mirror mirrored() const;

 private:
  void roll();
  void track_origin(FileOrigin origin, size_t at);

  PageBuffer buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  // buffer_[mirror_from_, end_) holds the bytes of file origin_fd_ at offset origin_base_ + i.
  int origin_fd_ = -1;
  int64_t origin_base_ = 0;
  size_t mirror_from_ = 0;
};

}  // namespace coinone
