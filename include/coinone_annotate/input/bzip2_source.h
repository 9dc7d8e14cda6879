// Bzip2Source: the decompressed bytes of a bzip2 stream read from another source, via libbz2.
//
// Contract (besides codec_source.h's):
//  - Streams: several bzip2 streams back to back (`cat a.bz2 b.bz2`, or what pbzip2 and lbzip2
//    write) are decoded one after the other, as `bzip2 -dc` does. libbz2 checks each block's
//    CRC-32 and the stream's combined CRC.
//  - After the last stream, nothing is a clean end; anything that does not begin a stream
//    ("BZh" and a level digit) is "trailing garbage after bzip2 data at compressed byte N", N the
//    end of the last stream, once every decoded byte is out. bzip2 -dc prints a warning there
//    ("trailing garbage after EOF ignored") and exits 0; we fail as for gzip (status 2), with the
//    same bytes out. The start of a magic with nothing after it is truncated data.
//  - Faults: "corrupt bzip2 data at compressed byte N" where libbz2 rejected the data (bad
//    header, bad block, CRC mismatch), "truncated bzip2 data at compressed byte N" when the input
//    ends inside a stream. N is the number of compressed bytes libbz2 had consumed when it gave
//    up: libbz2 reads a block's bits whole before it writes any of it out and checks the block's
//    CRC once it has written it, so for a CRC mismatch N is the end of the block and the block's
//    (wrong) bytes have come out before the message, as with gzip. For truncation N is the
//    length of the input.
//
// Ownership: owns the raw source, a 128 KiB input buffer and a bz_stream (about 3.6 MiB for a
// `bzip2 -9` stream, libbz2's fast decoder). Not copyable.
// Threads: one reader at a time, like every Source.
#pragma once
#include <memory>
#include <span>

#include "coinone_annotate/input/codec_source.h"

namespace coinone {

class Bzip2Source final : public CodecSource {
 public:
  // raw must deliver the bzip2 stream from its first byte ("BZh" and a digit). Throws
  // std::bad_alloc when libbz2 cannot allocate its state.
  explicit Bzip2Source(std::unique_ptr<Source> raw);
  ~Bzip2Source() override;

 private:
  Progress decode(std::span<const char> in, std::span<char> out, bool input_ended) override;
  bool start_next_stream(std::span<const char> in, bool input_ended);
  void restart();

  struct Stream;  // libbz2's bz_stream
  std::unique_ptr<Stream> stream_;
  bool between_ = false;  // a stream just ended: what follows decides the next step
};

}  // namespace coinone
