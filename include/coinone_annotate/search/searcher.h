// Searcher: the one place where input, matching and output meet.
//
// For each block the line buffer yields, the searcher asks the matcher for the next candidate,
// hands every run of lines before it to the sink in one passthrough() call, and gives only the
// candidate's line to the extractor. Non-candidate spans are never split into lines.
//
// A line longer than the buffer is streamed to the sink in pieces while the matcher looks at a
// window made of the last FieldExtractor::kCarry bytes and the new piece, so a field that
// straddles two pieces is still found; the verdict comes with the line's end.
//
// Before each read the sink is flushed: the spans it was given are about to change, and a live
// tail sees every line at once. A file or a fast pipe still gets large writes, one per read, never
// one per line.
//
// With SearchOptions::parallel, a helper thread scans large blocks of a log dense with errors one
// block ahead: while it scans block k+1, this thread hands block k to the sink, writes it and
// reads block k+2 into a second line buffer. Checkpoints count the block at the helper as not
// yet written (scan_helper.h). On the 50% corpus this took the throughput from 0.42x to 0.52x of
// `cat`'s, in the same A/B run; the half-and-half split it replaces left the read, the formatting
// of both halves and the write on this thread while the helper only scanned.
//
// Not copyable; borrows the matcher and sink, which must outlive it. Called from one thread.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "coinone_annotate/input/line_buffer.h"
#include "coinone_annotate/input/source.h"
#include "coinone_annotate/match/line_findings.h"
#include "coinone_annotate/match/matcher.h"
#include "coinone_annotate/output/sink.h"
#include "coinone_annotate/search/scan_helper.h"

namespace coinone {

enum class Parallel { kOff, kAuto, kAlways };

struct SearchOptions {
  size_t buffer_capacity = LineBuffer::kDefaultCapacity;
  // Count lines (SearchResult::lines). Off by default: counting every newline of a block costs
  // a pass over it that plain annotation does not need.
  bool count_lines = false;
  // Scan large blocks one block ahead on a helper thread, for logs dense with errors, where
  // matching rather than copying bounds the speed (README, Performance). The output is the same,
  // byte for byte. kAuto uses the helper only when the process may use two CPUs; kAlways also
  // on one (tests, which must exercise the helper on any machine).
  Parallel parallel = Parallel::kOff;
  // Called before every read, after the flush: where follow mode reloads its code table.
  std::function<void()> between_reads;
  // Called for every annotated line with its 1-based number in the source (0 unless
  // count_lines), its content (for a line longer than the buffer: its last piece) and verdict.
  // Feeds --summary and the metrics; only annotated lines pay for the call.
  std::function<void(uint64_t line_number, std::string_view line, const Verdict& verdict)>
      on_annotated;
};

struct SearchResult {
  bool read_failed = false;    // the source failed; error holds the reason
  bool output_failed = false;  // the sink failed; the run should stop
  std::string error;
  uint64_t lines = 0;  // lines seen, when counted (a last line without terminator counts)
  uint64_t bytes = 0;  // bytes read
  // Bytes read but not given to the sink: a last line left incomplete at the end of a followed
  // file (ReadResult::whole_lines_only). Once the sink is flushed, source.checkpoint(unwritten).
  uint64_t unwritten = 0;
  uint64_t blocks_ahead = 0;  // blocks handed to the helper thread
};

class Searcher {
 public:
  // Blocks at least this large go to the helper thread when options.parallel is set: smaller
  // ones (a live tail's few lines) are not worth the hand-over.
  static constexpr size_t kParallelBlock = 256 * 1024;
  // ... and only while the previous block had this many annotated lines: on sparse logs the
  // scan is cheap and handing it over (a wake-up and a wait per block) cost more than it saved
  // (1% corpus: 17 579 annotated lines in 256 blocks, about 70 a block).
  static constexpr size_t kDenseBlock = 500;
  // The share of such a block that this thread scans itself moves in steps of 1/kShareSteps,
  // up to kMaxFrontShare of them.
  static constexpr size_t kShareSteps = 64;
  static constexpr size_t kMaxFrontShare = 48;

  Searcher(Matcher& matcher, Sink& sink, SearchOptions options = {});
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Reads source to its end (or to its first failure), pushing everything to the sink.
  SearchResult search(Source& source);
  // The counts of the search under way (or of the last one), for progress reports.
  const SearchResult& progress() const { return result_; }
  // After a table reload (the helper thread has its own matcher).
  void set_table(std::shared_ptr<const CodeTable> table);

 private:
  // Hands one block's lines to the sink in order, counting lines on the way.
  class Emitter {
   public:
    Emitter(Searcher& searcher, std::string_view block);
    void annotated(size_t line_start, size_t line_end, std::string_view content,
                   std::string_view terminator, const Verdict& verdict);
    void finish();

   private:
    Searcher& searcher_;
    std::string_view block_;
    size_t pass_from_ = 0;   // start of the bytes not yet given to the sink
    size_t counted_to_ = 0;  // newlines before this offset are in result_.lines
  };

  void process_pending();
  void announce_mirror();
  bool scan_block(std::string_view block);
  bool ensure_helper();
  size_t emit_block(std::string_view block);  // returns the annotated lines
  void replay(std::string_view block, const DeferredLines& lines);
  struct AheadBlock {
    std::string_view block;  // empty when none
    size_t front = 0;        // the helper scans block from here on, this thread what is before
  };
  void replay_ahead(AheadBlock ahead);
  void drain();
  void finish_input();
  void annotate_line(std::string_view line, std::string_view terminator);
  void end_line(std::string_view rest, std::string_view terminator, const Verdict& verdict,
                uint64_t line_number);
  void stream_piece(std::string_view piece);
  void finish_long_line(std::string_view rest, std::string_view terminator);
  void scan_long_window(std::string_view piece, bool final);

  Matcher& matcher_;
  Sink& sink_;
  SearchOptions options_;
  std::unique_ptr<LineBuffer> buffer_;
  std::unique_ptr<LineBuffer> spare_;  // with a helper: read into while it scans buffer_
  LineFindings findings_;
  SearchResult result_;

  // State of a line longer than the buffer.
  bool in_long_line_ = false;
  bool held_cr_ = false;     // a piece ended in '\r', which may begin a "\r\n" terminator
  std::string window_;       // carry + newest piece, the text the matcher looks at
  char window_prev_ = '\n';  // the byte before window_

  bool may_use_helper_ = false;         // options.parallel, and two CPUs to run on
  std::unique_ptr<ScanHelper> helper_;  // made by ensure_helper()
  AheadBlock ahead_;                    // the block at the helper, not yet given to the sink
  DeferredLines ahead_lines_;           // what the helper found in it
  size_t front_share_ = 0;              // of a block, in kShareSteps, scanned by this thread
  size_t annotated_last_block_ = 0;     // the first large block is scanned here: is the log dense?
  Verdict replay_verdict_;
  bool mirrored_ = false;  // the sink was told of bytes that are also the source's file's
};

}  // namespace coinone
