// Sink: where the searcher pushes bytes (ripgrep's sink.rs, spdlog's sink.h).
//
// The searcher calls passthrough() for runs of whole lines that carry nothing to annotate, and
// line_end() for a line it has a verdict on. A line too long for the line buffer arrives as
// line_piece() calls followed by one line_end() with the rest of it. Together the calls deliver
// every input byte exactly once, in order. A recording test double checks the searcher without
// any output format.
//
// The spans passed in point into the searcher's read buffer and stay valid until the next
// flush() call, which the searcher makes before every read: a sink may keep them until then
// instead of copying them (the printer hands them to writev()).
#pragma once
#include <cstdint>
#include <string_view>

#include "coinone_annotate/match/verdict.h"

namespace coinone {

class Sink {
 public:
  virtual ~Sink() = default;
  // Whole lines, terminators included, to copy unchanged.
  virtual void passthrough(std::string_view bytes) = 0;
  // The beginning of a line that does not fit the buffer (no terminator in it).
  virtual void line_piece(std::string_view bytes) = 0;
  // The end of a line: its remaining content, its terminator ("\n", "\r\n", or "" for a last
  // line without one) and the codes to show (possibly none).
  virtual void line_end(std::string_view rest, std::string_view terminator,
                        const Verdict& verdict) = 0;
  // Called before every read: write out everything so far (the spans are about to change, and
  // the read may wait for input, so this is also what makes a live tail show each line at once).
  virtual void flush() = 0;
  // True once output has failed; the searcher then stops reading.
  virtual bool failed() const = 0;
  // The bytes at `memory` (the searcher's read buffer) are also the bytes of the regular file
  // `fd` from `offset` on (fd -1: no longer, if they were). This holds until mirror() is called
  // again for memory that overlaps them, or forget_mirrors(). A sink writing to a pipe may then
  // move passthrough spans that lie inside them from the file (splice) rather than copy them.
  // Default: ignored.
  virtual void mirror(std::string_view memory, int fd, int64_t offset) {
    (void)memory, (void)fd, (void)offset;
  }
  virtual void forget_mirrors() {}
};

}  // namespace coinone
