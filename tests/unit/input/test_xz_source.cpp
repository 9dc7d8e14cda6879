// Tests of xz_source.h: liblzma decoding on one thread and on several, concatenated streams,
// padding, corrupt, truncated and trailing data. Fixtures and helpers: compressed_inputs.h.
#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;

Drained decode_xz(std::string bytes, unsigned threads, size_t chunk = 1 << 20,
                  size_t max_read = 65536) {
  XzSource source(std::make_unique<MemorySource>(std::move(bytes), chunk), threads);
  return drain(source, max_read);
}

// The offset in a "... xz data at compressed byte N" message.
uint64_t offset_in(const std::string& message) {
  const size_t space = message.rfind(' ');
  REQUIRE(space != std::string::npos);
  return std::stoull(message.substr(space + 1));
}

}  // namespace

TEST_SUITE("xz_source") {
  TEST_CASE(
      "one block, several blocks, several streams: plain.log, on 1 to 3 threads and the default") {
    const std::string plain = slurp("plain.log");
    for (const char* name : {"plain.log.xz", "multi-block.log.xz", "multi-stream.log.xz"}) {
      for (unsigned threads : {0u, 1u, 2u, 3u}) {  // 0: one more than the usable CPUs
        for (size_t chunk : {size_t{1}, size_t{4096}, size_t{1 << 20}}) {
          CAPTURE(std::string(name));
          CAPTURE(threads);
          CAPTURE(chunk);
          const Drained got = decode_xz(slurp(name), threads, chunk, chunk == 1 ? 7 : 65536);
          CHECK(got.bytes == plain);
          CHECK(clean_end(got.end));
        }
      }
    }
  }

  TEST_CASE("a corrupt block: the output xz -dc gives, then where liblzma gave up") {
    const std::string plain = slurp("plain.log");
    struct Case {
      std::string name;
      size_t out;       // the bytes xz -dc writes (compressed_inputs.h)
      size_t intact;    // how many of them are plain.log's: cmp of xz -dc's output and plain.log
      uint64_t single;  // N on one thread: Python's lzma, fed a byte at a time, fails there too
    };
    const Case cases[] = {{"corrupt.log.xz", 16883, 16883, 6006},
                          {"corrupt-one-block.log.xz", 21002, 19159, 5218}};
    for (const Case& c : cases) {
      for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
        CAPTURE(c.name);
        CAPTURE(chunk);
        const std::string compressed = slurp(c.name);
        const Drained one = decode_xz(compressed, 1, chunk);
        CHECK(one.bytes.size() == c.out);
        CHECK(one.bytes.substr(0, c.intact) == plain.substr(0, c.intact));
        CHECK(one.end.error == 0);
        CHECK(one.end.message == "corrupt xz data at compressed byte " + std::to_string(c.single));
        // In parallel the same bytes come out; liblzma may have taken in later blocks already.
        const Drained two = decode_xz(compressed, 2, chunk);
        CHECK(two.bytes == one.bytes);
        REQUIRE(two.end.message.starts_with("corrupt xz data at compressed byte "));
        CHECK(offset_in(two.end.message) >= c.single);
        CHECK(offset_in(two.end.message) <= compressed.size());
      }
    }
  }

  TEST_CASE("truncated xz: every byte xz -dc gives, then the length of the input") {
    const std::string plain = slurp("plain.log");
    for (unsigned threads : {1u, 2u}) {
      for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
        CAPTURE(threads);
        CAPTURE(chunk);
        const Drained got = decode_xz(slurp("truncated.log.xz"), threads, chunk);
        CHECK(got.bytes == plain.substr(0, 19414));
        CHECK(got.end.message == "truncated xz data at compressed byte 7000");
      }
    }
  }

  TEST_CASE("after the last stream: padding is clean, anything else is not (as for xz -dc)") {
    const std::string plain = slurp("plain.log");
    const std::string xz = slurp("plain.log.xz");  // 10216 bytes
    struct Case {
      std::string tail;
      const char* message;  // empty: a clean end
    };
    const Case cases[] = {
        {std::string(4, '\0'), ""},
        {std::string(8, '\0'), ""},
        // xz -dc: "Compressed data is corrupt" (padding must be a multiple of four bytes).
        {std::string(3, '\0'), "corrupt xz data at compressed byte 10219"},
        // xz -dc: "Unexpected end of input"; liblzma reads the 12 bytes of a stream header
        // before it looks at them, and gets only these 4.
        {"junk", "truncated xz data at compressed byte 10220"},
        {std::string(12, 'j'), "corrupt xz data at compressed byte 10228"},
    };
    for (const Case& c : cases) {
      for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
        CAPTURE(c.tail);
        CAPTURE(chunk);
        const Drained got = decode_xz(xz + c.tail, 2, chunk);
        CHECK(got.bytes == plain);
        CHECK(got.end.error == 0);
        CHECK(got.end.message == c.message);
      }
    }
  }

  TEST_CASE("a read that fills the buffer exactly to the end of the data is a clean end") {
    check_clean_end_after_exact_fill<XzSource>({"plain.log.xz", "multi-stream.log.xz"});
  }
}

}  // namespace coinone
