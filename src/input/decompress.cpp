#include "coinone_annotate/input/decompress.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "coinone_annotate/base/cpus.h"
#include "coinone_annotate/input/gzip_source.h"
#include "coinone_annotate/input/prefixed_source.h"
#include "coinone_annotate/input/threaded_source.h"
#include "coinone_annotate/input/zstd_source.h"

namespace coinone {

namespace {

constexpr std::string_view kGzipMagic{"\x1f\x8b", 2};
constexpr std::string_view kZstdMagic{"\x28\xb5\x2f\xfd", 4};
constexpr size_t kLongestMagic = 4;

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

// True when head could still grow into one of the magics: worth reading another byte for.
bool could_become_magic(std::string_view head) {
  return kGzipMagic.starts_with(head) || kZstdMagic.starts_with(head);
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
  while (peeked.size < kLongestMagic && !head().starts_with(kGzipMagic) &&
         could_become_magic(head())) {
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
  if (bytes.starts_with(kGzipMagic)) return Compression::kGzip;
  if (bytes.starts_with(kZstdMagic)) return Compression::kZstd;
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
    case Compression::kNone:
      return replay;
  }
  if (!use_thread(thread)) return decoder;
  return std::make_unique<ThreadedSource>(std::move(decoder));
}

}  // namespace coinone
