// Tests of lz4_source.h and lz4_steps.h: liblz4's frame decoding, concatenated frames, corrupt,
// truncated and trailing data. Fixtures and helpers: compressed_inputs.h.
#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;

Drained decode_lz4(std::string bytes, size_t chunk = 1 << 20, size_t max_read = 65536) {
  Lz4Source source(std::make_unique<MemorySource>(std::move(bytes), chunk));
  return drain(source, max_read);
}

std::string plain_three_times() {
  const std::string plain = slurp("plain.log");
  return plain + plain + plain;
}

// corrupt.log.lz4 as lz4 wrote it (byte 25000 was XORed with 0x55).
std::string intact_triple() { return flip_byte(slurp("corrupt.log.lz4"), 25000); }

}  // namespace

TEST_SUITE("lz4_source") {
  TEST_CASE("one frame, two frames, three blocks with checksums: the text lz4 -dc gives") {
    const std::string plain = slurp("plain.log");
    struct Case {
      std::string name;
      std::string compressed;
      std::string text;
    };
    const Case cases[] = {{"plain.log.lz4", slurp("plain.log.lz4"), plain},
                          {"multi-frame.log.lz4", slurp("multi-frame.log.lz4"), plain},
                          {"three blocks", intact_triple(), plain_three_times()}};
    for (const Case& c : cases) {
      for (size_t chunk : {size_t{1}, size_t{4096}, size_t{1 << 20}}) {
        for (size_t max_read : {size_t{7}, size_t{65536}}) {
          CAPTURE(c.name);
          CAPTURE(chunk);
          CAPTURE(max_read);
          const Drained got = decode_lz4(c.compressed, chunk, max_read);
          CHECK(got.bytes == c.text);
          CHECK(clean_end(got.end));
        }
      }
    }
  }

  TEST_CASE("bad block or checksum: every good block, then where the bad step starts") {
    const std::string text = plain_three_times();
    struct Case {
      std::string what;
      std::string compressed;
      size_t good;
      const char* message;
    };
    const Case cases[] = {
        // lz4 -dc writes the first block (65536 bytes), then "blockChecksum_invalid".
        {"block checksum", slurp("corrupt.log.lz4"), 65536,
         "corrupt lz4 data at compressed byte 18902"},
        // lz4 -dc writes only 131072 bytes, then "contentChecksum_invalid": its failing call
        // held the last block too. Stepping hands out all three blocks.
        {"content checksum", flip_byte(intact_triple(), 45218), text.size(),
         "corrupt lz4 data at compressed byte 45217"},
        // A block size over the frame's 64 KiB maximum.
        {"block size", flip_byte(intact_triple(), 18901), 65536,
         "corrupt lz4 data at compressed byte 18898"},
        {"header checksum", flip_byte(intact_triple(), 6), 0,
         "corrupt lz4 data at compressed byte 6"},
    };
    for (const Case& c : cases) {
      for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
        for (size_t max_read : {size_t{7}, size_t{65536}}) {
          CAPTURE(c.what);
          CAPTURE(chunk);
          CAPTURE(max_read);
          const Drained got = decode_lz4(c.compressed, chunk, max_read);
          CHECK(got.bytes == text.substr(0, c.good));
          CHECK(got.end.error == 0);
          CHECK(got.end.message == c.message);
        }
      }
    }
  }

  TEST_CASE("truncated lz4: the first block, then the length of the input") {
    const std::string text = plain_three_times();
    for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
      CAPTURE(chunk);
      const Drained got = decode_lz4(slurp("truncated.log.lz4"), chunk);
      CHECK(got.bytes == text.substr(0, 65536));
      CHECK(got.end.message == "truncated lz4 data at compressed byte 30000");
    }
  }

  TEST_CASE("after the last frame: garbage is corrupt, a lone magic byte truncated") {
    const std::string plain = slurp("plain.log");
    const std::string lz4 = slurp("plain.log.lz4");  // 18828 bytes
    struct Case {
      std::string tail;
      const char* message;
    };
    const Case cases[] = {
        {"junk", "corrupt lz4 data at compressed byte 18828"},
        {std::string(4, '\0'), "corrupt lz4 data at compressed byte 18828"},
        {std::string("\x04", 1), "truncated lz4 data at compressed byte 18829"},
    };
    for (const Case& c : cases) {
      for (size_t chunk : {size_t{1}, size_t{1 << 20}}) {
        CAPTURE(c.tail);
        CAPTURE(chunk);
        const Drained got = decode_lz4(lz4 + c.tail, chunk);
        CHECK(got.bytes == plain);
        CHECK(got.end.message == c.message);
      }
    }
  }

  TEST_CASE("a read that fills the buffer exactly to the end of the data is a clean end") {
    check_clean_end_after_exact_fill<Lz4Source>({"plain.log.lz4", "multi-frame.log.lz4"});
  }
}

}  // namespace coinone
