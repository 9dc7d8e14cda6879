// Tests of decompress.h (detection, open_decompressing): every format through one interface.
// Fixtures and helpers: compressed_inputs.h.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <system_error>

#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;
using namespace std::chrono_literals;
}  // namespace

TEST_SUITE("decompress") {
  TEST_CASE("detect_compression looks at magic bytes only") {
    CHECK(detect_compression(std::string_view("\x1f\x8b\x08", 3)) == Compression::kGzip);
    CHECK(detect_compression(std::string_view("\x28\xb5\x2f\xfd\x00", 5)) == Compression::kZstd);
    CHECK(detect_compression(std::string_view("\xfd"
                                              "7zXZ\0\0",
                                              7)) == Compression::kXz);
    CHECK(detect_compression(std::string_view("BZh9", 4)) == Compression::kBzip2);
    CHECK(detect_compression(std::string_view("BZh1", 4)) == Compression::kBzip2);
    CHECK(detect_compression(std::string_view("\x04\x22\x4d\x18", 4)) == Compression::kLz4);
    CHECK(detect_compression(std::string_view("\xfd"
                                              "7zXZ",
                                              5)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("BZh0", 4)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("BZhx", 4)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("BZh", 3)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("\x04\x22\x4d", 3)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("\x1f", 1)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("\x28\xb5\x2f", 3)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("\x8b\x1f", 2)) == Compression::kNone);
    CHECK(detect_compression(std::string_view("plain.gz", 8)) == Compression::kNone);
    CHECK(detect_compression({}) == Compression::kNone);
  }

  TEST_CASE("every well-formed fixture decodes to plain.log, with and without the thread") {
    const std::string plain = slurp("plain.log");
    REQUIRE(plain.size() == 49152);
    for (const std::string name :
         {"plain.log", "plain.log.gz", "multi-member.log.gz", "plain.log.zst",
          "multi-frame.log.zst", "plain.log.xz", "multi-block.log.xz", "multi-stream.log.xz",
          "plain.log.bz2", "multi-stream.log.bz2", "plain.log.lz4", "multi-frame.log.lz4"}) {
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
        std::string("\x1f", 1),
        std::string("\x1f", 1) + "a",
        std::string("\x28\xb5\x2f", 3),
        std::string("\x28\xb5", 2) + "x\n",
        std::string("\x8b\x1f\n", 3),
        std::string("ok\n", 3),
        "BZh\n",
        "BZh0 is not bzip2\n",
        "BZ",
        std::string("\xfd"
                    "7zX",
                    4),
        std::string("\xfd"
                    "7zXZ\n",
                    6),
        std::string("\x04\x22\x4d", 3),
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

  TEST_CASE("truncated input: everything decodable, then the length of the input") {
    const std::string once = slurp("plain.log");
    const std::string plain = once + once + once;  // what corrupt.log.lz4's frame holds
    struct Case {
      std::string name;
      size_t decodable;
      const char* message;
    };
    const Case cases[] = {
        {"truncated.log.gz", 16399, "truncated gzip data at compressed byte 5000"},
        {"truncated.log.zst", 13378, "truncated zstd data at compressed byte 5000"},
        {"truncated.log.xz", 19414, "truncated xz data at compressed byte 7000"},
        {"truncated.log.bz2", 23481, "truncated bzip2 data at compressed byte 9000"},
        {"truncated.log.lz4", 65536, "truncated lz4 data at compressed byte 30000"},
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

  TEST_CASE("xz, bzip2 and lz4 faults reach the reader in order, through the decoder thread") {
    const std::string plain = slurp("plain.log");
    const std::string triple = plain + plain + plain;
    struct Case {
      std::string name;
      std::string prefix;  // what must come out first
      const char* message;
    };
    const Case cases[] = {
        {"corrupt-one-block.log.xz", plain.substr(0, 19159),
         "corrupt xz data at compressed byte 5218"},
        {"corrupt.log.bz2", plain.substr(0, 23481), "corrupt bzip2 data at compressed byte 13053"},
        {"corrupt.log.lz4", triple.substr(0, 65536), "corrupt lz4 data at compressed byte 18902"},
    };
    for (const Case& c : cases) {
      for (DecodeThread thread : {DecodeThread::kAlways, DecodeThread::kNever}) {
        CAPTURE(c.name);
        CAPTURE(thread == DecodeThread::kAlways);
        const Drained got = decompress_fixture(c.name, 13, thread);
        CHECK(got.bytes.substr(0, c.prefix.size()) == c.prefix);
        CHECK(got.end.error == 0);
        CHECK(got.end.message == c.message);
      }
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

  TEST_CASE("no thread to be had (process limit): decodes on the calling thread, no exception") {
    // A forked child drops to an unprivileged user (root ignores RLIMIT_NPROC) and allows itself
    // no further thread: pthread_create then fails with EAGAIN, as at a container's pids limit.
    const std::string plain = slurp("plain.log");
    const std::string gzip = slurp("plain.log.gz"), zstd = slurp("plain.log.zst");
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      const rlimit none{0, 0};
      if ((::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ||
          ::setrlimit(RLIMIT_NPROC, &none) != 0)
        ::_exit(77);
      try {
        std::thread probe([] {});
        probe.join();
        ::_exit(77);  // threads still start: the limit cannot be set up here
      } catch (const std::system_error&) {
      }
      try {
        for (const std::string* compressed : {&gzip, &zstd}) {
          auto source = open_decompressing(std::make_unique<MemorySource>(*compressed, 4096),
                                           DecodeThread::kAlways);
          const Drained got = drain(*source, 65536);
          if (got.bytes != plain || !clean_end(got.end)) ::_exit(1);
        }
      } catch (...) {
        ::_exit(2);
      }
      ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77) {
      MESSAGE("SKIP: RLIMIT_NPROC cannot stop thread creation here");
      return;
    }
    CHECK_MESSAGE(WEXITSTATUS(status) == 0, "1: wrong bytes, 2: an exception escaped");
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
}

}  // namespace coinone
