#include "coinone_annotate/input/decompress.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "coinone_annotate/base/cpus.h"
#include "coinone_annotate/input/bzip2_source.h"
#include "coinone_annotate/input/gzip_source.h"
#include "coinone_annotate/input/lz4_source.h"
#include "coinone_annotate/input/prefixed_source.h"
#include "coinone_annotate/input/threaded_source.h"
#include "coinone_annotate/input/xz_source.h"
#include "coinone_annotate/input/zstd_source.h"

namespace coinone {

namespace {

struct Magic {
  std::string_view bytes;  // '?' stands for bzip2's block size, a digit '1' to '9'
  Compression kind;
};
constexpr Magic kMagics[] = {
    {{"\x1f\x8b", 2}, Compression::kGzip},
    {{"\x28\xb5\x2f\xfd", 4}, Compression::kZstd},
    {{"\xfd"
      "7zXZ\0",
      6},
     Compression::kXz},
    {{"BZh?", 4}, Compression::kBzip2},
    {{"\x04\x22\x4d\x18", 4}, Compression::kLz4},
};
constexpr size_t kLongestMagic = 6;

bool use_thread(DecodeThread thread) {
  switch (thread) {
    case DecodeThread::kAlways:
      return true;
    case DecodeThread::kNever:
      return false;
    case DecodeThread::kAuto:
      break;
  }
  // On one CPU the thread only adds a copy and context switches.
  static const bool two_or_more = usable_cpus() >= 2;
  return two_or_more;
}

// How much of a magic the head matches: all of it, the beginning of it (worth reading another
// byte for), or not.
enum class Fit { kWhole, kBeginning, kNo };

Fit fit(const Magic& magic, std::string_view head) {
  const size_t n = std::min(head.size(), magic.bytes.size());
  for (size_t i = 0; i < n; ++i) {
    const char want = magic.bytes[i];
    const char got = head[i];
    if (want == '?' ? got < '1' || got > '9' : got != want) return Fit::kNo;
  }
  return n == magic.bytes.size() ? Fit::kWhole : Fit::kBeginning;
}

// True when reading another byte may still decide the format: no magic is matched whole yet,
// and one could still be.
bool worth_another_byte(std::string_view head) {
  bool could = false;
  for (const Magic& magic : kMagics) {
    const Fit f = fit(magic, head);
    if (f == Fit::kWhole) return false;
    could = could || f == Fit::kBeginning;
  }
  return could;
}

struct Peeked {
  std::array<char, kLongestMagic> head{};
  size_t size = 0;
  std::optional<ReadResult> end;  // the end of input or failure the peek ran into, if any
};

// Reads only as far as a magic needs: a plain line on a live pipe is decided by its first byte
// and is not held back waiting for a fourth.
Peeked peek(Source& raw) {
  Peeked peeked;
  const auto head = [&] { return std::string_view(peeked.head.data(), peeked.size); };
  while (peeked.size < kLongestMagic && worth_another_byte(head())) {
    ReadResult got = raw.read({peeked.head.data() + peeked.size, kLongestMagic - peeked.size});
    // A wake (follow mode's signal) asks for nothing the searcher cannot do at its first read:
    // the request it stands for stays pending until then.
    if (got.wake) continue;
    if (got.size == 0) {
      peeked.end = std::move(got);
      break;
    }
    peeked.size += got.size;
  }
  return peeked;
}

}  // namespace

Compression detect_compression(std::span<const char> head) {
  const std::string_view bytes(head.data(), head.size());
  for (const Magic& magic : kMagics) {
    if (fit(magic, bytes) == Fit::kWhole) return magic.kind;
  }
  return Compression::kNone;
}

std::unique_ptr<Source> open_decompressing(std::unique_ptr<Source> raw, DecodeThread thread) {
  Peeked peeked = peek(*raw);
  const Compression kind = detect_compression({peeked.head.data(), peeked.size});
  auto replay = std::make_unique<PrefixedSource>(
      std::move(raw), std::string(peeked.head.data(), peeked.size), std::move(peeked.end));
  std::unique_ptr<Source> decoder;
  switch (kind) {
    case Compression::kGzip:
      decoder = std::make_unique<GzipSource>(std::move(replay));
      break;
    case Compression::kZstd:
      decoder = std::make_unique<ZstdSource>(std::move(replay));
      break;
    case Compression::kXz:
      decoder = std::make_unique<XzSource>(std::move(replay));
      break;
    case Compression::kBzip2:
      decoder = std::make_unique<Bzip2Source>(std::move(replay));
      break;
    case Compression::kLz4:
      decoder = std::make_unique<Lz4Source>(std::move(replay));
      break;
    case Compression::kNone:
      return replay;
  }
  if (!use_thread(thread)) return decoder;
  return std::make_unique<ThreadedSource>(std::move(decoder));
}

}  // namespace coinone
