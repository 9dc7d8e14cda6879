// ScanHelper: the searcher's second thread, which scans a block of a log dense with errors one
// block ahead while the searcher's own thread writes the block before it and reads the one
// after (searcher.h says when a block goes to it).
//
// Contract. start(block) hands over a block of whole lines; the helper runs its own matcher
// over it and keeps each annotated line as a DeferredLine, its codes copied out of the findings
// (the findings die with the next scan) into one string for the whole block. wait() returns
// once the scan is done; take_lines() then hands the lines over. The block's bytes must stay put
// until wait() has returned.
//
// Threads. The helper owns a FieldExtractor clone (its own RE2 objects and value memo, which
// belong to one thread each) and a Matcher over it. create() returns no helper when the clone
// cannot be made: scanning then stays on the caller's thread, because sharing the caller's
// extractor would race on its memo. set_table() must be called between scans (after wait()).
//
// Not copyable or movable; the destructor stops and joins the thread.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/line_findings.h"
#include "coinone_annotate/match/matcher.h"

namespace coinone {

// An annotated line found by the helper thread, kept until it is handed to the sink.
struct DeferredLine {
  size_t start = 0, end = 0, content_size = 0;  // offsets in the helper's block
  std::string_view terminator;                  // "\n" or "\r\n": static strings
  size_t first_code = 0, code_count = 0;        // its codes: DeferredLines::codes[first, +count)
  size_t more = 0;
};

// A shown code of a deferred line: its digits at [at, at + size) of DeferredLines::digits.
struct DeferredCode {
  size_t at = 0, size = 0;
  const CodeEntry* entry = nullptr;
};

// The annotated lines of one block. Flat, so that a block of 1,000 annotated lines costs no
// allocation once the vectors have grown: a vector of codes of strings per line took 120
// instructions a line on the short-line corpus.
struct DeferredLines {
  std::vector<DeferredLine> lines;
  std::vector<DeferredCode> codes;
  std::string digits;
  std::string_view digits_of(const DeferredCode& code) const {
    return std::string_view(digits).substr(code.at, code.size);
  }
};

class ScanHelper {
 public:
  // A helper scanning with `matcher`'s table and settings, or nullptr when the matcher's
  // extractor cannot be cloned or no thread can be started (a process limit).
  static std::unique_ptr<ScanHelper> create(const Matcher& matcher);
  ~ScanHelper();
  ScanHelper(const ScanHelper&) = delete;
  ScanHelper& operator=(const ScanHelper&) = delete;

  void start(std::string_view block);
  // Waits for the scan under way, if any; returns whether one was still under way.
  bool wait();
  // Swaps the lines found for `into` (the vectors keep their capacity, and so do the strings).
  void take_lines(DeferredLines& into) { std::swap(into, lines_); }
  void set_table(std::shared_ptr<const CodeTable> table) { matcher_.set_table(std::move(table)); }

 private:
  ScanHelper(std::unique_ptr<FieldExtractor> extractor, const Matcher& matcher);
  void loop();
  void scan(std::string_view block);

  std::unique_ptr<FieldExtractor> extractor_;  // its own RE2 objects (FieldExtractor::clone)
  Matcher matcher_;                            // its own: matchers keep per-call state
  LineFindings findings_;
  DeferredLines lines_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::string_view block_;
  bool busy_ = false;
  bool quit_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace coinone
