#include "reference_extractor.h"

#include <re2/re2.h>
#include <strings.h>

#include <cctype>

#include "coinone_annotate/match/exchange_evidence.h"
#include "coinone_annotate/match/field_extractor.h"

namespace coinone::testing {

namespace {

bool is_name_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

const RE2& field_pattern() {
  static const RE2 kPattern(
      R"((?i)(error[_-]?code|result)[\\"' \t]*(?:=>|:|=)[\\"' \t]*:?([a-z0-9_]*))", RE2::Latin1);
  return kPattern;
}

// "[]" or "{}", spaces allowed inside, at the start of text.
bool empty_container(std::string_view text) {
  if (text.empty() || (text[0] != '[' && text[0] != '{')) return false;
  const size_t close = text.find_first_not_of(" \t", 1);
  return close != std::string_view::npos && text[close] == (text[0] == '[' ? ']' : '}');
}

}  // namespace

void reference_extract(std::string_view line, LineFindings& findings) {
  const re2::StringPiece input(line.data(), line.size());
  re2::StringPiece groups[3];
  bool any_code = false;
  LineFindings results;  // results and context count only on lines with codes
  for (size_t pos = 0; pos < line.size() && field_pattern().Match(input, pos, line.size(),
                                                                  RE2::UNANCHORED, groups, 3);) {
    const size_t name_at = static_cast<size_t>(groups[1].data() - line.data());
    pos = name_at + 1;  // every name is looked at, even inside another field's value
    if (name_at > 0 && is_name_byte(line[name_at - 1])) continue;
    const std::string_view token(groups[2].data(), groups[2].size());
    const size_t token_end = static_cast<size_t>(token.data() - line.data()) + token.size();
    if (groups[1][0] == 'r' || groups[1][0] == 'R') {
      const std::string_view rest = line.substr(token_end);
      const char last = token_end > 0 ? line[token_end - 1] : '\0';
      if (!token.empty())
        results.add_result(token.size() == 5 && strncasecmp(token.data(), "error", 5) == 0);
      else if (empty_container(rest) || ((last == '"' || last == '\'') && !rest.empty() &&
                                         (rest[0] == ',' || rest[0] == '}' || rest[0] == ']')))
        results.add_result(false);  // [], {}, "": present, and not "error"
    } else if (const auto digits = error_code_digits(token, line.substr(token_end));
               !digits.empty()) {
      findings.add_code(digits, false);
      any_code = true;
    }
  }
  if (!any_code) return;
  if (results.result_error()) findings.add_result(true);
  if (results.result_other()) findings.add_result(false);
  if (mentions_coinone(line)) findings.set_mentions_coinone();
}

std::string reference_text(const std::string& input, Matcher& matcher) {
  LineFindings findings;
  std::string out;
  size_t at = 0;
  while (at < input.size()) {
    size_t end = input.find('\n', at);
    const bool terminated = end != std::string::npos;
    if (!terminated) end = input.size();
    std::string line = input.substr(at, end - at);
    std::string terminator = terminated ? "\n" : "";
    if (terminated && !line.empty() && line.back() == '\r') {
      line.pop_back();
      terminator = "\r\n";
    }
    findings.clear();
    reference_extract(line, findings);
    const Verdict& v = matcher.decide_line(findings, line);
    out += line;
    for (const auto& s : v.shown) out += "<" + std::string(s.digits) + ">";
    if (v.more != 0) out += "<+" + std::to_string(v.more) + ">";
    out += terminator;
    at = end + 1;
  }
  return out;
}

}  // namespace coinone::testing
