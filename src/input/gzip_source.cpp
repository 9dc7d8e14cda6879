#include "coinone_annotate/input/gzip_source.h"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

namespace coinone {

namespace {

// 128 KiB of compressed input per raw read: about 1 MiB of decoded log text, so a read(2) costs
// little next to the inflate it feeds, and isa-l gets long runs without refills.
constexpr size_t kInputSize = 128 * 1024;

constexpr unsigned char kMagic0 = 0x1f;
constexpr unsigned char kMagic1 = 0x8b;
constexpr uint64_t kTrailerSize = 8;  // CRC-32 and length of the uncompressed data (RFC 1952)

}  // namespace

GzipSource::GzipSource(std::unique_ptr<Source> raw)
    : raw_(std::move(raw)),
      state_(std::make_unique<inflate_state>()),
      header_(std::make_unique<isal_gzip_header>()),
      input_(std::make_unique<unsigned char[]>(kInputSize)) {
  isal_inflate_init(state_.get());
  start_member();
}

// The header is read here rather than by isal_inflate(ISAL_GZIP): isa-l 2.30's inflate keeps
// the header's progress in an uninitialised local when a header with a name, comment or extra
// field arrives in pieces, and then rejects a valid file at random (found by fuzz_decompress;
// valgrind shows the read). isal_read_gzip_header() with a header struct that lives across calls
// is the documented way to read a header piece by piece.
void GzipSource::start_member() {
  isal_inflate_reset(state_.get());
  state_->crc_flag = ISAL_GZIP_NO_HDR_VER;  // deflate data, then CRC-32 and length checked
  isal_gzip_header_init(header_.get());     // no buffers: name, comment and extra are skipped
  phase_ = Phase::kHeader;
}

GzipSource::~GzipSource() = default;

ReadResult GzipSource::read(std::span<char> buffer) {
  size_t produced = 0;
  while (produced < buffer.size() && phase_ != Phase::kEnded) {
    if (needs_input()) {
      // Hand out what we have rather than wait on raw with output in hand.
      if (produced > 0) break;
      const Fill filled = fill();
      if (filled == Fill::kWake) return ReadResult{0, 0, {}, true};
      if (filled == Fill::kEnded) continue;
    }
    switch (phase_) {
      case Phase::kHeader:
        read_header();
        break;
      case Phase::kMember:
        produced += inflate_into(buffer.subspan(produced));
        break;
      case Phase::kBetween:
        look_after_member();
        break;
      case Phase::kPadding:
        skip_padding();
        break;
      case Phase::kEnded:
        break;
    }
  }
  produced += hand_out_salvage(buffer.subspan(produced));
  if (produced > 0) return ReadResult{produced, 0, {}};
  return end_;
}

// Bytes isa-l decoded into its own buffer before a fault and had no room to copy out.
size_t GzipSource::hand_out_salvage(std::span<char> out) {
  const size_t n = std::min(out.size(), salvage_end_ - salvage_begin_);
  if (n == 0) return 0;
  std::memcpy(out.data(), state_->tmp_out_buffer + salvage_begin_, n);
  salvage_begin_ += n;
  return n;
}

// True when nothing can progress without more compressed input.
bool GzipSource::needs_input() const {
  return (held() == 0 && !output_pending_) || short_of_input_;
}

// Reads more compressed input, keeping the unconsumed bytes at the front of the buffer. At the
// end of raw input, ends the stream according to where it stopped. A wake (follow mode's signal)
// is passed up as it is: nothing came, nothing ended.
GzipSource::Fill GzipSource::fill() {
  if (input_begin_ > 0) {
    std::memmove(input_.get(), input_.get() + input_begin_, held());
    input_offset_ += input_begin_;
    input_end_ -= input_begin_;
    input_begin_ = 0;
  }
  ReadResult got =
      raw_->read({reinterpret_cast<char*>(input_.get()) + input_end_, kInputSize - input_end_});
  if (got.size > 0) {
    input_end_ += got.size;
    short_of_input_ = false;
    return Fill::kBytes;
  }
  if (got.wake) return Fill::kWake;
  if (got.error != 0 || !got.message.empty()) {
    phase_ = Phase::kEnded;
    end_ = std::move(got);
  } else if (phase_ == Phase::kHeader || phase_ == Phase::kMember || held() > 0) {
    // Inside a member, or a lone 1f byte where the next member's magic should be (gzip says
    // "unexpected end of file" there too).
    end("truncated", consumed_offset() + held());
  } else {
    phase_ = Phase::kEnded;  // clean end after the last member or its zero padding
    end_ = ReadResult{};
  }
  return Fill::kEnded;
}

// A member just ended and input is held: start the next member, or note padding or garbage.
void GzipSource::look_after_member() {
  const unsigned char first = input_[input_begin_];
  if (first == 0) {
    phase_ = Phase::kPadding;
  } else if (first != kMagic0) {
    end("trailing garbage after", trailer_end_);
  } else if (held() < 2) {
    short_of_input_ = true;  // only the first magic byte so far
  } else if (input_[input_begin_ + 1] == kMagic1) {
    start_member();
  } else {
    end("trailing garbage after", trailer_end_);
  }
}

// gzip accepts zero bytes after the last member (padding of tape blocks) only when nothing
// else follows them: zeros then anything, even a valid member, is trailing garbage.
void GzipSource::skip_padding() {
  const unsigned char* begin = input_.get() + input_begin_;
  const unsigned char* end_held = input_.get() + input_end_;
  const unsigned char* nonzero =
      std::find_if(begin, end_held, [](unsigned char c) { return c != 0; });
  input_begin_ += static_cast<size_t>(nonzero - begin);
  if (nonzero != end_held) end("trailing garbage after", trailer_end_);
}

// Reads the member's header from the held input; asks for more input when it goes on past it.
void GzipSource::read_header() {
  unsigned char* const next_in = input_.get() + input_begin_;
  state_->next_in = next_in;
  state_->avail_in = static_cast<uint32_t>(held());
  const int status = isal_read_gzip_header(state_.get(), header_.get());
  input_begin_ += static_cast<size_t>(state_->next_in - next_in);
  if (status == ISAL_DECOMP_OK) {
    phase_ = Phase::kMember;
  } else if (status == ISAL_END_INPUT) {
    short_of_input_ = true;
  } else {  // not a gzip header, not deflate, reserved flags, or a wrong header CRC
    end("corrupt", consumed_offset());
  }
}

// Runs isa-l over the held input into out. Returns the bytes written, which are handed out
// even when a fault follows them.
size_t GzipSource::inflate_into(std::span<char> out) {
  unsigned char* const next_in = input_.get() + input_begin_;
  state_->next_in = next_in;
  state_->avail_in = static_cast<uint32_t>(held());
  state_->next_out = reinterpret_cast<uint8_t*>(out.data());
  state_->avail_out =
      static_cast<uint32_t>(std::min<size_t>(out.size(), std::numeric_limits<uint32_t>::max()));
  const int status = isal_inflate(state_.get());

  const size_t consumed = static_cast<size_t>(state_->next_in - next_in);
  const size_t written =
      static_cast<size_t>(state_->next_out - reinterpret_cast<uint8_t*>(out.data()));
  input_begin_ += consumed;
  output_pending_ = state_->avail_out == 0;
  if (status == ISAL_INCORRECT_CHECKSUM) {
    // Found once the whole 8-byte trailer (CRC-32, length) is read: point at its start.
    end("corrupt", consumed_offset() - std::min<uint64_t>(consumed_offset(), kTrailerSize));
  } else if (status < 0) {
    // isa-l reads ahead into a 64-bit bit buffer: the bytes still in it were not decoded yet.
    const uint64_t buffered = static_cast<uint64_t>(std::max(state_->read_in_length, 0)) / 8;
    const uint64_t at = consumed_offset();
    end("corrupt", at - std::min(at, buffered));
    // With little room in out, isa-l decodes into tmp_out_buffer and copies what fits; on a
    // fault it returns at once, leaving [tmp_out_processed, tmp_out_valid) decoded but not handed
    // out. Those bytes come before the fault, so they are handed out before the message.
    if (state_->tmp_out_valid > state_->tmp_out_processed && state_->tmp_out_processed >= 0) {
      salvage_begin_ = static_cast<size_t>(state_->tmp_out_processed);
      salvage_end_ = static_cast<size_t>(state_->tmp_out_valid);
    }
  } else if (state_->block_state == ISAL_BLOCK_FINISH) {
    // The trailer is checked and isa-l has given back any bytes it read past it.
    phase_ = Phase::kBetween;
    output_pending_ = false;
    trailer_end_ = consumed_offset();
  } else if (consumed == 0 && written == 0 && !output_pending_ && held() > 0) {
    // isa-l returns only when input is used up, output is full or data is bad; anything else
    // would loop forever, so call it corrupt rather than trust it.
    end("corrupt", consumed_offset());
  }
  return written;
}

void GzipSource::end(std::string what, uint64_t offset) {
  phase_ = Phase::kEnded;
  end_ = ReadResult{0, 0, what + " gzip data at compressed byte " + std::to_string(offset)};
}

}  // namespace coinone
