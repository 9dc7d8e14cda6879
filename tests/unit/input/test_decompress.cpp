// Tests of the decompressing input layer: decompress.h (detection, open_decompressing),
// gzip_source.h, zstd_source.h, zstd_steps.h, threaded_source.h and prefixed_source.h.
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
// The expected counts below come from tools other than the code under test:
//   16399  python3 zlib.decompressobj(31) over the first 5000 bytes of plain.log.gz, all of which
//          are intact in corrupt.log.gz: bytes that must come out before the fault;
//   27490  the same, fed corrupt.log.gz one byte at a time until zlib reports "invalid distance
//          too far back" at byte 7127 (0-based): bytes zlib decoded before the fault;
//   13378  `head -c 4126 corrupt.log.zst | zstd -dc | wc -c`: the first two blocks; zstd -dc of
//          truncated.log.zst writes the same count.
// The error offsets (N) are those of isa-l 2.30 and libzstd 1.5.4 as documented in the headers:
// isa-l stops one byte after zlib's failing byte 7127; the zstd fault is the third block's content.
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
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "coinone_annotate/input/decompress.h"
#include "coinone_annotate/input/gzip_source.h"
#include "coinone_annotate/input/prefixed_source.h"
#include "coinone_annotate/input/source.h"
#include "coinone_annotate/input/threaded_source.h"
#include "coinone_annotate/input/zstd_source.h"
#include "coinone_annotate/input/zstd_steps.h"

#ifndef COINONE_TEST_DATA_DIR
#define COINONE_TEST_DATA_DIR "tests"
#endif

namespace coinone {
namespace {

using namespace std::chrono_literals;

std::string fixture_path(std::string_view name) {
  return std::string(COINONE_TEST_DATA_DIR) + "/fixtures/" + std::string(name);
}

std::string slurp(std::string_view name) {
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
Drained drain(Source& source, size_t max_read = 65536) {
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

Drained decompress_fixture(std::string_view name, size_t max_read = 65536,
                           DecodeThread thread = DecodeThread::kAlways) {
  OpenResult opened = open_source(fixture_path(name));
  REQUIRE_MESSAGE(opened.source != nullptr, opened.error);
  std::unique_ptr<Source> source = open_decompressing(std::move(opened.source), thread);
  return drain(*source, max_read);
}

Drained decompress_memory(std::string bytes, size_t chunk = 1 << 20, size_t max_read = 65536,
                          DecodeThread thread = DecodeThread::kAlways) {
  std::unique_ptr<Source> source =
      open_decompressing(std::make_unique<MemorySource>(std::move(bytes), chunk), thread);
  return drain(*source, max_read);
}

bool clean_end(const ReadResult& end) {
  return end.size == 0 && end.error == 0 && end.message.empty();
}

// About 3 MiB of log-like lines, the same on every run (a fixed linear congruential generator).
std::string make_log(size_t size) {
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
std::string gzip_member(std::string_view text) {
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
std::string gzip_member_with_header_fields(std::string_view text, size_t name_size = 7) {
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

std::string zstd_frame(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t size = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  REQUIRE_FALSE(ZSTD_isError(size));
  out.resize(size);
  return out;
}

std::string flip_byte(std::string bytes, size_t offset) {
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x55);
  return bytes;
}

}  // namespace

TEST_SUITE("decompress") {
  TEST_CASE("detect_compression looks at magic bytes only") {
    CHECK(detect_compression(std::string_view("\x1f\x8b\x08", 3)) == Compression::kGzip);
    CHECK(detect_compression(std::string_view("\x28\xb5\x2f\xfd\x00", 5)) == Compression::kZstd);
    CHECK(detect_compression(std::string_view("\x1f", 1)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("\x28\xb5\x2f", 3)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("\x8b\x1f", 2)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("plain.gz", 8)) == Compression::kNone);
    CHECK(detect_compression({}) == Compression::kNone);
  }

  TEST_CASE("every well-formed fixture decodes to plain.log, with and without the thread") {
    const std::string plain = slurp("plain.log");
    REQUIRE(plain.size() == 49152);
    for (const std::string name : {"plain.log", "plain.log.gz", "multi-member.log.gz",
                                   "plain.log.zst", "multi-frame.log.zst"}) {
      CAPTURE(name);
      for (DecodeThread thread : {DecodeThread::kAlways, DecodeThread::kNever}) {
        CAPTURE(thread == DecodeThread::kAlways);
        for (size_t max_read : {size_t{65536}, size_t{13}}) {
          CAPTURE(max_read);
          const Drained from_file = decompress_fixture(name, max_read, thread);
          CHECK(from_file.bytes == plain);
          CHECK(clean_end(from_file.end));
        }
        // Through a source that hands out one byte per read, like a slow pipe: the peek and
        // every member and frame boundary are crossed a byte at a time.
        const Drained trickled = decompress_memory(slurp(name), 1, 7, thread);
        CHECK(trickled.bytes == plain);
        CHECK(clean_end(trickled.end));
      }
    }
  }

  TEST_CASE("a read that ends exactly at the end of a frame or member is a clean end") {
    // Regression: a zstd frame without a checksum (as ZSTD_compress() writes them) that filled
    // the caller's buffer to the last byte left the decoder looking for the next frame's header,
    // and the end of input was taken for truncation.
    const std::string plain = slurp("plain.log");
    const size_t half = plain.size() / 2;
    struct Case {
      std::string what;
      std::string compressed;
      bool gzip;
    };
    const Case cases[] = {
        {"gzip", slurp("plain.log.gz"), true},
        {"zstd with checksum", slurp("plain.log.zst"), false},
        {"zstd without checksum", zstd_frame(plain), false},
        {"two zstd frames", zstd_frame(plain.substr(0, half)) + zstd_frame(plain.substr(half)),
         false},
    };
    for (const Case& c : cases) {
      CAPTURE(c.what);
      auto raw = std::make_unique<MemorySource>(c.compressed);
      std::unique_ptr<Source> source;
      if (c.gzip) {
        source = std::make_unique<GzipSource>(std::move(raw));
      } else {
        source = std::make_unique<ZstdSource>(std::move(raw));
      }
      // Buffers ending exactly where the frames end.
      std::string got;
      for (size_t size : {half, plain.size() - half}) {
        std::string buffer(size, '\0');
        size_t filled = 0;
        while (filled < size) {
          const ReadResult read = source->read({buffer.data() + filled, size - filled});
          REQUIRE(read.size > 0);
          filled += read.size;
        }
        got += buffer;
      }
      CHECK(got == plain);
      char byte = 0;
      CHECK(clean_end(source->read({&byte, 1})));
    }
  }

  TEST_CASE("an empty input is plain and ends at once") {
    const Drained empty = decompress_fixture("empty.log");
    CHECK(empty.bytes.empty());
    CHECK(clean_end(empty.end));
  }

  TEST_CASE("inputs that only begin like a magic are plain, byte for byte") {
    const std::string cases[] = {
        std::string("\x1f", 1),         std::string("\x1f", 1) + "a",
        std::string("\x28\xb5\x2f", 3), std::string("\x28\xb5", 2) + "x\n",
        std::string("\x8b\x1f\n", 3),   std::string("ok\n", 3),
    };
    for (const std::string& input : cases) {
      CAPTURE(input);
      for (size_t chunk : {size_t{1}, size_t{4096}}) {
        const Drained got = decompress_memory(input, chunk);
        CHECK(got.bytes == input);
        CHECK(clean_end(got.end));
      }
    }
  }

  TEST_CASE("the peek reads no further than a magic needs") {
    // A live pipe's first line is not held back waiting for bytes that cannot make a magic.
    auto raw = std::make_unique<MemorySource>("ok\nmore\n", 1);
    MemorySource* counter = raw.get();
    std::unique_ptr<Source> source = open_decompressing(std::move(raw));
    CHECK(counter->reads() == 1);
    CHECK(source->name() == "memory");
    CHECK(drain(*source).bytes == "ok\nmore\n");
  }

  TEST_CASE("corrupt gzip: the bytes decoded before the fault, then its offset") {
    const std::string plain = slurp("plain.log");
    // Large reads go through the thread into 256 KiB blocks, where isa-l decodes straight into
    // the block; 1..5-byte reads without the thread make it decode into its own buffer and copy
    // out, and a fault must not lose what that buffer holds. Here both see the same bytes.
    const Drained large = decompress_fixture("corrupt.log.gz", 65536, DecodeThread::kAlways);
    const Drained tiny = decompress_fixture("corrupt.log.gz", 5, DecodeThread::kNever);
    for (const Drained* got : {&large, &tiny}) {
      REQUIRE(got->bytes.size() >= 27490);
      CHECK(got->bytes.substr(0, 16399) == plain.substr(0, 16399));
      CHECK(got->end.error == 0);
      CHECK(got->end.message == "corrupt gzip data at compressed byte 7128");
    }
    CHECK(tiny.bytes == large.bytes);
  }

  TEST_CASE("corrupt zstd: the blocks before the bad one, then where it starts") {
    const std::string plain = slurp("plain.log");
    for (size_t max_read : {size_t{65536}, size_t{5}}) {
      CAPTURE(max_read);
      const DecodeThread thread = max_read == 5 ? DecodeThread::kNever : DecodeThread::kAlways;
      const Drained got = decompress_fixture("corrupt.log.zst", max_read, thread);
      CHECK(got.bytes == plain.substr(0, 13378));
      CHECK(got.end.error == 0);
      CHECK(got.end.message == "corrupt zstd data at compressed byte 4126");
    }
    // The same a byte at a time: a block split across many reads is still located.
    const Drained trickled = decompress_memory(slurp("corrupt.log.zst"), 1, 3);
    CHECK(trickled.bytes == plain.substr(0, 13378));
    CHECK(trickled.end.message == "corrupt zstd data at compressed byte 4126");
  }

  TEST_CASE("truncated input: everything decodable, then the length of the input") {
    const std::string plain = slurp("plain.log");
    struct Case {
      std::string name;
      size_t decodable;
      const char* message;
    };
    const Case cases[] = {
        {"truncated.log.gz", 16399, "truncated gzip data at compressed byte 5000"},
        {"truncated.log.zst", 13378, "truncated zstd data at compressed byte 5000"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      const Drained got = decompress_fixture(c.name);
      CHECK(got.bytes == plain.substr(0, c.decodable));
      CHECK(got.end.error == 0);
      CHECK(got.end.message == c.message);
      const Drained trickled = decompress_memory(slurp(c.name), 1, 11, DecodeThread::kNever);
      CHECK(trickled.bytes == plain.substr(0, c.decodable));
      CHECK(trickled.end.message == c.message);
    }
  }

  TEST_CASE("checksum mismatches point at the checksum") {
    const std::string plain = slurp("plain.log");
    SUBCASE("gzip CRC-32: the start of the 8-byte trailer") {
      const std::string gz = slurp("plain.log.gz");
      const Drained got = decompress_memory(flip_byte(gz, gz.size() - 6));
      CHECK(got.bytes == plain);
      CHECK(got.end.message == "corrupt gzip data at compressed byte 11361");
    }
    SUBCASE("zstd XXH64: the start of the 4-byte checksum") {
      const std::string zst = slurp("plain.log.zst");
      const Drained got = decompress_memory(flip_byte(zst, zst.size() - 2));
      CHECK(got.bytes == plain);
      CHECK(got.end.message == "corrupt zstd data at compressed byte 10420");
    }
  }

  TEST_CASE("gzip headers with a name, comment, extra field and header CRC, in pieces") {
    // Regression (fuzz_decompress): isa-l 2.30's isal_inflate() parses a header that arrives in
    // pieces with an uninitialised local and rejected such members at random.
    const std::string text = make_log(20000);
    const std::string gz = gzip_member_with_header_fields(text);
    for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{1} << 20}) {
      CAPTURE(chunk);
      for (int round = 0; round < 20; ++round) {  // the old failure was random
        const Drained got = decompress_memory(gz + gz, chunk, 4096, DecodeThread::kNever);
        REQUIRE(got.bytes == text + text);
        REQUIRE(clean_end(got.end));
      }
    }
    SUBCASE("a name longer than the input buffer") {
      const std::string long_name = gzip_member_with_header_fields(text, 300000);
      const Drained got = decompress_memory(long_name, 4096);
      CHECK(got.bytes == text);
      CHECK(clean_end(got.end));
    }
    SUBCASE("a wrong header CRC is corrupt data") {
      const size_t header_size = 10 + 6 + 8 + 10 + 2;
      const Drained got = decompress_memory(flip_byte(gz, header_size - 1), 3);
      CHECK(got.bytes.empty());
      CHECK(got.end.message ==
            "corrupt gzip data at compressed byte " + std::to_string(header_size));
    }
  }

  TEST_CASE("after the last gzip member, as gzip -dc") {
    const std::string plain = slurp("plain.log");
    const std::string gz = slurp("plain.log.gz");
    REQUIRE(gz.size() == 11369);
    struct Case {
      std::string tail;
      const char* message;  // empty: a clean end
    };
    const Case cases[] = {
        {std::string(512, '\0'), ""},  // tape padding: quiet, gzip exits 0
        {"trailing junk\n", "trailing garbage after gzip data at compressed byte 11369"},
        {std::string(4, '\0') + "x", "trailing garbage after gzip data at compressed byte 11369"},
        {std::string("\0\x1f\x8b", 3), "trailing garbage after gzip data at compressed byte 11369"},
        {std::string("\x1f", 1), "truncated gzip data at compressed byte 11370"},
        {std::string("\x1f", 1) + "x", "trailing garbage after gzip data at compressed byte 11369"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.tail);
      for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
        CAPTURE(chunk);
        const Drained got = decompress_memory(gz + c.tail, chunk);
        CHECK(got.bytes == plain);  // every member byte comes out first
        CHECK(got.end.error == 0);
        CHECK(got.end.message == c.message);
      }
    }
  }

  TEST_CASE("bytes after the last zstd frame are corrupt data, as for zstd -dc") {
    const std::string plain = slurp("plain.log");
    const std::string zst = slurp("plain.log.zst");
    struct Case {
      std::string tail;
      const char* message;
    };
    const Case cases[] = {
        {"junk", "corrupt zstd data at compressed byte 10424"},
        {std::string(8, '\0'), "corrupt zstd data at compressed byte 10424"},
        // The start of a magic, then nothing: zstd -dc says "unknown header".
        {std::string("\x28", 1), "truncated zstd data at compressed byte 10425"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.tail);
      for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
        const Drained got = decompress_memory(zst + c.tail, chunk);
        CHECK(got.bytes == plain);
        CHECK(got.end.message == c.message);
      }
    }
  }

  TEST_CASE("a failing raw read comes back with its errno, after the decoded bytes") {
    const std::string plain = slurp("plain.log");
    struct Case {
      std::string name;
      size_t fail_at;
      std::string expected;
    };
    const Case cases[] = {
        {"plain.log", 1000, plain.substr(0, 1000)},
        {"plain.log.gz", 5000, plain.substr(0, 16399)},
        {"truncated.log.zst", 5000, plain.substr(0, 13378)},
        // During the peek: one byte cannot name a format, so it is passed on as plain text.
        {"plain.log.gz", 1, "\x1f"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      CAPTURE(c.fail_at);
      auto raw = std::make_unique<MemorySource>(slurp(c.name), 997, std::make_pair(c.fail_at, EIO));
      std::unique_ptr<Source> source = open_decompressing(std::move(raw));
      const Drained got = drain(*source);
      CHECK(got.bytes == c.expected);
      CHECK(got.end.error == EIO);
      CHECK(got.end.message.empty());
      // The outcome is sticky.
      char byte = 0;
      CHECK(source->read({&byte, 1}).error == EIO);
    }
  }

  TEST_CASE("3 MiB through tiny reads, every boundary crossed") {
    const std::string text = make_log(3 << 20);
    // Three members / frames of uneven sizes, so boundaries fall at odd places.
    const size_t cut1 = 1'000'003;
    const size_t cut2 = 2'500'001;
    const std::string gz = gzip_member(text.substr(0, cut1)) +
                           gzip_member(text.substr(cut1, cut2 - cut1)) +
                           gzip_member(text.substr(cut2));
    const std::string zst = zstd_frame(text.substr(0, cut1)) + zstd_frame(text.substr(cut1));

    for (DecodeThread thread : {DecodeThread::kAlways, DecodeThread::kNever}) {
      CAPTURE(thread == DecodeThread::kAlways);
      const Drained from_gz = decompress_memory(gz, 7, 13, thread);
      CHECK(from_gz.bytes.size() == text.size());
      CHECK(from_gz.bytes == text);
      CHECK(clean_end(from_gz.end));
      const Drained from_zst = decompress_memory(zst, 7, 13, thread);
      CHECK(from_zst.bytes == text);
      CHECK(clean_end(from_zst.end));
    }
    {  // gzip through a ThreadedSource of two 1000-byte blocks
      ThreadedSource source(std::make_unique<GzipSource>(std::make_unique<MemorySource>(gz, 4096)),
                            1000, 2);
      const Drained got = drain(source, 777);
      CHECK(got.bytes == text);
      CHECK(clean_end(got.end));
    }
  }

  TEST_CASE("ThreadedSource hands out its inner source's bytes and final result") {
    const std::string text = make_log(100'000);
    for (size_t block_size : {size_t{1}, size_t{3}, size_t{4096}}) {
      CAPTURE(block_size);
      ThreadedSource source(
          std::make_unique<MemorySource>(text, 5, std::make_pair(text.size(), EACCES)), block_size,
          2);
      const Drained got = drain(source, 7);
      CHECK(got.bytes == text);
      CHECK(got.end.error == EACCES);
      char byte = 0;
      CHECK(source.read({&byte, 1}).error == EACCES);
    }
  }

  TEST_CASE("destroying a compressed source early does not hang") {
    SUBCASE("the producer waits on a full queue: joined") {
      const std::string gz = gzip_member(make_log(3 << 20));
      std::unique_ptr<Source> source =
          open_decompressing(std::make_unique<MemorySource>(gz), DecodeThread::kAlways);
      char head[100];
      REQUIRE(source->read(head).size > 0);
      std::this_thread::sleep_for(20ms);  // let the producer fill every block and wait
      const auto start = std::chrono::steady_clock::now();
      source.reset();
      CHECK(std::chrono::steady_clock::now() - start < ThreadedSource::kStopPatience);
    }
    SUBCASE("the producer is blocked on an idle pipe: detached") {
      int fds[2];
      REQUIRE(::pipe(fds) == 0);
      const std::string gz = slurp("plain.log.gz");
      REQUIRE(::write(fds[1], gz.data(), 10) == 10);  // the header only: nothing to decode
      std::unique_ptr<Source> source = open_decompressing(
          std::make_unique<FdSource>(fds[0], "pipe", true), DecodeThread::kAlways);
      std::this_thread::sleep_for(20ms);  // the producer is now inside read(2)
      const auto start = std::chrono::steady_clock::now();
      source.reset();
      CHECK(std::chrono::steady_clock::now() - start < ThreadedSource::kStopPatience + 500ms);
      // The detached producer sees the end of input, stops and frees the source (closing the
      // pipe's read end). Give it a moment, so that it is gone before other tests run.
      ::close(fds[1]);
      std::this_thread::sleep_for(50ms);
    }
  }

  TEST_CASE("a compressed pipe: what is decodable comes out before the writer is done") {
    // A member that has arrived complete is handed out at once, not held until a 256 KiB block
    // is full or the pipe ends: the searcher can show those lines while the writer pauses.
    const std::string plain = slurp("plain.log");
    const size_t half = plain.size() / 2;
    const std::string first = gzip_member(plain.substr(0, half));
    const std::string second = gzip_member(plain.substr(half));
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(::write(fds[1], first.data(), first.size()) == static_cast<ssize_t>(first.size()));
    std::unique_ptr<Source> source =
        open_decompressing(std::make_unique<FdSource>(fds[0], "pipe", true), DecodeThread::kAlways);
    // Should the first half wait for more input, this writer ends the wait after 3 s, and the
    // time check below fails instead of the test hanging.
    std::thread late_writer([&] {
      std::this_thread::sleep_for(3s);
      const ssize_t written = ::write(fds[1], second.data(), second.size());
      CHECK(written == static_cast<ssize_t>(second.size()));
      ::close(fds[1]);
    });
    const auto start = std::chrono::steady_clock::now();
    std::string got;
    char buffer[4096];
    while (got.size() < half) {
      const ReadResult read = source->read(buffer);
      REQUIRE(read.size > 0);
      got.append(buffer, read.size);
    }
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(got == plain.substr(0, half));
    const Drained rest = drain(*source);
    CHECK(got + rest.bytes == plain);
    CHECK(clean_end(rest.end));
    late_writer.join();
  }

  TEST_CASE("a wake from the raw source is handed on, never taken for the end") {
    const std::string plain = slurp("plain.log");
    struct Case {
      std::string name;
      size_t wake_at;
      size_t wakes;  // a wake during the peek stays pending in the signal flags: not handed on
    };
    const Case cases[] = {
        {"plain.log", 1000, 1},        {"plain.log.gz", 5000, 1},     {"plain.log.zst", 5000, 1},
        {"multi-member.log.gz", 0, 0}, {"multi-frame.log.zst", 2, 0},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      CAPTURE(c.wake_at);
      for (size_t chunk : {size_t{1}, size_t{4096}}) {
        const DecodeThread thread = chunk == 1 ? DecodeThread::kNever : DecodeThread::kAlways;
        std::unique_ptr<Source> source = open_decompressing(
            std::make_unique<MemorySource>(slurp(c.name), chunk, std::nullopt, c.wake_at), thread);
        const Drained got = drain(*source, 13);
        CHECK(got.bytes == plain);
        CHECK(clean_end(got.end));
        CHECK(got.wakes == c.wakes);
      }
    }
  }

  TEST_CASE("PrefixedSource passes checkpoints on, counting the prefix not yet handed out") {
    auto raw = std::make_unique<MemorySource>("efgh");
    MemorySource* recorder = raw.get();
    PrefixedSource source(std::move(raw), "abcd");
    char buffer[3];
    REQUIRE(source.read(buffer).size == 3);  // "abc"
    source.checkpoint(1);                    // "c" is not written yet, "d" not even read
    REQUIRE(source.read(buffer).size == 1);  // "d"
    source.checkpoint(0);
    CHECK(recorder->checkpoints() == std::vector<uint64_t>{2, 0});
  }

  TEST_CASE("PrefixedSource keeps the outcome the peek ended on") {
    auto raw = std::make_unique<MemorySource>("never read");
    MemorySource* counter = raw.get();
    PrefixedSource source(std::move(raw), "ab", ReadResult{});
    char buffer[8];
    CHECK(source.read(buffer).size == 2);
    CHECK(clean_end(source.read(buffer)));
    CHECK(clean_end(source.read(buffer)));
    CHECK(counter->reads() == 0);
  }

  TEST_CASE("ZstdSteps cuts a frame at its headers and blocks") {
    // truncated.log.zst: a 7-byte frame header, then blocks whose headers sit at 7, 2067 and
    // 4123 (content 2057 and 2053 bytes), as listed by the frame format (RFC 8878).
    const std::string zst = slurp("truncated.log.zst");
    ZstdSteps steps;
    std::vector<uint64_t> starts{steps.start()};
    std::vector<size_t> sizes{steps.left()};
    for (size_t offset = 0; offset < zst.size(); ++offset) {
      steps.consume({zst.data() + offset, 1}, offset + 1);
      if (steps.start() != starts.back()) {
        starts.push_back(steps.start());
        sizes.push_back(steps.left());
      }
    }
    CHECK(starts == std::vector<uint64_t>{0, 4, 5, 7, 10, 2067, 2070, 4123, 4126});
    CHECK(sizes == std::vector<size_t>{4, 1, 2, 3, 2057, 3, 2053, 3, 2049});
  }
}

}  // namespace coinone
