#include "coinone_annotate/field_extractor.h"

#include <re2/re2.h>

#include <strings.h>

#include <cctype>

namespace coinone {

namespace {

// Group 1: the name, group 2: the value token. See the header for the grammar; the prefilter
// (prefilter.cpp) follows the same grammar and must stay in step with it.
constexpr char kFieldPattern[] =
    R"((?i)(error[_-]?code|result)[\\"' \t]*(?:=>|:|=)[\\"' \t]*:?([a-z0-9_]*))";

bool is_name_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

RE2::Options pattern_options() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

}  // namespace

struct FieldExtractor::Patterns {
  RE2 field{kFieldPattern, pattern_options()};
  std::vector<std::unique_ptr<RE2>> user;
  std::vector<int> user_code_group;  // index of the `code` group in each user pattern
};

FieldExtractor::Result FieldExtractor::create(const std::vector<std::string>& user_patterns) {
  auto patterns = std::make_unique<Patterns>();
  if (!patterns->field.ok()) return {nullptr, "built-in pattern: " + patterns->field.error()};
  for (const auto& text : user_patterns) {
    auto re = std::make_unique<RE2>(text, pattern_options());
    if (!re->ok()) return {nullptr, text + ": " + re->error()};
    const auto& groups = re->NamedCapturingGroups();
    const auto it = groups.find("code");
    if (it == groups.end()) return {nullptr, text + ": no named group (?P<code>...)"};
    patterns->user_code_group.push_back(it->second);
    patterns->user.push_back(std::move(re));
  }
  return {std::unique_ptr<FieldExtractor>(new FieldExtractor(std::move(patterns))), {}};
}

FieldExtractor::FieldExtractor(std::unique_ptr<Patterns> patterns)
    : patterns_(std::move(patterns)) {}
FieldExtractor::~FieldExtractor() = default;

bool FieldExtractor::has_user_patterns() const { return !patterns_->user.empty(); }

void FieldExtractor::extract(std::string_view text, char prev, bool final,
                             LineFindings& findings) const {
  extract_fields(text, prev, final, findings);
  if (has_user_patterns()) extract_user(text, final, findings);
  if (!findings.mentions_coinone() && mentions_coinone(text)) findings.set_mentions_coinone();
}

void FieldExtractor::extract_fields(std::string_view text, char prev, bool final,
                                    LineFindings& findings) const {
  const re2::StringPiece input(text.data(), text.size());
  re2::StringPiece groups[3];
  size_t pos = 0;
  while (pos < text.size() &&
         patterns_->field.Match(input, pos, text.size(), RE2::UNANCHORED, groups, 3)) {
    const size_t name_at = static_cast<size_t>(groups[1].data() - text.data());
    const size_t token_end =
        static_cast<size_t>(groups[2].data() - text.data()) + groups[2].size();
    // A field whose token touches the end of a non-final window may go on in the next one.
    if (!final && token_end + kLookahead > text.size()) return;
    const char before = name_at == 0 ? prev : text[name_at - 1];
    if (is_name_byte(before)) {  // part of a longer name: http_error_code, x-error-code
      pos = name_at + 1;
      continue;
    }
    const std::string_view token(groups[2].data(), groups[2].size());
    if (groups[1][0] == 'r' || groups[1][0] == 'R') {
      if (!token.empty())
        findings.add_result(token.size() == 5 && strncasecmp(token.data(), "error", 5) == 0);
    } else {
      const auto digits = error_code_digits(token, text.substr(token_end));
      if (!digits.empty()) findings.add_code(digits, false);
    }
    pos = token_end > name_at ? token_end : name_at + 1;
  }
}

void FieldExtractor::extract_user(std::string_view text, bool final, LineFindings& findings) const {
  const re2::StringPiece input(text.data(), text.size());
  for (size_t i = 0; i < patterns_->user.size(); ++i) {
    const RE2& re = *patterns_->user[i];
    const int group = patterns_->user_code_group[i];
    std::vector<re2::StringPiece> groups(static_cast<size_t>(group) + 1);
    size_t pos = 0;
    while (pos <= text.size() &&
           re.Match(input, pos, text.size(), RE2::UNANCHORED, groups.data(), group + 1)) {
      const size_t start = static_cast<size_t>(groups[0].data() - text.data());
      const size_t end = start + groups[0].size();
      if (!final && end + kLookahead > text.size()) break;
      const re2::StringPiece code = groups[static_cast<size_t>(group)];
      if (code.data() != nullptr) {
        const size_t code_end = static_cast<size_t>(code.data() - text.data()) + code.size();
        const auto digits = error_code_digits({code.data(), code.size()}, text.substr(code_end));
        if (!digits.empty()) findings.add_code(digits, true);
      }
      pos = end > start ? end : start + 1;  // an empty match must still move on
    }
  }
}

std::string_view error_code_digits(std::string_view token, std::string_view after) {
  if (token.empty()) return {};
  for (const char c : token)
    if (!is_digit(c)) return {};
  if (after.size() >= 2 && after[0] == '.' && is_digit(after[1])) return {};  // 103.5
  const size_t first = token.find_first_not_of('0');
  if (first == std::string_view::npos) return {};  // 0, 00: Coinone's success
  return token.substr(first);
}

bool mentions_coinone(std::string_view text) {
  static constexpr std::string_view kWord = "coinone";
  if (text.size() < kWord.size()) return false;
  const size_t last = text.size() - kWord.size();
  for (size_t at = 0; at <= last; ++at)
    if ((text[at] | 0x20) == 'c' && strncasecmp(text.data() + at, kWord.data(), kWord.size()) == 0)
      return true;
  return false;
}

}  // namespace coinone
