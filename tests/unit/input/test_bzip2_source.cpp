// Tests of bzip2_source.h: libbz2 decoding, concatenated streams, corrupt, truncated and trailing
// data. Fixtures and helpers: compressed_inputs.h.
#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;

Drained decode_bzip2(std::string bytes, size_t chunk = 1 << 20, size_t max_read = 65536) {
  Bzip2Source source(std::make_unique<MemorySource>(std::move(bytes), chunk));
  return drain(source, max_read);
}

}  // namespace

TEST_SUITE("bzip2_source") {
  TEST_CASE("one stream and two streams back to back decode to plain.log") {
    const std::string plain = slurp("plain.log");
    for (const char* name : {"plain.log.bz2", "multi-stream.log.bz2"}) {
      for (size_t chunk : {size_t{1}, size_t{4096}, size_t{1 << 20}}) {
        CAPTURE(std::string(name));
        CAPTURE(chunk);
        const Drained got = decode_bzip2(slurp(name), chunk, chunk == 1 ? 7 : 65536);
        CHECK(got.bytes == plain);
        CHECK(clean_end(got.end));
      }
    }
  }

  TEST_CASE("a corrupt block: the streams before it, then where libbz2 gave up") {
    const std::string plain = slurp("plain.log");
    for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
      CAPTURE(chunk);
      const Drained got = decode_bzip2(slurp("corrupt.log.bz2"), chunk);
      // What bzip2 -dc writes: the first stream. This damage is found while libbz2 reads the
      // block, before it writes any of it (a CRC mismatch would come after its bytes).
      CHECK(got.bytes == plain.substr(0, 23481));
      CHECK(got.end.error == 0);
      // Python's bz2, fed a byte at a time, fails at the same byte: the end of the block.
      CHECK(got.end.message == "corrupt bzip2 data at compressed byte 13053");
    }
  }

  TEST_CASE("truncated bzip2: the first stream, then the length of the input") {
    const std::string plain = slurp("plain.log");
    for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
      CAPTURE(chunk);
      const Drained got = decode_bzip2(slurp("truncated.log.bz2"), chunk);
      CHECK(got.bytes == plain.substr(0, 23481));
      CHECK(got.end.message == "truncated bzip2 data at compressed byte 9000");
    }
  }

  TEST_CASE("after the last stream: garbage and a lone magic, as bzip2 -dc sees them") {
    const std::string plain = slurp("plain.log");
    const std::string bz2 = slurp("plain.log.bz2");  // 10757 bytes
    struct Case {
      std::string tail;
      const char* message;
    };
    const Case cases[] = {
        // bzip2 -dc: "trailing garbage after EOF ignored"
        {"junk", "trailing garbage after bzip2 data at compressed byte 10757"},
        {std::string(4, '\0'), "trailing garbage after bzip2 data at compressed byte 10757"},
        {"BZh0", "trailing garbage after bzip2 data at compressed byte 10757"},
        // bzip2 -dc: "Compressed file ends unexpectedly"
        {"BZ", "truncated bzip2 data at compressed byte 10759"},
        {"BZh9", "truncated bzip2 data at compressed byte 10761"},
    };
    for (const Case& c : cases) {
      for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
        CAPTURE(c.tail);
        CAPTURE(chunk);
        const Drained got = decode_bzip2(bz2 + c.tail, chunk);
        CHECK(got.bytes == plain);
        CHECK(got.end.error == 0);
        CHECK(got.end.message == c.message);
      }
    }
  }

  TEST_CASE("a read that fills the buffer exactly to the end of the data is a clean end") {
    check_clean_end_after_exact_fill<Bzip2Source>({"plain.log.bz2", "multi-stream.log.bz2"});
  }
}

}  // namespace coinone
