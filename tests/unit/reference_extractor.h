// The naive oracle for differential tests: one unanchored RE2 pattern for name, separator and
// value, run over the whole text, every match looked at. It shares no code with the production
// extractor (no prefilter, no literal scans), so the two agreeing over seeded random corpora
// says that the fast path loses nothing.
#pragma once
#include <string_view>

#include "coinone_annotate/line_findings.h"

namespace coinone::testing {

// Adds the fields of a whole line to findings, as FieldExtractor::extract(line, '\n', true, ...)
// must.
void reference_extract(std::string_view line, LineFindings& findings);

}  // namespace coinone::testing
