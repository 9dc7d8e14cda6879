// Fuzz target: FieldExtractor::create() with a user --pattern, then extract() over a text.
//
// Input: the pattern up to the first '\n', the text after it (no '\n': the pattern is also the
// text).
//
// Properties:
//   - create() never crashes; it fails (with a message) or gives an extractor;
//   - extract() never crashes, on the whole text and on the windows the searcher makes of a
//     line longer than its buffer (pieces of a few bytes, kCarry bytes carried, final last);
//   - every code found is digits without leading zeros, never "0", and occurs in the text;
//   - extracting the same text again finds nothing new;
//   - the matcher's verdict over those findings shows only codes that were found.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/line_findings.h"
#include "coinone_annotate/match/matcher.h"
#include "fuzz_check.h"

namespace {

using namespace coinone;

void check_codes(const LineFindings& findings, std::string_view text) {
  for (size_t i = 0; i < findings.code_count(); ++i) {
    const std::string& digits = findings.code(i).digits;
    FUZZ_CHECK(!digits.empty(), "empty code");
    FUZZ_CHECK(digits[0] != '0', digits);
    for (const char c : digits) FUZZ_CHECK(c >= '0' && c <= '9', digits);
    FUZZ_CHECK(text.find(digits) != std::string_view::npos, digits);
  }
}

// The searcher's long-line path: pieces of `piece` bytes, the last kCarry bytes carried.
void extract_in_windows(const FieldExtractor& extractor, std::string_view text, size_t piece,
                        LineFindings& findings) {
  std::string window;
  char prev = '\n';
  for (size_t at = 0; at < text.size(); at += piece) {
    const bool final = at + piece >= text.size();
    window.append(text.substr(at, piece));
    extractor.extract(window, prev, final, findings);
    if (window.size() > FieldExtractor::kCarry) {
      const size_t drop = window.size() - FieldExtractor::kCarry;
      prev = window[drop - 1];
      window.erase(0, drop);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string pattern(input.substr(0, newline));
  const std::string_view text =
      newline == std::string_view::npos ? input : input.substr(newline + 1);

  auto made = FieldExtractor::create({pattern});
  if (made.extractor == nullptr) {
    FUZZ_CHECK(!made.error.empty(), pattern);
    return 0;
  }
  FUZZ_CHECK(made.error.empty(), made.error);
  const FieldExtractor& extractor = *made.extractor;
  FUZZ_CHECK(extractor.has_user_patterns(), pattern);

  LineFindings findings;
  extractor.extract(text, '\n', true, findings);
  check_codes(findings, text);
  const size_t found = findings.code_count();
  extractor.extract(text, '\n', true, findings);
  FUZZ_CHECK(findings.code_count() == found, "a second extract() found more");

  LineFindings windowed;
  extract_in_windows(extractor, text, 1 + size % 13, windowed);
  check_codes(windowed, text);

  static const auto kTable = std::make_shared<CodeTable>(builtin_code_table());
  Matcher matcher(kTable, extractor, false);
  const Verdict& verdict = matcher.decide_line(findings, text);
  FUZZ_CHECK(verdict.shown.size() <= Verdict::kMaxShown, "");
  for (const auto& shown : verdict.shown) {
    bool was_found = false;
    for (size_t i = 0; i < findings.code_count(); ++i)
      was_found = was_found || findings.code(i).digits == shown.digits;
    FUZZ_CHECK(was_found, std::string(shown.digits));
    FUZZ_CHECK(shown.entry == kTable->find(shown.digits), std::string(shown.digits));
  }
  return 0;
}
