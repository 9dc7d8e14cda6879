#include "coinone_annotate/match/matcher.h"

#include "coinone_annotate/match/prefilter.h"

namespace coinone {

Matcher::Matcher(std::shared_ptr<const CodeTable> table, const FieldExtractor& extractor,
                 bool every_line_is_candidate)
    : table_(std::move(table)),
      extractor_(extractor),
      every_line_is_candidate_(every_line_is_candidate || extractor.has_user_patterns()) {}

size_t Matcher::next_candidate(std::string_view block, size_t from) const {
  if (every_line_is_candidate_) return from < block.size() ? from : std::string_view::npos;
  return find_candidate(block, from);
}

void Matcher::scan_line(std::string_view line, LineFindings& findings) const {
  extractor_.extract(line, '\n', true, findings);
}

void Matcher::scan_window(std::string_view window, char prev, bool final, size_t fresh_from,
                          LineFindings& findings) const {
  extractor_.extract(window, prev, final, findings, fresh_from);
  // A whole line is searched for "coinone" when an unknown code needs it (decide_line); a long
  // line is gone by then, so each of its windows is searched, the last one included.
  if (!findings.mentions_coinone() && mentions_coinone(window)) findings.set_mentions_coinone();
}

const Verdict& Matcher::decide_line(LineFindings& findings, std::string_view line) {
  const bool has_unknown = look_up(findings);
  if (has_unknown && !findings.result_error() && !findings.mentions_coinone() &&
      mentions_coinone(line))
    findings.set_mentions_coinone();
  return build_verdict(findings);
}

const Verdict& Matcher::decide(const LineFindings& findings) {
  look_up(findings);
  return build_verdict(findings);
}

// Fills entries_ with the table entry of each code; true when some code is unknown.
bool Matcher::look_up(const LineFindings& findings) {
  entries_.clear();
  bool has_unknown = false;
  for (size_t i = 0; i < findings.code_count(); ++i) {
    entries_.push_back(table_->find(findings.code(i).digits));
    has_unknown = has_unknown || entries_.back() == nullptr;
  }
  return has_unknown;
}

const Verdict& Matcher::build_verdict(const LineFindings& findings) {
  verdict_.clear();
  if (!findings.has_codes()) return verdict_;
  if (findings.result_other() && !findings.result_error()) return verdict_;
  const bool context = findings.result_error() || findings.mentions_coinone();
  for (size_t i = 0; i < findings.code_count(); ++i) {
    const FoundCode& found = findings.code(i);
    if (entries_[i] == nullptr && !context && !found.from_pattern) continue;
    if (verdict_.shown.size() < Verdict::kMaxShown)
      verdict_.shown.push_back({found.digits, entries_[i]});
    else
      ++verdict_.more;
  }
  if (!verdict_.empty()) verdict_.more += findings.untracked_fields();
  return verdict_;
}

}  // namespace coinone
