// Tests of zstd_source.h: libzstd decoding, corrupt and trailing data.
// Fixtures and helpers: compressed_inputs.h.
#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;
using namespace std::chrono_literals;
}  // namespace

TEST_SUITE("zstd_source") {
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
}

}  // namespace coinone
