// XzSource: the decompressed bytes of an xz stream read from another source, via liblzma.
//
// Why liblzma's threaded decoder (lzma_stream_decoder_mt, liblzma 5.4): a file written by
// `xz -T N` (or with --block-size) is cut into blocks whose headers carry their sizes, and such
// blocks are decoded in parallel, one more at a time than there are usable CPUs, while `xz -dc` of
// xz 5.4 decodes on one thread. A file of one block (plain `xz -6`) is decoded on the calling
// thread, as liblzma's single-threaded decoder does it. Figures: README, Performance
// (scripts/bench_compressed.sh).
//
// Contract (besides codec_source.h's):
//  - Streams: several xz streams back to back (`cat a.xz b.xz`), with stream padding (zero bytes
//    in multiples of four) between or after them, are decoded one after the other, as `xz -dc`
//    does (LZMA_CONCATENATED). liblzma checks each block's check (CRC-32, CRC-64 or SHA-256) and
//    the stream's index and footer.
//  - Faults: "corrupt xz data at compressed byte N" where liblzma rejected the data (bad header,
//    bad LZMA2 data, check mismatch, bad index or footer, anything after the last stream that is
//    not padding or a stream: `xz -dc` calls that "Unexpected end of input" or "File format not
//    recognized"); "truncated xz data at compressed byte N" when the input ends inside a stream.
//    N is the number of compressed bytes liblzma had consumed when it reported the fault: the
//    fault lies before N. liblzma reads a header whole before it checks it, so for a bad stream
//    or block header (trailing garbage included) N is just past the header (12 bytes for a
//    stream header). Within the LZMA2 data of a block decoded on this thread N is within a few
//    bytes of the fault. When blocks are decoded in parallel, liblzma has handed the blocks after
//    the bad one to other threads already, so N may lie up to those blocks' end further on; the
//    output of every block before the bad one still comes out first (no LZMA_FAIL_FAST). For
//    truncation N is the length of the input.
//
// Ownership: owns the raw source, a 128 KiB input buffer and the lzma_stream (for one block of
// `xz -6`: about 9 MiB of dictionary; with threads, a block's input and output per thread, capped
// at a quarter of the machine's memory, above which liblzma decodes on one thread). Not copyable.
// Threads: one reader at a time; liblzma's worker threads live until the source is destroyed.
#pragma once
#include <memory>
#include <span>

#include "coinone_annotate/input/codec_source.h"

namespace coinone {

class XzSource final : public CodecSource {
 public:
  // raw must deliver the xz stream from its first byte (the fd 37 7a 58 5a 00 magic). threads:
  // liblzma's decoder threads; 0 means one more than the usable CPUs (one on a single CPU, see
  // xz_source.cpp). Throws std::bad_alloc when liblzma cannot allocate its state.
  explicit XzSource(std::unique_ptr<Source> raw, unsigned threads = 0);
  ~XzSource() override;

 private:
  Progress decode(std::span<const char> in, std::span<char> out, bool input_ended) override;

  struct Stream;  // liblzma's lzma_stream, an unnamed struct that cannot be declared here
  std::unique_ptr<Stream> stream_;
};

}  // namespace coinone
