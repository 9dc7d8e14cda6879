// CodeTable: what each Coinone API error code means.
//
// The table is text in one format, used both for the built-in table (data/coinone-error-codes.tsv,
// compiled in) and for --codes files: one code a line, TAB-separated fields
//
//     code  category  advice  retry  english  [korean]
//
// '#' starts a comment line; blank lines are ignored. `advice` is one of the Advice names below,
// `retry` is yes or no (whether repeating the request can succeed). The category is the section
// heading of Coinone's page.
//
// parse_code_table() never throws: a bad line gives an error "LINE: reason" naming the first
// problem, and no table. Lookups take the code as the digit string found in the log, so a code of
// any length is looked up without overflow.
//
// Copyable value type; the strings are owned by the table. Lookups are read-only and thread-safe.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace coinone {

// What to do about an error: a short class, shown in annotations as its name.
enum class Advice : uint8_t {
  kRetryLater,      // transient on Coinone's side: wait and retry
  kFixRequest,      // the request itself is wrong
  kCheckFunds,      // balance, minimums or limits
  kFixKeys,         // authentication, keys, permissions, allowed IPs
  kFixNonce,        // nonce generation
  kContactCoinone,  // only Coinone can lift it
};

std::string_view advice_name(Advice advice);

// The language of what outputs show of a code (--lang): annotations and the --summary report.
enum class Lang { kEnglish, kKorean, kBoth };

// What every output says of a code that the table does not hold: its category and meaning.
inline constexpr std::string_view kUnknownCategory = "unknown";
inline constexpr std::string_view kUnknownMeaning = "not in the code table";
inline constexpr std::string_view kUnknownMeaningKo = "코드표에 없음";  // the same, for --lang ko
std::optional<Advice> parse_advice(std::string_view name);
// The advice class in Korean words, for --lang ko ("잔고-확인" for check-funds).
std::string_view korean_advice_name(Advice advice);
// The Korean name of one of the built-in table's categories, for --lang ko; a category without
// one (added by a --codes file) is returned as it is.
std::string_view korean_category(std::string_view category);

struct CodeEntry {
  uint32_t code = 0;
  std::string category;
  Advice advice = Advice::kFixRequest;
  bool retryable = false;
  std::string english;
  std::string korean;  // empty when the source gives no Korean text
};

class CodeTable {
 public:
  // The most codes one table text may hold; parse_code_table() rejects more. Coinone documents
  // under a hundred: the limit keeps a runaway --codes file from taking the machine's memory. At
  // the limit the program holds about 290 MB (370 MB with --metrics), twice that during a reload.
  static constexpr size_t kMaxCodes = 500'000;

  // Looks up a code given as digits without leading zeros. Null when unknown.
  const CodeEntry* find(std::string_view digits) const;
  const CodeEntry* find(uint32_t code) const;
  // Adds entries, replacing those with the same code (for --codes overrides).
  void merge(const CodeTable& other);
  // Entries in the order they were added.
  const std::vector<CodeEntry>& entries() const { return entries_; }
  // Categories in order of first appearance.
  std::vector<std::string> categories() const;

  void add(CodeEntry entry);

 private:
  // Codes below kDirect are found by indexing (every Coinone code so far is below 3100); the map
  // holds the rest. Saves the hash lookup on every annotated line.
  static constexpr uint32_t kDirect = 4096;
  static constexpr uint32_t kAbsent = 0xFFFFFFFF;

  std::vector<CodeEntry> entries_;
  // Indices into entries_: 32 bits, since a table may hold more than 65 535 entries.
  std::vector<uint32_t> direct_ = std::vector<uint32_t>(kDirect, kAbsent);
  std::unordered_map<uint32_t, size_t> index_;
};

struct TableParse {
  std::optional<CodeTable> table;  // empty on failure
  size_t error_line = 0;           // 1-based line of the failure
  std::string error;               // reason of the failure
};

// Parses table text. Codes must be unique within one text, and at most max_codes (a parameter
// for tests). Time and memory are linear in the size of the text.
TableParse parse_code_table(std::string_view text, size_t max_codes = CodeTable::kMaxCodes);

// The built-in table (parsed once; the compiled-in text is checked by tests).
const CodeTable& builtin_code_table();

}  // namespace coinone
