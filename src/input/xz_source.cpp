#include "coinone_annotate/input/xz_source.h"

#include <lzma.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <utility>

#include "coinone_annotate/base/cpus.h"

namespace coinone {

namespace {

constexpr size_t kInputSize = 128 * 1024;

// xz 5.4's own default cap on the memory of threaded decoding; past it liblzma decodes on one
// thread rather than fail.
uint64_t threading_memlimit() {
  const uint64_t physical = lzma_physmem();
  return physical == 0 ? uint64_t{1} << 30 : physical / 4;
}

// One block per thread, and a block cannot be split. With as many threads as CPUs, a file whose
// blocks do not divide evenly among them leaves CPUs idle at its end: xz -T2 writes a 64 MiB log
// as blocks of 24, 24 and 16 MiB, and two threads took 40/64 of the one-thread time at best.
// One thread more than CPUs lets the kernel share the CPUs among all blocks in flight (the
// 3-block file went from 1.5x to 1.7x of xz -dc on 2 CPUs; 16 blocks stayed at 1.85x). Each
// thread holds a block's output, within memlimit_threading. On one CPU: the plain decoder.
unsigned default_threads() {
  const unsigned cpus = std::max(usable_cpus(), 1u);
  return cpus == 1 ? 1 : cpus + 1;
}

}  // namespace

struct XzSource::Stream {
  lzma_stream lzma = LZMA_STREAM_INIT;
};

XzSource::XzSource(std::unique_ptr<Source> raw, unsigned threads)
    : CodecSource(std::move(raw), "xz", kInputSize), stream_(std::make_unique<Stream>()) {
  lzma_mt options{};
  options.flags = LZMA_CONCATENATED;  // errors after the good blocks' output: no LZMA_FAIL_FAST
  options.threads = threads == 0 ? default_threads() : threads;
  if (options.threads == 1) {
    // The threaded decoder with one thread still hands each block to a worker and reads ahead
    // of it; the plain decoder is xz -dc's, with its exact fault offsets.
    if (lzma_stream_decoder(&stream_->lzma, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
      throw std::bad_alloc();
    return;
  }
  options.timeout = 0;  // block until a thread has output, never spin
  options.memlimit_threading = threading_memlimit();
  options.memlimit_stop = UINT64_MAX;  // as xz -d: no limit beyond which it refuses a file
  if (lzma_stream_decoder_mt(&stream_->lzma, &options) != LZMA_OK) throw std::bad_alloc();
}

XzSource::~XzSource() { lzma_end(&stream_->lzma); }

CodecSource::Progress XzSource::decode(std::span<const char> in, std::span<char> out,
                                       bool input_ended) {
  lzma_stream& s = stream_->lzma;
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  s.next_out = reinterpret_cast<uint8_t*>(out.data());
  s.avail_out = out.size();
  // With LZMA_CONCATENATED, only LZMA_FINISH tells liblzma that no stream follows.
  const lzma_ret status = lzma_code(&s, input_ended ? LZMA_FINISH : LZMA_RUN);
  const Progress step{in.size() - s.avail_in, out.size() - s.avail_out};
  switch (status) {
    case LZMA_OK:
      break;  // no progress at the end of input: CodecSource calls it truncated
    case LZMA_STREAM_END:
      finish();
      break;
    case LZMA_BUF_ERROR:  // a second call in a row without progress: out of input
      fail("truncated", offset() + in.size());
      break;
    case LZMA_MEM_ERROR:
      throw std::bad_alloc();
    default:  // data, format, options or check errors: all say the input is not good xz
      fail("corrupt", offset() + step.consumed);
      break;
  }
  return step;
}

}  // namespace coinone
