// Tests of gzip_source.h: isa-l decoding, headers, corrupt and trailing data.
// Fixtures and helpers: compressed_inputs.h.
#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;
using namespace std::chrono_literals;
}  // namespace

TEST_SUITE("gzip_source") {
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
}

}  // namespace coinone
