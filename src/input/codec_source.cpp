#include "coinone_annotate/input/codec_source.h"

#include <cstring>
#include <string>
#include <utility>

namespace coinone {

CodecSource::CodecSource(std::unique_ptr<Source> raw, const char* format, size_t input_size)
    : raw_(std::move(raw)),
      format_(format),
      input_(std::make_unique<char[]>(input_size)),
      input_size_(input_size) {}

CodecSource::~CodecSource() = default;

ReadResult CodecSource::read(std::span<char> buffer) {
  size_t produced = 0;
  while (produced < buffer.size() && !ended_) {
    const bool needs_input = (held() == 0 && !output_pending_) || starved_;
    if (needs_input && !input_ended_) {
      // Hand out what we have rather than wait on raw with output in hand.
      if (produced > 0) break;
      if (!fill()) {
        if (!wake_) continue;  // ended, or raw ended: decode() sees input_ended_
        wake_ = false;
        return ReadResult{0, 0, {}, true};
      }
    }
    const std::span<char> out = buffer.subspan(produced);
    const bool was_pending = output_pending_;
    const Progress step = decode({input_.get() + input_begin_, held()}, out, input_ended_);
    input_begin_ += step.consumed;
    produced += step.produced;
    output_pending_ = step.produced == out.size();
    // A call that only looked for more output after a full one, and found none, needs no input.
    starved_ = step.consumed == 0 && step.produced == 0 && !step.advanced && !was_pending;
    // No input will come and the library can do nothing more: the stream stops short.
    if (starved_ && input_ended_ && !ended_) fail("truncated", offset() + held());
    // A full input buffer the library will not take from would loop forever.
    if (starved_ && held() == input_size_ && !ended_) fail("corrupt", offset());
  }
  if (produced > 0) return ReadResult{produced, 0, {}};
  return end_;
}

// Reads more compressed input, keeping the unconsumed bytes at the front of the buffer. True when
// bytes came. At the end of raw input, sets input_ended_; a failure of raw ends the stream with
// it; a wake sets wake_.
bool CodecSource::fill() {
  if (input_begin_ > 0) {
    std::memmove(input_.get(), input_.get() + input_begin_, held());
    input_offset_ += input_begin_;
    input_end_ -= input_begin_;
    input_begin_ = 0;
  }
  ReadResult got = raw_->read({input_.get() + input_end_, input_size_ - input_end_});
  if (got.size > 0) {
    input_end_ += got.size;
    starved_ = false;
    return true;
  }
  if (got.wake) {
    wake_ = true;
  } else if (got.error != 0 || !got.message.empty()) {
    ended_ = true;
    end_ = std::move(got);
  } else {
    input_ended_ = true;
  }
  return false;
}

void CodecSource::finish() {
  ended_ = true;
  end_ = ReadResult{};
}

void CodecSource::fail(const char* what, uint64_t at) {
  ended_ = true;
  end_ = ReadResult{
      0, 0, std::string(what) + " " + format_ + " data at compressed byte " + std::to_string(at)};
}

}  // namespace coinone
