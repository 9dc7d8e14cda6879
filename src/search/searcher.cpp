#include "coinone_annotate/search/searcher.h"

#include <algorithm>
#include <cstring>

#include "coinone_annotate/base/cpus.h"
#include "coinone_annotate/match/literal_search.h"

namespace coinone {

namespace {

constexpr size_t kNpos = std::string_view::npos;
// A held-back '\r' that turned out to be content. Static: the sink may keep the span until its
// next flush (sink.h), which a local string would not outlive.
constexpr std::string_view kCarriedCr = "\r";

// Offset of the last '\n' in bytes[0, end), or npos. glibc's memrchr is vectorised; the scalar
// loop of std::string_view::rfind took 6% of the run time on the 50% corpus.
size_t last_newline_before(std::string_view bytes, size_t end) {
  const void* hit = ::memrchr(bytes.data(), '\n', end);
  return hit == nullptr ? kNpos : static_cast<size_t>(static_cast<const char*>(hit) - bytes.data());
}

size_t count_newlines(std::string_view bytes) { return count_byte(bytes, '\n'); }

}  // namespace

Searcher::Searcher(Matcher& matcher, Sink& sink, SearchOptions options)
    : matcher_(matcher),
      sink_(sink),
      options_(std::move(options)),
      buffer_(std::make_unique<LineBuffer>(options_.buffer_capacity)) {
  may_use_helper_ = options_.parallel == Parallel::kAlways ||
                    (options_.parallel == Parallel::kAuto && usable_cpus() >= 2);
}

// The helper thread, its matcher and the second line buffer are made with the first block that
// goes to it: a sparse log or a live tail never pays for them (at about 10 us a page fault on
// the machines measured here, the buffer and RE2 objects alone took milliseconds).
bool Searcher::ensure_helper() {
  if (!helper_ && may_use_helper_) {
    helper_ = ScanHelper::create(matcher_);
    may_use_helper_ = helper_ != nullptr;  // no clone of the extractor: one thread it is
    if (helper_) spare_ = std::make_unique<LineBuffer>(options_.buffer_capacity);
  }
  return helper_ != nullptr;
}

Searcher::~Searcher() = default;

void Searcher::set_table(std::shared_ptr<const CodeTable> table) {
  drain();
  if (helper_) helper_->set_table(table);
  matcher_.set_table(std::move(table));
}

SearchResult Searcher::search(Source& source) {
  result_ = SearchResult{};
  uint64_t unwritten = 0;  // bytes read but left unwritten at the end (a partial line)
  for (;;) {
    sink_.flush();
    if (sink_.failed()) break;
    // Everything before the bytes still held (the block the helper scans, an incomplete line, a
    // '\r' that may start a terminator) is written now.
    source.checkpoint(ahead_.block.size() + buffer_->pending().size() + (held_cr_ ? 1 : 0));
    if (options_.between_reads) options_.between_reads();
    ReadResult read = buffer_->fill(source);
    announce_mirror();  // also after a read of nothing: fill() may have moved the pending bytes
    if (read.wake) continue;
    result_.bytes += read.size;
    if (read.error != 0 || !read.message.empty()) {
      result_.read_failed = true;
      result_.error = read.message.empty() ? std::strerror(read.error) : read.message;
      process_pending();
      finish_input();
      break;
    }
    if (read.size == 0) {
      // A followed file at shutdown: a line without its newline is still being written, so it
      // stays unwritten and the checkpoint stays at its start (a line longer than the buffer is
      // partly written already: it is finished as it stands).
      if (read.whole_lines_only && !in_long_line_) {
        unwritten = buffer_->pending().size();
        buffer_->consume(unwritten);
      } else {
        finish_input();
      }
      break;
    }
    process_pending();
  }
  drain();
  // Spans still held may be spliced from the source's file, which closes after this: out now.
  if (mirrored_) {
    sink_.flush();
    sink_.forget_mirrors();
    mirrored_ = false;
  }
  result_.unwritten = unwritten;
  result_.output_failed = sink_.failed();
  return result_;
}

// Tells the sink which bytes of the read buffer are also bytes of the source's file.
void Searcher::announce_mirror() {
  const LineBuffer::Mirror mirror = buffer_->mirrored();
  sink_.mirror(buffer_->memory(), -1, 0);  // what it knew of this buffer is out of date
  if (mirror.origin.fd < 0) return;
  sink_.mirror(mirror.bytes, mirror.origin.fd, mirror.origin.offset);
  mirrored_ = true;
}

// Hands over every complete line in the buffer; a full buffer without one becomes a piece.
void Searcher::process_pending() {
  const std::string_view pending = buffer_->pending();
  size_t done = 0;
  if (in_long_line_) {
    drain();
    const void* newline = std::memchr(pending.data(), '\n', pending.size());
    if (newline == nullptr) {
      stream_piece(pending);
      buffer_->consume(pending.size());
      return;
    }
    done = static_cast<size_t>(static_cast<const char*>(newline) - pending.data()) + 1;
    finish_long_line(pending.substr(0, done - 1), "\n");
  }
  const size_t last_newline = last_newline_before(pending, pending.size());
  bool handed_over = false;
  if (last_newline != kNpos && last_newline + 1 > done) {
    handed_over = scan_block(pending.substr(done, last_newline + 1 - done));
    done = last_newline + 1;
  }
  buffer_->consume(done);
  if (handed_over) {  // the helper scans this buffer: read on in the other one
    buffer_->move_pending_to(*spare_);
    std::swap(buffer_, spare_);
    announce_mirror();
  } else if (buffer_->full()) {  // one line fills the whole buffer: stream it
    drain();
    stream_piece(pending);
    buffer_->consume(pending.size());
  }
}

// block holds whole lines, each ending in '\n'; returns whether the helper now holds it. A
// large block of a log dense with errors goes to the helper thread to be scanned while this
// thread hands the previous one to the sink and reads the next: the scan of one block overlaps
// the output of the one before and the read of the one after. When the scan is the slower
// (output to a file or /dev/null rather than a pipe), this thread keeps the front of each block
// to scan itself when its turn comes; the front grows by a step per block while this thread has
// to wait for the helper and shrinks while it does not.
bool Searcher::scan_block(std::string_view block) {
  if (block.size() < kParallelBlock || annotated_last_block_ < kDenseBlock || !ensure_helper()) {
    drain();
    annotated_last_block_ = emit_block(block);
    return false;
  }
  const AheadBlock previous = ahead_;
  if (!previous.block.empty()) {
    const bool waited = helper_->wait();
    helper_->take_lines(ahead_lines_);
    front_share_ = waited ? std::min(front_share_ + 1, kMaxFrontShare)
                          : (front_share_ == 0 ? 0 : front_share_ - 1);
  }
  const size_t front =
      front_share_ == 0 ? 0 : block.find('\n', block.size() / kShareSteps * front_share_) + 1;
  ahead_ = {block, front};
  helper_->start(block.substr(front));
  ++result_.blocks_ahead;
  if (!previous.block.empty()) replay_ahead(previous);
  return true;
}

// Hands a block the helper has scanned (from `front` on) to the sink, and writes it out: its
// buffer is the next to be read into.
void Searcher::replay_ahead(AheadBlock ahead) {
  annotated_last_block_ = emit_block(ahead.block.substr(0, ahead.front));
  replay(ahead.block.substr(ahead.front), ahead_lines_);
  annotated_last_block_ += ahead_lines_.lines.size();
  sink_.flush();
}

// Waits for the block at the helper, if any, and hands it to the sink: before this thread gives
// the sink anything else, and at the end.
void Searcher::drain() {
  if (ahead_.block.empty()) return;
  helper_->wait();
  helper_->take_lines(ahead_lines_);
  const AheadBlock ahead = ahead_;
  ahead_ = {};
  replay_ahead(ahead);
}

// Scans whole lines and hands them to the sink: runs of lines in bulk, annotated lines alone.
size_t Searcher::emit_block(std::string_view block) {
  Emitter emitter(*this, block);
  size_t annotated = 0;
  matcher_.for_each_annotated_line(block, findings_,
                                   [&](size_t line_start, size_t line_end, std::string_view content,
                                       std::string_view terminator, const Verdict& verdict) {
                                     emitter.annotated(line_start, line_end, content, terminator,
                                                       verdict);
                                     ++annotated;
                                   });
  emitter.finish();
  return annotated;
}

// Hands the helper's findings for `block` to the sink, as emit_block would have.
void Searcher::replay(std::string_view block, const DeferredLines& lines) {
  Emitter emitter(*this, block);
  for (const DeferredLine& line : lines.lines) {
    replay_verdict_.clear();
    for (size_t i = line.first_code; i < line.first_code + line.code_count; ++i)
      replay_verdict_.shown.push_back({lines.digits_of(lines.codes[i]), lines.codes[i].entry});
    replay_verdict_.more = line.more;
    emitter.annotated(line.start, line.end, block.substr(line.start, line.content_size),
                      line.terminator, replay_verdict_);
  }
  emitter.finish();
}

Searcher::Emitter::Emitter(Searcher& searcher, std::string_view block)
    : searcher_(searcher), block_(block) {}

void Searcher::Emitter::annotated(size_t line_start, size_t line_end, std::string_view content,
                                  std::string_view terminator, const Verdict& verdict) {
  if (line_start > pass_from_)
    searcher_.sink_.passthrough(block_.substr(pass_from_, line_start - pass_from_));
  if (searcher_.options_.count_lines) {
    searcher_.result_.lines += count_newlines(block_.substr(counted_to_, line_start - counted_to_));
    counted_to_ = line_start;
  }
  searcher_.end_line(content, terminator, verdict, searcher_.result_.lines + 1);
  pass_from_ = line_end + 1;
}

void Searcher::Emitter::finish() {
  if (pass_from_ < block_.size()) searcher_.sink_.passthrough(block_.substr(pass_from_));
  if (searcher_.options_.count_lines)
    searcher_.result_.lines += count_newlines(block_.substr(counted_to_));
}

void Searcher::end_line(std::string_view rest, std::string_view terminator, const Verdict& verdict,
                        uint64_t line_number) {
  sink_.line_end(rest, terminator, verdict);
  if (!verdict.empty() && options_.on_annotated)
    options_.on_annotated(options_.count_lines ? line_number : 0, rest, verdict);
}

// End of input: what is left is a last line without a terminator.
void Searcher::finish_input() {
  drain();
  const std::string_view rest = buffer_->pending();
  if (in_long_line_) {
    finish_long_line(rest, "");
  } else if (!rest.empty()) {
    annotate_line(rest, "");
    ++result_.lines;
  }
  buffer_->consume(rest.size());
}

void Searcher::annotate_line(std::string_view line, std::string_view terminator) {
  findings_.clear();
  if (matcher_.next_candidate(line, 0) != kNpos) matcher_.scan_line(line, findings_);
  end_line(line, terminator, matcher_.decide_line(findings_, line), result_.lines + 1);
}

void Searcher::stream_piece(std::string_view piece) {
  if (!in_long_line_) {
    in_long_line_ = true;
    findings_.clear();
    window_.clear();
    window_prev_ = '\n';
  }
  if (held_cr_) {  // the '\r' was not a terminator after all: it is content
    held_cr_ = false;
    sink_.line_piece(kCarriedCr);
    scan_long_window(kCarriedCr, false);
  }
  if (!piece.empty() && piece.back() == '\r') {
    held_cr_ = true;
    piece.remove_suffix(1);
  }
  if (piece.empty()) return;
  sink_.line_piece(piece);
  scan_long_window(piece, false);
}

void Searcher::finish_long_line(std::string_view rest, std::string_view terminator) {
  if (held_cr_) {
    held_cr_ = false;
    if (rest.empty() && terminator == "\n") {
      terminator = "\r\n";
    } else {  // content after all: "\r\r\n" ends in a '\r' of the line and a "\r\n"
      sink_.line_piece(kCarriedCr);
      scan_long_window(kCarriedCr, false);
    }
  }
  if (terminator == "\n" && !rest.empty() && rest.back() == '\r') {
    rest.remove_suffix(1);
    terminator = "\r\n";
  }
  scan_long_window(rest, true);
  in_long_line_ = false;
  end_line(rest, terminator, matcher_.decide(findings_), result_.lines + 1);
  ++result_.lines;
}

// The matcher sees the carried tail of the earlier pieces followed by the new bytes.
void Searcher::scan_long_window(std::string_view piece, bool final) {
  const size_t carried = window_.size();  // the matcher has looked at these bytes already
  window_.append(piece);
  matcher_.scan_window(window_, window_prev_, final, carried, findings_);
  if (window_.size() > FieldExtractor::kCarry) {
    const size_t drop = window_.size() - FieldExtractor::kCarry;
    window_prev_ = window_[drop - 1];
    window_.erase(0, drop);
  }
}

}  // namespace coinone
