#include "coinone_annotate/match/code_table.h"

#include <array>
#include <charconv>
#include <cstdlib>
#include <unordered_set>

#include "coinone_annotate/base/json_text.h"
#include "coinone_annotate/match/builtin_table.h"

namespace coinone {

namespace {

constexpr std::array<std::pair<Advice, std::string_view>, 6> kAdviceNames{{
    {Advice::kRetryLater, "retry-later"},
    {Advice::kFixRequest, "fix-request"},
    {Advice::kCheckFunds, "check-funds"},
    {Advice::kFixKeys, "fix-keys"},
    {Advice::kFixNonce, "fix-nonce"},
    {Advice::kContactCoinone, "contact-coinone"},
}};

constexpr std::array<std::pair<Advice, std::string_view>, 6> kKoreanAdviceNames{{
    {Advice::kRetryLater, "잠시-후-재시도"},
    {Advice::kFixRequest, "요청-수정"},
    {Advice::kCheckFunds, "잔고-확인"},
    {Advice::kFixKeys, "키-권한-확인"},
    {Advice::kFixNonce, "nonce-수정"},
    {Advice::kContactCoinone, "코인원-문의"},
}};

// The section headings of Coinone's page, in Korean (the Korean page has no headings of its
// own; these are ours), and the category of codes not in the table.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kKoreanCategories{{
    {"Access & Auth", "접근 / 인증"},
    {"Parameter / Format", "파라미터 / 형식"},
    {"Order / Balance", "주문 / 잔고"},
    {"V2 Nonce / Signature", "V2 Nonce / 서명"},
    {"Withdrawal / Address", "출금 / 주소"},
    {"Order Rules", "주문 규칙"},
    {"V2/V2.1 Order Query", "V2/V2.1 주문 조회"},
    {"Withdrawal 3000 Series", "출금 3000번대"},
    {"unknown", "알 수 없음"},
}};

// Largest code the table accepts: nine digits always fit in uint32_t.
constexpr size_t kMaxCodeDigits = 9;

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

std::optional<uint32_t> parse_code(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxCodeDigits) return std::nullopt;
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// Parses one non-comment line into entry; returns the reason on failure, empty on success.
std::string parse_entry(std::string_view line, CodeEntry& entry) {
  const auto fields = split_tabs(line);
  if (fields.size() < 5 || fields.size() > 6)
    return "expected 5 or 6 TAB-separated fields (code, category, advice, retry, english, "
           "[korean]), found " +
           std::to_string(fields.size());
  const auto code = parse_code(fields[0]);
  if (!code) return "code '" + std::string(fields[0]) + "' is not a number of 1 to 9 digits";
  if (*code == 0) return "code 0 means success and cannot be an error";
  if (fields[1].empty()) return "empty category";
  const auto advice = parse_advice(fields[2]);
  if (!advice) return "unknown advice '" + std::string(fields[2]) + "'";
  if (fields[3] != "yes" && fields[3] != "no")
    return "retry must be yes or no, found '" + std::string(fields[3]) + "'";
  if (fields[4].empty()) return "empty English meaning";
  entry = CodeEntry{*code,
                    std::string(fields[1]),
                    *advice,
                    fields[3] == "yes",
                    std::string(fields[4]),
                    fields.size() == 6 ? std::string(fields[5]) : ""};
  return {};
}

}  // namespace

std::string_view advice_name(Advice advice) {
  for (const auto& [value, name] : kAdviceNames)
    if (value == advice) return name;
  return "fix-request";
}

std::string_view korean_advice_name(Advice advice) {
  for (const auto& [value, name] : kKoreanAdviceNames)
    if (value == advice) return name;
  return advice_name(advice);
}

std::string_view korean_category(std::string_view category) {
  for (const auto& [english, korean] : kKoreanCategories)
    if (english == category) return korean;
  return category;
}

std::optional<Advice> parse_advice(std::string_view name) {
  for (const auto& [value, known] : kAdviceNames)
    if (known == name) return value;
  return std::nullopt;
}

const CodeEntry* CodeTable::find(uint32_t code) const {
  if (code < kDirect) return direct_[code] == kAbsent ? nullptr : &entries_[direct_[code]];
  const auto it = index_.find(code);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

const CodeEntry* CodeTable::find(std::string_view digits) const {
  const auto code = parse_code(digits);
  return code ? find(*code) : nullptr;
}

void CodeTable::add(CodeEntry entry) {
  const auto it = index_.find(entry.code);
  if (it != index_.end()) {
    entries_[it->second] = std::move(entry);
    return;
  }
  index_.emplace(entry.code, entries_.size());
  if (entry.code < kDirect) direct_[entry.code] = static_cast<uint32_t>(entries_.size());
  entries_.push_back(std::move(entry));
}

void CodeTable::merge(const CodeTable& other) {
  for (const auto& entry : other.entries_) add(entry);
}

// A set of the names seen so far: scanning the list for each entry made loading quadratic in
// the number of categories (80 000 rows, one category each: 13.6 s).
std::vector<std::string> CodeTable::categories() const {
  std::vector<std::string> result;
  std::unordered_set<std::string_view> seen;
  for (const auto& entry : entries_) {
    if (seen.insert(entry.category).second) result.push_back(entry.category);
  }
  return result;
}

TableParse parse_code_table(std::string_view text, size_t max_codes) {
  CodeTable table;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (table.entries().size() == max_codes)
      return {std::nullopt, line_number,
              "more than " + std::to_string(max_codes) + " codes, the most a table may hold"};
    // Meanings go into JSON (--format json, --summary=json) as they are.
    if (!is_valid_utf8(line)) return {std::nullopt, line_number, "not valid UTF-8"};
    CodeEntry entry;
    if (std::string reason = parse_entry(line, entry); !reason.empty())
      return {std::nullopt, line_number, std::move(reason)};
    if (table.find(entry.code))
      return {std::nullopt, line_number, "duplicate code " + std::to_string(entry.code)};
    table.add(std::move(entry));
  }
  return {std::move(table), 0, {}};
}

const CodeTable& builtin_code_table() {
  static const CodeTable kTable = [] {
    TableParse parsed = parse_code_table(builtin_table_text());
    // The compiled-in text is checked by the test suite; a bad one is a build defect.
    if (!parsed.table) std::abort();
    return std::move(*parsed.table);
  }();
  return kTable;
}

}  // namespace coinone
