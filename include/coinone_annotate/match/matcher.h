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

#include <memory>
#include <string_view>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/exchange_ids.h"
#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/line_findings.h"
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
  bool look_up(const LineFindings& findings);
  const Verdict& build_verdict(const LineFindings& findings);

  std::shared_ptr<const CodeTable> table_;
  const FieldExtractor& extractor_;
  bool every_line_is_candidate_;
  const ExchangeIds* exchange_ids_ = &builtin_exchange_ids();
  std::vector<const CodeEntry*> entries_;  // per code of the findings, null when unknown
  Verdict verdict_;
};

template <typename Visit>
void Matcher::for_each_annotated_line(std::string_view block, LineFindings& findings,
                                      Visit&& visit) {
  for (size_t at = 0; at < block.size();) {
    const size_t candidate = next_candidate(block, at);
    if (candidate == std::string_view::npos) return;
    const void* before = candidate == 0 ? nullptr : ::memrchr(block.data(), '\n', candidate);
    const size_t line_start =
        before == nullptr
            ? 0
            : static_cast<size_t>(static_cast<const char*>(before) - block.data()) + 1;
    const size_t line_end = block.find('\n', candidate);
    std::string_view content = block.substr(line_start, line_end - line_start);
    std::string_view terminator = "\n";
    if (!content.empty() && content.back() == '\r') {
      content.remove_suffix(1);
      terminator = "\r\n";
    }
    findings.clear();
    scan_line(content, findings);
    const Verdict& verdict = decide_line(findings, content);
    if (!verdict.empty()) visit(line_start, line_end, content, terminator, verdict);
    at = line_end + 1;
  }
}

}  // namespace coinone
