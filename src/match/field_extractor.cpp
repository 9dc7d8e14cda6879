#include "coinone_annotate/match/field_extractor.h"

#include <re2/re2.h>

#include <algorithm>

#include "coinone_annotate/match/byte_classes.h"
#include "coinone_annotate/match/literal_search.h"
#include "coinone_annotate/match/prefilter.h"
#include "coinone_annotate/match/value_memo.h"

namespace coinone {

namespace {

// What follows a field name: the separator and the value token. Names are found with literal
// scans (the same vector scan as the prefilter's), and this pattern is matched anchored right
// after each one. Running one unanchored pattern for names and values over every candidate line
// instead took 1.5 us a line on the 50% corpus. It has no capture group on purpose: asking RE2
// for a submatch costs a second pass (210 ns a call against 86 ns for the match bounds alone,
// measured on a typical line), and the token is simply the run of [A-Za-z0-9_] that ends the
// match, since no byte before it can be one. The prefilter (prefilter.cpp) follows the same
// grammar.
// It is compiled as Latin-1 (bytes are characters, whatever the log's encoding) and spells out
// both cases rather than using (?i), whose Unicode folding would let U+212A KELVIN SIGN match 'k'.
// It consumes only separator bytes and then token bytes, so its answers are kept per value run
// (value_memo.h).
}  // namespace

const char kFieldValuePattern[] = R"([\\"' \t]*(?:=>|:|=)[\\"' \t]*:?[a-zA-Z0-9_]*)";

namespace {

// ASCII only, without the locale lookup of std::isalnum (2.6% of the run time).
bool is_token_byte(char c) { return byte_class::is(c, byte_class::kToken); }

// The bytes the value pattern can consume before the token.
bool is_separator_byte(char c) { return byte_class::is(c, byte_class::kSeparator); }

bool is_name_byte(char c) { return is_token_byte(c) || c == '-'; }

bool is_digit(char c) { return byte_class::is(c, byte_class::kDigit); }

// A value that is no token but still a value: an empty array or object (`"result":[]`, `{}`)
// or an empty string (`"result":""`). Like null or false, it is not "error". A result that
// holds something (`"result":{"error_code":"103"}`) wraps the answer and says nothing itself.
bool is_non_token_value(std::string_view text, size_t start) {
  if (start >= text.size()) return false;
  const char c = text[start];
  if (c == '[' || c == '{') {
    size_t at = start + 1;
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    return at < text.size() && text[at] == (c == '[' ? ']' : '}');
  }
  const bool after_quote = start > 0 && (text[start - 1] == '"' || text[start - 1] == '\'');
  return after_quote && (c == ',' || c == '}' || c == ']');
}

constexpr size_t kNpos = std::string_view::npos;

RE2::Options pattern_options() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

}  // namespace

RE2::Options latin1_options() {
  RE2::Options options = pattern_options();
  options.set_encoding(RE2::Options::EncodingLatin1);
  return options;
}

struct FieldExtractor::Patterns {
  RE2 value{kFieldValuePattern, latin1_options()};
  ValueMemo memo;  // the value pattern's answers, per run of value bytes
  std::vector<std::unique_ptr<RE2>> user;
  std::vector<int> user_code_group;  // index of the `code` group in each user pattern
};

FieldExtractor::Result FieldExtractor::create(const std::vector<std::string>& user_patterns) {
  auto patterns = std::make_unique<Patterns>();
  if (!patterns->value.ok()) return {nullptr, "built-in pattern: " + patterns->value.error()};
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

std::unique_ptr<FieldExtractor> FieldExtractor::clone() const {
  std::vector<std::string> user_patterns;
  for (const auto& re : patterns_->user) user_patterns.push_back(re->pattern());
  return create(user_patterns).extractor;  // these compiled once already
}

void FieldExtractor::extract(std::string_view text, char prev, bool final, LineFindings& findings,
                             size_t fresh_from) const {
  extract_fields(text, prev, final, fresh_from, findings);
  if (has_user_patterns()) extract_user(text, final, fresh_from, findings);
}

// The value token after a name ending at `at`, or nullopt when no separator follows or when the
// token may go on past the end of a non-final window. `digit_at` is code_token_start()'s answer:
// the separator walk stopped at a digit, which is no separator byte, so the value run
// (value_run_length()) is the bytes up to it and the token bytes from it, and need not be
// walked again.
std::optional<std::string_view> FieldExtractor::value_after(std::string_view text, size_t at,
                                                            size_t digit_at, bool final) const {
  size_t run_end = digit_at;
  const size_t run_limit = std::min(text.size(), at + ValueMemo::kMaxRun + 1);
  while (run_end < run_limit && is_token_byte(text[run_end])) ++run_end;
  const std::string_view run = text.substr(at, run_end - at);
  const ValueMemo::Key key = ValueMemo::key_of(run, text.size() - at);
  std::optional<int> answer = patterns_->memo.find(key);
  if (!answer) {
    // The match cannot go past the run: RE2 reads only the run (all of the text when the run
    // is too long to keep, as value_run_length() stops counting).
    const size_t end = run.size() > ValueMemo::kMaxRun ? text.size() : at + run.size();
    const re2::StringPiece input(text.data(), end);
    re2::StringPiece match;
    answer = patterns_->value.Match(input, at, input.size(), RE2::ANCHOR_START, &match, 1)
                 ? static_cast<int>(match.size())
                 : ValueMemo::kNoMatch;
    patterns_->memo.remember(key, *answer);
  }
  if (*answer == ValueMemo::kNoMatch) return std::nullopt;
  const size_t token_end = at + static_cast<size_t>(*answer);
  if (!final && token_end + kLookahead > text.size()) return std::nullopt;
  size_t token_start = token_end;
  while (token_start > at && is_token_byte(text[token_start - 1])) --token_start;
  return text.substr(token_start, token_end - token_start);
}

// One pass over the text finds both names; RE2 reads each code field's value. `result` values
// are read by the hand-written grammar walker instead: a second RE2 call per line (86 ns of
// fixed cost each) took a sixth of the run time on the 50% corpus, and a result value only
// sorts the line, it is never shown. The reference extractor of the tests reads both with RE2.
void FieldExtractor::extract_fields(std::string_view text, char prev, bool final, size_t fresh_from,
                                    LineFindings& findings) const {
  struct Visit {
    const FieldExtractor& self;
    std::string_view text;
    char prev;
    bool final;
    size_t fresh_from;
    LineFindings& findings;
  } visit{*this, text, prev, final, fresh_from, findings};
  for_each_either(
      text, 0, "code", "result",
      [](void* context, size_t at) {
        auto& v = *static_cast<Visit*>(context);
        if (word_at(v.text, at, "code"))
          v.self.extract_code(v.text, at, v.prev, v.final, v.fresh_from, v.findings);
        else
          v.self.extract_result(v.text, at, v.prev, v.final, v.findings);
        return true;
      },
      &visit);
}

void FieldExtractor::extract_name_at(std::string_view line, size_t at,
                                     LineFindings& findings) const {
  if (word_at(line, at, "code"))
    extract_code(line, at, '\n', true, 0, findings);
  else
    extract_result(line, at, '\n', true, findings);
}

void FieldExtractor::extract_code(std::string_view text, size_t at, char prev, bool final,
                                  size_t fresh_from, LineFindings& findings) const {
  const size_t name_at = error_name_start(text, at);
  if (name_at == kNpos) return;
  const char before = name_at == 0 ? prev : text[name_at - 1];
  if (is_name_byte(before)) return;  // part of a longer name: http_error_code, x-error-code
  const size_t digit_at = code_token_start(text, at + 4);
  if (digit_at == kNpos) return;  // "0", null: no need to ask RE2
  const auto token = value_after(text, at + 4, digit_at, final);
  if (!token) return;
  const size_t token_end = static_cast<size_t>(token->data() - text.data()) + token->size();
  if (token_end + kLookahead <= fresh_from) return;  // counted with the previous window
  const auto digits = error_code_digits(*token, text.substr(token_end));
  if (!digits.empty()) findings.add_code(digits, false);
}

void FieldExtractor::extract_result(std::string_view text, size_t at, char prev, bool final,
                                    LineFindings& findings) const {
  const char before = at == 0 ? prev : text[at - 1];
  if (is_name_byte(before)) return;  // query_result, x-result
  const size_t start = value_token_start(text, at + 6);
  if (start == kNpos) return;
  size_t end = start;
  while (end < text.size() && is_token_byte(text[end])) ++end;
  if (!final && end + kLookahead > text.size()) return;  // may go on in the next window
  if (end > start)
    findings.add_result(end - start == 5 && word_at(text, start, "error"));
  else if (is_non_token_value(text, start))
    findings.add_result(false);
}

void FieldExtractor::extract_user(std::string_view text, bool final, size_t fresh_from,
                                  LineFindings& findings) const {
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
      if (end + kLookahead <= fresh_from) {  // counted with the previous window
        pos = end > start ? end : start + 1;
        continue;
      }
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

size_t value_run_length(std::string_view text) {
  const size_t limit = std::min(text.size(), ValueMemo::kMaxRun + 1);
  size_t n = 0;
  while (n < limit && is_separator_byte(text[n])) ++n;
  while (n < limit && is_token_byte(text[n])) ++n;
  return n;
}

std::string_view error_code_digits(std::string_view token, std::string_view after) {
  if (token.empty()) return {};
  for (const char c : token)
    if (!is_digit(c)) return {};
  if (!after.empty()) {
    const auto next = static_cast<unsigned char>(after[0]);
    // 103.5 is not an integer; "1\xff03" or "10\x0003" is a damaged value, not code 1 or 10.
    if (next == '.' && after.size() >= 2 && is_digit(after[1])) return {};
    if (next >= 0x80 || next == 0x7f || (next < 0x20 && next != '\t')) return {};
  }
  const size_t first = token.find_first_not_of('0');
  if (first == std::string_view::npos) return {};  // 0, 00: Coinone's success
  return token.substr(first);
}

}  // namespace coinone
