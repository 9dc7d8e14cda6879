// Decompression: turns a raw source into the source of its decompressed bytes.
//
// open_decompressing() looks at the first bytes of the input, never at its name, so a .gz read
// from a pipe, a log rotated to a name without a suffix and a plain file named x.gz are all
// handled by what they contain:
//   1f 8b                gzip (GzipSource, isa-l)
//   28 b5 2f fd          zstd (ZstdSource, libzstd)
//   fd 37 7a 58 5a 00    xz (XzSource, liblzma, blocks in parallel)
//   42 5a 68 '1'-'9'     bzip2, "BZh" and the block size (Bzip2Source, libbz2)
//   04 22 4d 18          lz4 frame (Lz4Source, liblz4)
//   anything else        plain text, passed through untouched; an empty input is plain.
// The peeked bytes are read through raw->read(), so this works on standard input and pipes, and
// they are handed out again first (PrefixedSource).
//
// A compressed input is decoded on a second thread (ThreadedSource), a few blocks ahead of the
// reader, so that decompression and the searcher's scanning overlap; on a single CPU that only
// adds a copy and context switches, so DecodeThread::kAuto decodes inline there. What this buys
// against zcat and zstd -dc is measured by scripts/bench_compressed.sh (README, Performance).
//
// Failures: the returned source reports corrupt or truncated data as a ReadResult with error 0
// and a message such as "corrupt gzip data at compressed byte N", after handing out every byte
// decoded before the fault; each decoder's header (gzip_source.h, zstd_source.h, xz_source.h,
// bzip2_source.h, lz4_source.h) says what N means. The caller prints
// `coinone-annotate: PATH: <message>`. A read failure of the raw source comes back with its errno.
//
// Ownership: the returned source owns raw. Threads: the returned source is read from one thread,
// like every Source; for compressed input it runs a thread of its own until it is destroyed.
#pragma once
#include <memory>
#include <span>

#include "coinone_annotate/input/source.h"

namespace coinone {

enum class Compression { kNone, kGzip, kZstd, kXz, kBzip2, kLz4 };

// Whether a compressed input is decoded on a thread of its own (ThreadedSource).
enum class DecodeThread {
  kAuto,    // when the process may run on two CPUs or more (sched_getaffinity): the default
  kAlways,  // tests, and callers that know better
  kNever,   // decode on the reader's thread, inside read()
};

// The compression whose magic bytes head starts with; kNone when head is shorter than a magic
// or matches none.
Compression detect_compression(std::span<const char> head);

// Returns a source of raw's decompressed bytes (gzip, zstd, xz, bzip2, lz4) or of raw's own bytes
// (anything else). Reads at most 6 bytes from raw before returning, and stops reading as soon as
// the bytes so far cannot begin a magic; it blocks only as long as raw->read() does. Never returns
// null. When the decoder thread cannot start (a container's process limit), the input is decoded on
// the calling thread instead. Throws only std::bad_alloc.
std::unique_ptr<Source> open_decompressing(std::unique_ptr<Source> raw,
                                           DecodeThread thread = DecodeThread::kAuto);

}  // namespace coinone
