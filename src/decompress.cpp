#include "coinone_annotate/decompress.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "coinone_annotate/gzip_source.h"
#include "coinone_annotate/prefixed_source.h"
#include "coinone_annotate/threaded_source.h"
#include "coinone_annotate/zstd_source.h"

namespace coinone {

namespace {

constexpr std::string_view kGzipMagic{"\x1f\x8b", 2};
constexpr std::string_view kZstdMagic{"\x28\xb5\x2f\xfd", 4};
constexpr size_t kLongestMagic = 4;

// True when head could still grow into one of the magics: worth reading another byte for.
bool could_become_magic(std::string_view head) {
  return kGzipMagic.starts_with(head) || kZstdMagic.starts_with(head);
}

}  // namespace

Compression detect_compression(std::span<const char> head) {
  const std::string_view bytes(head.data(), head.size());
  if (bytes.starts_with(kGzipMagic)) return Compression::kGzip;
  if (bytes.starts_with(kZstdMagic)) return Compression::kZstd;
  return Compression::kNone;
}

std::unique_ptr<Source> open_decompressing(std::unique_ptr<Source> raw) {
  // Read only as far as the magic needs: a plain line on a live pipe is decided by its first
  // byte and is not held back waiting for a fourth.
  std::array<char, kLongestMagic> head{};
  size_t have = 0;
  std::optional<ReadResult> end;
  while (have < kLongestMagic && detect_compression({head.data(), have}) == Compression::kNone &&
         could_become_magic({head.data(), have})) {
    ReadResult got = raw->read({head.data() + have, kLongestMagic - have});
    // A wake (follow mode's signal) asks for nothing the searcher cannot do at its first read:
    // the request it stands for stays pending until then.
    if (got.wake) continue;
    if (got.size == 0) {
      end = std::move(got);
      break;
    }
    have += got.size;
  }

  const Compression kind = detect_compression({head.data(), have});
  auto replay = std::make_unique<PrefixedSource>(std::move(raw), std::string(head.data(), have),
                                                 std::move(end));
  switch (kind) {
    case Compression::kGzip:
      return std::make_unique<ThreadedSource>(std::make_unique<GzipSource>(std::move(replay)));
    case Compression::kZstd:
      return std::make_unique<ThreadedSource>(std::make_unique<ZstdSource>(std::move(replay)));
    case Compression::kNone:
      break;
  }
  return replay;
}

}  // namespace coinone
