#include "coinone_annotate/match/matcher.h"

#include "coinone_annotate/match/exchange_evidence.h"
#include "coinone_annotate/match/prefilter.h"

namespace coinone {

Matcher::Matcher(std::shared_ptr<const CodeTable> table, const FieldExtractor& extractor,
                 bool every_line_is_candidate)
    : table_(std::move(table)),
      extractor_(extractor),
      every_line_is_candidate_(every_line_is_candidate || extractor.has_user_patterns()) {}

namespace {

// The part of a window of a long line in which words are whole: from after its first space when
// it starts inside the line, up to its last space when the line goes on. Evidence is judged by
// the bytes around a word (`mycoinone`, `coinones`, `kraken.community`), which a window may cut;
// windows overlap by FieldExtractor::kCarry bytes, so what is left out here is whole in the
// window before or after.
std::string_view whole_words(std::string_view window, char prev, bool final) {
  if (prev != '\n') {
    const size_t space = window.find(' ');
    window.remove_prefix(space == std::string_view::npos ? window.size() : space + 1);
  }
  if (!final) {
    const size_t space = window.rfind(' ');
    window = window.substr(0, space == std::string_view::npos ? 0 : space);
  }
  return window;
}

}  // namespace

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
  const std::string_view words = whole_words(window, prev, final);
  if (!findings.mentions_coinone() && mentions_coinone(words)) findings.set_mentions_coinone();
  if (exchange_ids_ != nullptr && !findings.other_exchange() &&
      names_other_exchange(words, *exchange_ids_))
    findings.set_other_exchange();
}

const Verdict& Matcher::decide_line(LineFindings& findings, std::string_view line) {
  const bool has_unknown = look_up(findings);
  bool coinone_known = findings.mentions_coinone();  // searched for or found already
  if (has_unknown && !findings.result_error() && !coinone_known) {
    if (mentions_coinone(line)) findings.set_mentions_coinone();
    coinone_known = true;
  }
  build_verdict(findings);
  // Only a line about to be annotated is searched for other exchanges (1% of a typical log),
  // and only when it does not name Coinone: that search stops at the first "coinone", which
  // many Coinone lines hold early (on the 1% corpus, searching for other exchanges first cost
  // 1.1% more instructions in all).
  if (verdict_.empty() || exchange_ids_ == nullptr || findings.mentions_coinone()) return verdict_;
  if (!coinone_known && mentions_coinone(line)) return verdict_;
  if (names_other_exchange(line, *exchange_ids_)) verdict_.clear();
  return verdict_;
}

const Verdict& Matcher::decide(const LineFindings& findings) {
  look_up(findings);
  build_verdict(findings);
  if (exchange_ids_ != nullptr && findings.other_exchange() && !findings.mentions_coinone())
    verdict_.clear();
  return verdict_;
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
    if (entries_[i] == nullptr && !context) continue;
    if (verdict_.shown.size() < Verdict::kMaxShown)
      verdict_.shown.push_back({found.digits, entries_[i]});
    else
      ++verdict_.more;
  }
  if (!verdict_.empty()) verdict_.more += findings.untracked_fields();
  return verdict_;
}

}  // namespace coinone
