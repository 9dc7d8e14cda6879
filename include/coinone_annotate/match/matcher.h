// Matcher: decides which Coinone error codes a line carries (the match layer's front).
//
// It joins the prefilter (which lines to look at), the extractor (what fields they hold) and the
// code table (what the codes mean), and applies the rules that tell a Coinone error from a
// look-alike:
//   - a line whose `result` fields are all something other than "error" is not a Coinone error;
//   - a line with evidence of another exchange and no word "coinone" (exchange_evidence.h) is
//     not a Coinone error; the check runs only on lines that have a code to show, and can be
//     turned off (--no-exchange-check);
//   - a code in the table is shown;
//   - a code not in the table is shown (as unknown) only with Coinone context: a `result` of
//     "error" or the word "coinone", whether a field or a --pattern found it;
//   - distinct codes in order of first appearance, at most Verdict::kMaxShown, then "+N more".
//
// Byte spans in, findings out: no I/O. Not thread-safe (it reuses its verdict storage); use one
// matcher per searching thread. The table is shared and immutable, so a reload swaps a pointer.
#pragma once
#include <string.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/exchange_ids.h"
#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/line_findings.h"
#include "coinone_annotate/match/literal_search.h"
#include "coinone_annotate/match/verdict.h"

namespace coinone {

class Matcher {
 public:
  // every_line_is_candidate: skip the prefilter (needed with --pattern, whose shapes the
  // prefilter cannot know; also used by tests to check that the prefilter loses nothing).
  Matcher(std::shared_ptr<const CodeTable> table, const FieldExtractor& extractor,
          bool every_line_is_candidate);

  // Offset of the next candidate at or after `from`, or npos.
  size_t next_candidate(std::string_view block, size_t from) const;
  // Adds the fields of a whole line (without its terminator) to findings.
  void scan_line(std::string_view line, LineFindings& findings) const;
  // Adds the fields of a window of a long line; see FieldExtractor::extract.
  void scan_window(std::string_view window, char prev, bool final, size_t fresh_from,
                   LineFindings& findings) const;
  // Decides what to show for a whole line scanned with scan_line(); the line is searched for
  // "coinone" only when an unknown code needs the context, and for other exchanges only when
  // a code would be shown. The verdict lives until the next call.
  const Verdict& decide_line(LineFindings& findings, std::string_view line);
  // The same for a long line whose windows were scanned with scan_window().
  const Verdict& decide(const LineFindings& findings);

  // Calls visit(line_start, line_end, content, terminator, verdict) for every annotated line of
  // a block of whole lines ('\n'-terminated), in order. Only candidate lines are split out and
  // matched; line_end is the offset of the line's '\n'.
  //
  // Two ways to find them. kPrefilter scans for candidate `code` names (prefilter.h) and
  // matches the line around each; on a sparse log nearly every byte is passed over by that scan
  // alone. kOnePass scans the whole block once for `code` and `result` names and takes each in
  // its line as it comes: on a log dense with errors the prefilter's scan, the extractor's
  // second scan of each candidate line and the checks both made on each name cost more than
  // the one pass, which looks at every `result` field too. kAuto (the default) takes one pass
  // over a block when the block before it held at least one annotated line per kDenseBytes.
  // Both give the same lines and verdicts; with every_line_is_candidate every line is matched.
  enum class BlockScan { kAuto, kPrefilter, kOnePass };
  static constexpr size_t kDenseBytes = 2048;
  void set_block_scan(BlockScan scan) { block_scan_ = scan; }
  template <typename Visit>
  void for_each_annotated_line(std::string_view block, LineFindings& findings, Visit&& visit);

  void set_table(std::shared_ptr<const CodeTable> table) { table_ = std::move(table); }
  // The ids by which lines of other exchanges are recognised; null turns the check off.
  // Default: builtin_exchange_ids().
  void set_exchange_ids(const ExchangeIds* ids) { exchange_ids_ = ids; }
  const CodeTable& table() const { return *table_; }
  const FieldExtractor& extractor() const { return extractor_; }
  // A matcher with this one's table and settings over another extractor (another thread's).
  Matcher rebound(const FieldExtractor& extractor) const {
    Matcher copy(table_, extractor, every_line_is_candidate_);
    copy.set_exchange_ids(exchange_ids_);
    return copy;
  }

 private:
  template <typename Visit>
  void prefiltered_lines(std::string_view block, LineFindings& findings, Visit& visit);
  template <typename Visit>
  void one_pass_lines(std::string_view block, LineFindings& findings, Visit& visit);
  bool look_up(const LineFindings& findings);
  const Verdict& build_verdict(const LineFindings& findings);

  std::shared_ptr<const CodeTable> table_;
  const FieldExtractor& extractor_;
  bool every_line_is_candidate_;
  const ExchangeIds* exchange_ids_ = &builtin_exchange_ids();
  std::vector<const CodeEntry*> entries_;  // per code of the findings, null when unknown
  Verdict verdict_;
  BlockScan block_scan_ = BlockScan::kAuto;
  bool dense_ = false;  // the last block held an annotated line per kDenseBytes or more
};

template <typename Visit>
void Matcher::for_each_annotated_line(std::string_view block, LineFindings& findings,
                                      Visit&& visit) {
  size_t annotated = 0;
  auto counted = [&](size_t line_start, size_t line_end, std::string_view content,
                     std::string_view terminator, const Verdict& verdict) {
    ++annotated;
    visit(line_start, line_end, content, terminator, verdict);
  };
  const bool one_pass = !every_line_is_candidate_ && (block_scan_ == BlockScan::kOnePass ||
                                                      (block_scan_ == BlockScan::kAuto && dense_));
  if (one_pass)
    one_pass_lines(block, findings, counted);
  else
    prefiltered_lines(block, findings, counted);
  dense_ = annotated * kDenseBytes >= block.size() && annotated != 0;
}

namespace matcher_detail {
// A line's content and terminator: "\r\n" when the content ends in '\r'.
inline std::pair<std::string_view, std::string_view> split_terminator(std::string_view content) {
  if (!content.empty() && content.back() == '\r')
    return {content.substr(0, content.size() - 1), "\r\n"};
  return {content, "\n"};
}
}  // namespace matcher_detail

template <typename Visit>
void Matcher::prefiltered_lines(std::string_view block, LineFindings& findings, Visit& visit) {
  for (size_t at = 0; at < block.size();) {
    const size_t candidate = next_candidate(block, at);
    if (candidate == std::string_view::npos) return;
    const void* before = candidate == 0 ? nullptr : ::memrchr(block.data(), '\n', candidate);
    const size_t line_start =
        before == nullptr
            ? 0
            : static_cast<size_t>(static_cast<const char*>(before) - block.data()) + 1;
    const size_t line_end = block.find('\n', candidate);
    const auto [content, terminator] =
        matcher_detail::split_terminator(block.substr(line_start, line_end - line_start));
    findings.clear();
    scan_line(content, findings);
    const Verdict& verdict = decide_line(findings, content);
    if (!verdict.empty()) visit(line_start, line_end, content, terminator, verdict);
    at = line_end + 1;
  }
}

// One scan of the block for both names; a line is opened at its first name and decided once a
// name beyond it turns up, or at the end. A line with no code found needs no decision: its
// verdict would be empty. (Holding `result` names back until a code turns up in their line
// saved nothing: on a dense log nearly every line with a `result` also has a code.)
template <typename Visit>
void Matcher::one_pass_lines(std::string_view block, LineFindings& findings, Visit& visit) {
  struct Walk {
    Matcher& self;
    std::string_view block;
    LineFindings& findings;
    Visit& visit;
    bool open = false;
    size_t start = 0, end = 0;  // the open line: [start, end), end at its '\n' (or the block's end)
    size_t next_start = 0;      // no line starts before this: the previous line ended there
    std::string_view content{}, terminator{};

    void open_line(size_t at) {
      const void* before = ::memrchr(block.data() + next_start, '\n', at - next_start);
      start = before == nullptr
                  ? next_start
                  : static_cast<size_t>(static_cast<const char*>(before) - block.data()) + 1;
      end = std::min(block.find('\n', at), block.size());
      std::tie(content, terminator) =
          matcher_detail::split_terminator(block.substr(start, end - start));
      findings.clear();
      open = true;
    }
    void close_line() {
      open = false;
      next_start = end + 1;
      if (!findings.has_codes()) return;
      const Verdict& verdict = self.decide_line(findings, content);
      if (!verdict.empty()) visit(start, end, content, terminator, verdict);
    }
    static bool on_name(void* context, size_t at) {
      Walk& walk = *static_cast<Walk*>(context);
      if (walk.open && at > walk.end) walk.close_line();
      if (!walk.open) walk.open_line(at);
      // A name is letters only, so it lies within the content, before any '\r'.
      walk.self.extractor_.extract_name_at(walk.content, at - walk.start, walk.findings);
      return true;
    }
  } walk{*this, block, findings, visit};
  for_each_either(block, 0, "code", "result", &Walk::on_name, &walk);
  if (walk.open) walk.close_line();
}

}  // namespace coinone
