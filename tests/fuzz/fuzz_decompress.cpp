// Fuzz target: open_decompressing() over arbitrary bytes, the way a file or stdin reaches it.
//
// Input: one option byte, then the raw stream.
//   bits 0-1  raw read size: 1, 3, 4096, everything at once
//   bits 2-3  read() buffer given to the decoded source: 1, 7, 4096, 65536 bytes
//   bit 4     decode on a thread of its own (ThreadedSource) or on the reader's thread
//
// Checks:
//   1. The stream ends, with no wake and no errno, either cleanly or with a message
//      "corrupt|truncated ... gzip|zstd|xz|bzip2|lz4 data at compressed byte N" (or the trailing
//      garbage of gzip and bzip2)
//      whose N lies within the input.
//   2. Plain input (no magic) comes out byte for byte, with a clean end.
//   3. Oracle: when a reference decoder accepts the whole input (zlib for gzip, over every
//      member, zero padding allowed; libzstd's one-shot streaming loop for zstd; for xz, bzip2
//      and lz4 each library's plainest whole-buffer loop, reference_decoders.h), the output is
//      exactly the reference's and the end is clean. Where the reference rejects the input, isa-l
//      may decode more or less garbage first (gzip_source.h), so only check 1 applies; for xz,
//      bzip2 and lz4 the end must then carry a message too (their sources use the same library,
//      so they may not accept what it rejects).
//   4. The outcome is sticky: one more read() returns it again.
//   5. No crash, leak or undefined behaviour (ASan + UBSan); time is bounded by -timeout.
// Output beyond kCap bytes (a zstd frame of RLE blocks expands 2 KiB to 64 MiB) is counted but
// not compared. Past kSmallReads bytes of output the read buffer is at least 64 KiB: a 200-byte
// bzip2 block that expands to 5.5 MB took 15 s to read a byte at a time under ASan.
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coinone_annotate/input/decompress.h"
#include "fuzz_check.h"
#include "reference_decoders.h"
#include "test_util.h"

namespace {

using coinone::Compression;
using coinone::DecodeThread;
using coinone::ReadResult;

constexpr size_t kCap = size_t{8} << 20;
constexpr size_t kSmallReads = size_t{256} << 10;

struct Decoded {
  std::string bytes;   // the first kCap bytes
  uint64_t total = 0;  // all of them
  void add(std::string_view more) {
    total += more.size();
    if (bytes.size() < kCap) bytes.append(more.substr(0, kCap - bytes.size()));
  }
};

// zlib over every member; nullopt unless the input is whole members, then only zero bytes.
std::optional<Decoded> reference_gzip(std::string_view in) {
  Decoded out;
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
  std::string chunk(65536, '\0');
  size_t at = 0;
  bool ok = false;
  for (;;) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + at));
    z.avail_in = static_cast<uInt>(in.size() - at);
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = static_cast<uInt>(chunk.size());
    const int status = inflate(&z, Z_NO_FLUSH);
    out.add({chunk.data(), chunk.size() - z.avail_out});
    at = in.size() - z.avail_in;
    if (status == Z_STREAM_END) {
      const std::string_view rest = in.substr(at);
      if (rest.size() >= 2 && rest.substr(0, 2) == "\x1f\x8b") {
        inflateReset(&z);
        continue;
      }
      ok = rest.find_first_not_of('\0') == std::string_view::npos;
      break;
    }
    if (status != Z_OK || (z.avail_in == 0 && z.avail_out != 0)) break;  // bad or truncated
    if (out.total > 4 * kCap) break;  // far past the cap: stop comparing
  }
  inflateEnd(&z);
  if (!ok) return std::nullopt;
  return out;
}

// libzstd over every frame; nullopt unless the input is whole frames and nothing else.
std::optional<Decoded> reference_zstd(std::string_view in) {
  Decoded out;
  std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> stream(ZSTD_createDStream(),
                                                                    &ZSTD_freeDStream);
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  size_t last = 1;
  while (input.pos < input.size || last != 0) {
    ZSTD_outBuffer output{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(stream.get(), &output, &input);
    if (ZSTD_isError(last)) return std::nullopt;
    out.add({chunk.data(), output.pos});
    if (input.pos == input.size && output.pos < output.size && last != 0) return std::nullopt;
    if (out.total > 4 * kCap) return std::nullopt;
  }
  return out;
}

// One of xz, bzip2 and lz4 through its reference_decoders.h loop; nullopt unless it accepts.
std::optional<Decoded> reference_other(Compression kind, std::string_view in) {
  Decoded out;
  const coinone::fuzz::Add add = [&](std::string_view more) {
    out.add(more);
    return out.total <= 4 * kCap;
  };
  bool ok = false;
  if (kind == Compression::kXz) ok = coinone::fuzz::reference_xz(in, add);
  if (kind == Compression::kBzip2) ok = coinone::fuzz::reference_bzip2(in, add);
  if (kind == Compression::kLz4) ok = coinone::fuzz::reference_lz4(in, add);
  if (!ok) return std::nullopt;
  return out;
}

// True for the messages the decoders' headers promise, with N within the input.
bool is_fault_message(std::string_view message, size_t input_size) {
  static constexpr std::string_view kWhats[] = {"corrupt ", "truncated ",
                                                "trailing garbage after "};
  static constexpr std::string_view kFormats[] = {"gzip", "zstd", "xz", "bzip2", "lz4"};
  for (const std::string_view what : kWhats) {
    if (!message.starts_with(what)) continue;
    std::string_view rest = message.substr(what.size());
    const std::string_view* format =
        std::find_if(std::begin(kFormats), std::end(kFormats),
                     [&](std::string_view f) { return rest.starts_with(f); });
    if (format == std::end(kFormats)) return false;
    rest.remove_prefix(format->size());
    constexpr std::string_view kAt = " data at compressed byte ";
    if (!rest.starts_with(kAt)) return false;
    if (what == "trailing garbage after " && *format != "gzip" && *format != "bzip2") return false;
    const std::string_view digits = rest.substr(kAt.size());
    if (digits.empty() || digits.size() > 12 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos)
      return false;
    return std::stoull(std::string(digits)) <= input_size;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr size_t kRawReads[] = {1, 3, 4096, SIZE_MAX};
  static constexpr size_t kBuffers[] = {1, 7, 4096, 65536};
  const uint8_t options = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t raw_read = std::min(kRawReads[options & 3], std::max<size_t>(input.size(), 1));
  const size_t buffer_size = kBuffers[(options >> 2) & 3];
  const DecodeThread thread = (options & 16) != 0 ? DecodeThread::kAlways : DecodeThread::kNever;

  auto source = coinone::open_decompressing(
      std::make_unique<coinone::testing::StringSource>(std::string(input), raw_read), thread);
  Decoded decoded;
  std::string buffer(buffer_size, '\0');
  ReadResult end;
  for (;;) {
    ReadResult got = source->read(buffer);
    FUZZ_CHECK(!got.wake, "a wake from a source that never wakes");
    if (got.size == 0) {
      end = std::move(got);
      break;
    }
    FUZZ_CHECK(got.size <= buffer.size(), std::to_string(got.size));
    decoded.add({buffer.data(), got.size});
    if (decoded.total > kSmallReads && buffer.size() < 65536) buffer.resize(65536);
  }
  FUZZ_CHECK(end.error == 0, std::to_string(end.error));
  FUZZ_CHECK(end.message.empty() || is_fault_message(end.message, input.size()), end.message);
  const ReadResult again = source->read(buffer);
  FUZZ_CHECK(again.size == 0 && again.message == end.message, "the end is not sticky");

  const Compression kind = coinone::detect_compression({input.data(), input.size()});
  std::optional<Decoded> expected;
  if (kind == Compression::kNone) {
    expected = Decoded{};
    expected->add(input);
  } else if (kind == Compression::kGzip) {
    expected = reference_gzip(input);
  } else if (kind == Compression::kZstd) {
    expected = reference_zstd(input);
  } else {
    expected = reference_other(kind, input);
    FUZZ_CHECK(expected || !end.message.empty() || decoded.total > 4 * kCap,
               "ended cleanly where the library's own loop rejects the input");
  }
  if (!expected) return 0;
  FUZZ_CHECK(end.message.empty(), "the reference decoder accepted it: " + end.message);
  FUZZ_CHECK(decoded.total == expected->total,
             std::to_string(decoded.total) + " bytes, expected " + std::to_string(expected->total));
  FUZZ_CHECK(decoded.bytes == expected->bytes,
             coinone::fuzz::first_difference(expected->bytes, decoded.bytes));
  return 0;
}
