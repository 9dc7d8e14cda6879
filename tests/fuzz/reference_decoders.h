// Reference decoders for fuzz_decompress's oracle over xz, bzip2 and lz4: each library's own
// plainest way to decode a whole buffer, the way its tool does (xz -dc, bzip2 -dc, lz4 -dc), with
// none of the stepping, threads or buffering of the sources under test:
//   xz     liblzma's single-threaded lzma_stream_decoder(LZMA_CONCATENATED), all input at once,
//          LZMA_FINISH: accepts streams with padding and nothing else;
//   bzip2  BZ2_bzDecompress over each stream in turn: accepts whole streams and nothing else;
//   lz4    LZ4F_decompress over all input: accepts whole frames and nothing else.
// Each returns nullopt unless it accepts the whole input. Output is kept through `add`, which
// counts every byte and keeps what it wants; `far` says when to stop comparing (far past a cap).
#pragma once
#include <bzlib.h>
#include <lz4frame.h>
#include <lzma.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace coinone::fuzz {

using Add = std::function<bool(std::string_view)>;  // false: stop, the output is too large

inline bool reference_xz(std::string_view in, const Add& add) {
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) return false;
  std::string chunk(65536, '\0');
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  bool ok = false;
  for (;;) {
    s.next_out = reinterpret_cast<uint8_t*>(chunk.data());
    s.avail_out = chunk.size();
    const lzma_ret status = lzma_code(&s, LZMA_FINISH);
    if (!add({chunk.data(), chunk.size() - s.avail_out})) break;
    if (status == LZMA_STREAM_END) ok = true;
    if (status != LZMA_OK) break;
  }
  lzma_end(&s);
  return ok;
}

inline bool reference_bzip2(std::string_view in, const Add& add) {
  std::string chunk(65536, '\0');
  size_t at = 0;
  while (at < in.size()) {  // one stream per turn
    bz_stream s{};
    if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) return false;
    s.next_in = const_cast<char*>(in.data() + at);
    s.avail_in = static_cast<unsigned>(in.size() - at);
    int status = BZ_OK;
    while (status == BZ_OK) {
      s.next_out = chunk.data();
      s.avail_out = static_cast<unsigned>(chunk.size());
      status = BZ2_bzDecompress(&s);
      if (!add({chunk.data(), chunk.size() - s.avail_out})) status = BZ_MEM_ERROR;
      if (status == BZ_OK && s.avail_in == 0 && s.avail_out != 0) status = BZ_UNEXPECTED_EOF;
    }
    at = in.size() - s.avail_in;
    BZ2_bzDecompressEnd(&s);
    if (status != BZ_STREAM_END) return false;
  }
  return true;
}

inline bool reference_lz4(std::string_view in, const Add& add) {
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) return false;
  std::string chunk(65536, '\0');
  size_t at = 0;
  size_t hint = 1;
  bool ok = true;
  while (at < in.size() || hint != 0) {
    size_t written = chunk.size();
    size_t consumed = in.size() - at;
    hint = LZ4F_decompress(dctx, chunk.data(), &written, in.data() + at, &consumed, nullptr);
    if (LZ4F_isError(hint) || !add({chunk.data(), written})) {
      ok = false;
      break;
    }
    at += consumed;
    if (at == in.size() && hint != 0 && written < chunk.size()) {
      ok = false;  // more was expected
      break;
    }
  }
  LZ4F_freeDecompressionContext(dctx);
  return ok;
}

}  // namespace coinone::fuzz
