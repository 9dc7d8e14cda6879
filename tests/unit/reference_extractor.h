// The naive oracle for differential tests: one unanchored RE2 pattern for name, separator and
// value, run over the whole text, every match looked at. It shares no code with the production
// extractor (no prefilter, no literal scans), so the two agreeing over seeded random corpora
// says that the fast path loses nothing.
#pragma once
#include <string>
#include <string_view>

#include "coinone_annotate/match/line_findings.h"
#include "coinone_annotate/match/matcher.h"

namespace coinone::testing {

// Adds the fields of a whole line to findings, as FieldExtractor::extract(line, '\n', true, ...)
// must.
void reference_extract(std::string_view line, LineFindings& findings);

// The oracle's view of a whole input: split into lines the obvious way, each line given to
// reference_extract() and decided by `matcher`; annotations are written as "<CODE>" and
// "<+N>" before each terminator, like RecordingSink::text().
std::string reference_text(const std::string& input, Matcher& matcher);

}  // namespace coinone::testing
