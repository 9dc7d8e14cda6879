// Shared by the tests of the decompressing input layer (test_decompress.cpp, test_gzip_source.cpp,
// test_zstd_source.cpp, test_xz_source.cpp, test_bzip2_source.cpp, test_lz4_source.cpp,
// test_threaded_source.cpp, test_prefixed_source.cpp, test_zstd_steps.cpp): fixtures, in-memory
// sources and encoders.
//
// Fixtures in tests/fixtures/, made with the real tools (gzip 1.12, zstd 1.5.4) and kept as files:
//   plain.log            make_corpus --size 48K --seed 7 --error-rate 0.05   (49152 bytes)
//   plain.log.gz         gzip -n -9 -c plain.log
//   multi-member.log.gz  gzip -n -9 of lines 1-150, then of lines 151-319, concatenated
//   plain.log.zst        zstd -19 -c plain.log                   (one frame, one block)
//   multi-frame.log.zst  zstd -19 of lines 1-150, then of lines 151-319, concatenated
//   corrupt.log.gz       plain.log.gz with byte 5000 (of 11369) XORed with 0x55
//   corrupt.log.zst      zstd -19 --target-compressed-block-size=2048 -c plain.log (six blocks;
//                        the third block's content is bytes 4126-6174), byte 5200 XORed with 0x55
//   truncated.log.gz     the first 5000 bytes of plain.log.gz
//   truncated.log.zst    the first 5000 bytes of the six-block zstd above
//   empty.log            no bytes
// and with xz 5.4.1, bzip2 1.0.8 and lz4 1.9.4 (xz_source.h, bzip2_source.h, lz4_source.h):
//   plain.log.xz              xz -6 -c plain.log                   (one block, no sizes in headers)
//   multi-block.log.xz        xz -6 -T2 --block-size=8KiB -c plain.log (six blocks with sizes; the
//                             third at bytes 5620-8407, its header 16 bytes)
//   multi-stream.log.xz       xz -6 of lines 1-150, then of lines 151-319, concatenated
//   corrupt.log.xz            multi-block.log.xz with byte 6000 (in the third block) XORed with
//   0x55 corrupt-one-block.log.xz  plain.log.xz with byte 5000 XORed with 0x55 truncated.log.xz the
//   first 7000 bytes of multi-block.log.xz plain.log.bz2             bzip2 -9 -c plain.log
//   multi-stream.log.bz2      bzip2 -9 of lines 1-150 (6342 bytes), then of lines 151-319
//   corrupt.log.bz2           multi-stream.log.bz2 with byte 9000 (second stream) XORed with 0x55
//   truncated.log.bz2         the first 9000 bytes of multi-stream.log.bz2
//   plain.log.lz4             lz4 -c plain.log                     (one block, content checksum)
//   multi-frame.log.lz4       lz4 of lines 1-150, then of lines 151-319, concatenated
//   corrupt.log.lz4           plain.log three times, lz4 -B4 -BX (64 KiB blocks with checksums: the
//                             second block's size at 18898, its data at 18902-37845, the end mark
//                             at 45213, the content checksum at 45217-45220), byte 25000 XORed
//   truncated.log.lz4         the first 30000 bytes of the same lz4 -B4 -BX stream
// The expected counts below come from tools other than the code under test:
//   16399  python3 zlib.decompressobj(31) over the first 5000 bytes of plain.log.gz, all of which
//          are intact in corrupt.log.gz: bytes that must come out before the fault;
//   27490  the same, fed corrupt.log.gz one byte at a time until zlib reports "invalid distance
//          too far back" at byte 7127 (0-based): bytes zlib decoded before the fault;
//   13378  `head -c 4126 corrupt.log.zst | zstd -dc | wc -c`: the first two blocks; zstd -dc of
//          truncated.log.zst writes the same count.
//   16883  `xz -dc corrupt.log.xz | wc -c` (xz -T2 -dc the same): two blocks and 499 bytes of the
//          third, all of them plain.log's; 21002 the same for corrupt-one-block.log.xz, of which
//          the first 19159 are plain.log's (cmp); 19414 for truncated.log.xz;
//   23481  `bzip2 -dc` of corrupt.log.bz2 and of truncated.log.bz2: the first stream (lines 1-150);
//   65536  `lz4 -dc` of corrupt.log.lz4 and of truncated.log.lz4: the first block.
// The error offsets (N) are those of isa-l 2.30 and libzstd 1.5.4 as documented in the headers:
// isa-l stops one byte after zlib's failing byte 7127; the zstd fault is the third block's content.
#pragma once
#include <doctest/doctest.h>
#include <fcntl.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "coinone_annotate/input/bzip2_source.h"
#include "coinone_annotate/input/decompress.h"
#include "coinone_annotate/input/gzip_source.h"
#include "coinone_annotate/input/lz4_source.h"
#include "coinone_annotate/input/prefixed_source.h"
#include "coinone_annotate/input/source.h"
#include "coinone_annotate/input/threaded_source.h"
#include "coinone_annotate/input/xz_source.h"
#include "coinone_annotate/input/zstd_source.h"
#include "coinone_annotate/input/zstd_steps.h"

#ifndef COINONE_TEST_DATA_DIR
#define COINONE_TEST_DATA_DIR "tests"
#endif

namespace coinone::compressed_test {

using namespace std::chrono_literals;

inline std::string fixture_path(std::string_view name) {
  return std::string(COINONE_TEST_DATA_DIR) + "/fixtures/" + std::string(name);
}

inline std::string slurp(std::string_view name) {
  const std::string path = fixture_path(name);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  REQUIRE_MESSAGE(file != nullptr, "missing fixture " << path);
  std::string bytes;
  char chunk[65536];
  size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) bytes.append(chunk, n);
  std::fclose(file);
  return bytes;
}

// An in-memory raw source: hands out at most `chunk` bytes per read (1 behaves like a slow
// pipe), optionally fails with an errno once some bytes are out or returns one wake (as follow
// mode does on SIGHUP) at a given offset, and records its reads and checkpoints.
class MemorySource final : public Source {
 public:
  explicit MemorySource(std::string bytes, size_t chunk = 1 << 20,
                        std::optional<std::pair<size_t, int>> failure = std::nullopt,
                        std::optional<size_t> wake_at = std::nullopt)
      : bytes_(std::move(bytes)), chunk_(chunk), failure_(failure), wake_at_(wake_at) {}

  ReadResult read(std::span<char> buffer) override {
    ++reads_;
    if (wake_at_ && offset_ == *wake_at_) {
      wake_at_.reset();
      return ReadResult{0, 0, {}, true};
    }
    size_t limit = failure_ ? failure_->first : bytes_.size();
    if (wake_at_ && offset_ < *wake_at_) limit = std::min(limit, *wake_at_);
    if (offset_ >= limit) {
      if (failure_) return ReadResult{0, failure_->second, {}};
      return ReadResult{};
    }
    const size_t n = std::min({buffer.size(), chunk_, limit - offset_});
    std::memcpy(buffer.data(), bytes_.data() + offset_, n);
    offset_ += n;
    return ReadResult{n, 0, {}};
  }
  const std::string& name() const override { return name_; }
  void checkpoint(uint64_t unconsumed) override { checkpoints_.push_back(unconsumed); }

  size_t reads() const { return reads_; }
  const std::vector<uint64_t>& checkpoints() const { return checkpoints_; }

 private:
  std::string bytes_;
  size_t chunk_;
  std::optional<std::pair<size_t, int>> failure_;
  std::optional<size_t> wake_at_;
  size_t offset_ = 0;
  size_t reads_ = 0;
  std::vector<uint64_t> checkpoints_;
  std::string name_ = "memory";
};

struct Drained {
  std::string bytes;
  ReadResult end;    // the result that stopped the reading
  size_t wakes = 0;  // results with `wake` set, which do not stop it
};

// Reads until a result of size 0 without wake, with read sizes cycling through 1..max_read.
inline Drained drain(Source& source, size_t max_read = 65536) {
  Drained out;
  std::vector<char> buffer(max_read);
  for (size_t i = 0;; ++i) {
    const size_t size = max_read <= 16 ? 1 + i % max_read : max_read;
    ReadResult got = source.read({buffer.data(), size});
    if (got.wake) {
      CHECK(got.size == 0);
      ++out.wakes;
      continue;
    }
    if (got.size == 0) {
      out.end = std::move(got);
      return out;
    }
    out.bytes.append(buffer.data(), got.size);
  }
}

inline Drained decompress_fixture(std::string_view name, size_t max_read = 65536,
                                  DecodeThread thread = DecodeThread::kAlways) {
  OpenResult opened = open_source(fixture_path(name));
  REQUIRE_MESSAGE(opened.source != nullptr, opened.error);
  std::unique_ptr<Source> source = open_decompressing(std::move(opened.source), thread);
  return drain(*source, max_read);
}

inline Drained decompress_memory(std::string bytes, size_t chunk = 1 << 20, size_t max_read = 65536,
                                 DecodeThread thread = DecodeThread::kAlways) {
  std::unique_ptr<Source> source =
      open_decompressing(std::make_unique<MemorySource>(std::move(bytes), chunk), thread);
  return drain(*source, max_read);
}

// Reads exactly `sizes` bytes per call, one after the other (filling each buffer whole), then
// one byte more, which must be the end; returns what came.
inline std::string read_exactly(Source& source, std::initializer_list<size_t> sizes,
                                ReadResult* end) {
  std::string got;
  for (size_t size : sizes) {
    std::string buffer(size, '\0');
    size_t filled = 0;
    while (filled < size) {
      const ReadResult read = source.read({buffer.data() + filled, size - filled});
      REQUIRE(read.size > 0);
      filled += read.size;
    }
    got += buffer;
  }
  char byte = 0;
  *end = source.read({&byte, 1});
  return got;
}

inline bool clean_end(const ReadResult& end) {
  return end.size == 0 && end.error == 0 && end.message.empty();
}

// The zstd regression (test_decompress.cpp), for any decoder: reads that fill the buffer exactly
// to the end of the data give the text, then a clean end that stays ended. A full output at a
// frame's end must not leave the decoder waiting for the next frame, nor the end of input look
// like truncation. `fixtures` hold plain.log compressed by the format's tool.
template <typename DecoderSource>
void check_clean_end_after_exact_fill(std::initializer_list<const char*> fixtures) {
  const std::string plain = slurp("plain.log");
  const size_t first = plain.size() / 3;
  for (const char* name : fixtures) {
    CAPTURE(std::string(name));
    DecoderSource source(std::make_unique<MemorySource>(slurp(name)));
    ReadResult end;
    CHECK(read_exactly(source, {first, plain.size() - first}, &end) == plain);
    CHECK(clean_end(end));
    char byte = 0;
    CHECK(clean_end(source.read({&byte, 1})));  // and it stays ended
  }
}

// About 3 MiB of log-like lines, the same on every run (a fixed linear congruential generator).
inline std::string make_log(size_t size) {
  std::string text;
  text.reserve(size + 200);
  uint32_t state = 12345;
  char line[200];
  for (unsigned i = 0; text.size() < size; ++i) {
    state = state * 1664525u + 1013904223u;
    const int n = std::snprintf(line, sizeof line,
                                "2026-11-20T09:%02u:%02u.%03uZ level=info svc=bot-%u msg=\"order "
                                "%u\" error_code=%u latency_ms=%u\n",
                                (i / 60000) % 60, (i / 1000) % 60, i % 1000, state % 7, i,
                                (state >> 8) % 200, (state >> 16) % 5000);
    text.append(line, static_cast<size_t>(n));
  }
  text.resize(size);
  return text;
}

// One gzip member of text, by isa-l's deflate (level 1).
inline std::string gzip_member(std::string_view text) {
  isal_zstream stream;
  isal_deflate_init(&stream);
  std::vector<uint8_t> level_buf(ISAL_DEF_LVL1_DEFAULT);
  stream.level = 1;
  stream.level_buf = level_buf.data();
  stream.level_buf_size = static_cast<uint32_t>(level_buf.size());
  stream.gzip_flag = IGZIP_GZIP;
  stream.end_of_stream = 1;
  std::string out(text.size() + text.size() / 2 + 1024, '\0');
  stream.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uint32_t>(text.size());
  stream.next_out = reinterpret_cast<uint8_t*>(out.data());
  stream.avail_out = static_cast<uint32_t>(out.size());
  REQUIRE(isal_deflate(&stream) == COMP_OK);
  REQUIRE(stream.internal_state.state == ZSTATE_END);
  out.resize(stream.total_out);
  return out;
}

// One gzip member of text with every optional header field (RFC 1952): FEXTRA, FNAME,
// FCOMMENT and FHCRC, the last one the low 16 bits of the header's CRC-32.
inline std::string gzip_member_with_header_fields(std::string_view text, size_t name_size = 7) {
  const std::string plain_member = gzip_member(text);
  std::string header("\x1f\x8b\x08\x1e\0\0\0\0\0\xff", 10);  // FLG: 2|4|8|16
  header += std::string("\x04\0ab\x00\x00", 6);              // XLEN 4, subfield "ab"
  header += std::string(name_size, 'n') + '\0';
  header += std::string("a comment") + '\0';
  const uint32_t crc =
      crc32_gzip_refl(0, reinterpret_cast<const uint8_t*>(header.data()), header.size());
  header += static_cast<char>(crc & 0xff);
  header += static_cast<char>((crc >> 8) & 0xff);
  return header + plain_member.substr(10);  // isa-l's own header has no optional fields
}

inline std::string zstd_frame(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t size = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  REQUIRE_FALSE(ZSTD_isError(size));
  out.resize(size);
  return out;
}

inline std::string flip_byte(std::string bytes, size_t offset) {
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x55);
  return bytes;
}

}  // namespace coinone::compressed_test
