// GzipSource: the decompressed bytes of a gzip stream read from another source, via isa-l.
//
// Why isa-l rather than zlib: its inflate is about twice as fast on x86-64, which matters
// because decompression, not the annotator, is the slowest stage of a compressed run (see the
// figures in decompress.h).
//
// Contract:
//  - Members: a file may hold several gzip members back to back (`cat a.gz b.gz`); their contents
//    are handed out one after the other, as `gzip -dc` does. Each member's CRC-32 and length are
//    checked by isa-l at the member's end.
//  - After the last member, like `gzip -dc` (gzip 1.12):
//      nothing, or only zero bytes (tape padding)    -> clean end of input, no message;
//      1f 8b                                         -> another member;
//      anything else (zeros then other bytes too)    -> every decoded byte, then a failure
//        "trailing garbage after gzip data at compressed byte N".
//    gzip calls the last case a warning ("decompression OK, trailing garbage ignored") and exits
//    with status 2; a failure here gets the same status from coinone-annotate and still delivers
//    every byte, so the two agree on output, stderr and exit status.
//  - Faults: every byte isa-l decoded before it found a fault is handed out first; then read()
//    returns a result with size 0, error 0 and one of the messages
//      "corrupt gzip data at compressed byte N"    isa-l rejected the data (bad header, bad code,
//                                                   distance too far back, CRC or length mismatch);
//      "truncated gzip data at compressed byte N"  the input ended inside a member.
//    N is a 0-based offset in the compressed input. For a CRC-32 or length mismatch it is the
//    start of the member's 8-byte trailer. For a bad member header (method, reserved flags,
//    header CRC) it is where isa-l stopped reading the header: just after it for a CRC mismatch.
//    For other corruption it is the number of bytes isa-l had consumed when it gave up, less the
//    whole bytes still in its 64-bit bit buffer: the fault lies just before N. Of 2000 random
//    one-byte corruptions of tests/fixtures/plain.log.gz, 368 were data errors to zlib too: N
//    equalled zlib's total_in for 357 of them; for the other 11, all bad Huffman tables in a block
//    header ("invalid distances set"), isa-l noticed 2 to 115 bytes later. For truncation N is the
//    length of the input, where more was expected. Corrupt data usually decodes as wrong bytes for
//    a while before anything is invalid, so the bytes handed out before the message end with some
//    garbage. isa-l is more lenient than zlib there (on those 2000 inputs zlib's output was always
//    a prefix of ours, ours at most 3383 bytes longer), and how much garbage comes out depends a
//    little on how the input arrives: fed 1 to 9 bytes per read, isa-l's careful path stopped 9 to
//    89 bytes earlier than its fast path in 6 of 400 mutated gzip and zstd inputs.
//  - A failure of the raw source (its errno) is returned as it is, once the bytes decoded before
//    it are handed out.
//  - The outcome that ends the stream (end of input or a failure) is sticky: every later read()
//    returns it again and the raw source is not read any more.
//  - read() reads the raw source only when it has nothing decoded to return, so it never waits for
//    input while holding output. A wake from raw (follow mode) is returned as it is.
//
// Ownership: owns the raw source and about 215 KiB of state (a 128 KiB input buffer and isa-l's
// 85 KiB inflate_state, which holds the 32 KiB history). Not copyable.
// Threads: one reader at a time, like every Source.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "coinone_annotate/input/source.h"

struct inflate_state;     // isa-l's, from <isa-l/igzip_lib.h>; kept out of this header
struct isal_gzip_header;  // likewise

namespace coinone {

class GzipSource final : public Source {
 public:
  // raw must deliver the gzip stream from its first byte (the 1f 8b magic).
  explicit GzipSource(std::unique_ptr<Source> raw);
  ~GzipSource() override;
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  ReadResult read(std::span<char> buffer) override;
  const std::string& name() const override { return raw_->name(); }

 private:
  enum class Phase {
    kHeader,   // at the start of a member: its gzip header
    kMember,   // inside a member: deflate blocks or trailer
    kBetween,  // a member just ended: look at what follows
    kPadding,  // zero bytes after the last member
    kEnded,    // end_ holds the outcome
  };

  enum class Fill { kBytes, kEnded, kWake };

  bool needs_input() const;
  Fill fill();
  void look_after_member();
  void skip_padding();
  void read_header();
  void start_member();
  size_t inflate_into(std::span<char> out);
  size_t hand_out_salvage(std::span<char> out);
  void end(std::string what, uint64_t offset);
  uint64_t consumed_offset() const { return input_offset_ + input_begin_; }
  size_t held() const { return input_end_ - input_begin_; }

  std::unique_ptr<Source> raw_;
  std::unique_ptr<inflate_state> state_;
  std::unique_ptr<isal_gzip_header> header_;  // the member header read so far, across calls
  std::unique_ptr<unsigned char[]> input_;
  size_t input_begin_ = 0;  // input_[input_begin_, input_end_) is read but not yet consumed
  size_t input_end_ = 0;
  uint64_t input_offset_ = 0;    // compressed offset of input_[0]
  bool output_pending_ = false;  // the last inflate filled the output: isa-l may hold more
  // The bytes held cannot decide the next step (one byte 1f of the next magic after a member,
  // or a header that goes on past them): read() fills before it comes back.
  bool short_of_input_ = false;
  Phase phase_ = Phase::kHeader;
  uint64_t trailer_end_ = 0;  // compressed offset just after the last complete member
  size_t salvage_begin_ = 0;  // state_->tmp_out_buffer[salvage_begin_, salvage_end_): decoded
  size_t salvage_end_ = 0;    // before a fault, not yet handed out
  ReadResult end_;
};

}  // namespace coinone
