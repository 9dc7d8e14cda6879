// Fuzz target: parse_code_table() on arbitrary text (what a --codes file may hold).
//
// Properties:
//   - it never crashes, throws or leaks;
//   - a failure names a line (1-based, within the text) and a reason;
//   - a success holds one entry per non-blank, non-comment line, in order, each made of that
//     line's fields: code non-zero with at most nine digits, category and English meaning
//     non-empty, advice one of the six names, retry yes or no; every code is found by find()
//     both as a number and as its digit string;
//   - merging it over the built-in table (what --codes does) keeps every built-in code that it
//     does not override and takes every one it does; an annotator can be built over the result
//     and renders every entry in text and JSON.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/verdict.h"
#include "coinone_annotate/output/annotator.h"
#include "fuzz_check.h"

namespace {

using namespace coinone;

// The data lines of a table text, as README describes the format (written independently of
// code_table.cpp): lines split at '\n', a '\r' before it dropped, blank and '#' lines skipped.
struct DataLine {
  size_t number;
  std::vector<std::string_view> fields;
};

std::vector<DataLine> data_lines(std::string_view text) {
  std::vector<DataLine> lines;
  size_t number = 0;
  for (const auto& line : coinone::fuzz::split_lines(text)) {
    ++number;
    std::string_view content = line.content;
    if (line.terminator.empty() && !content.empty() && content.back() == '\r')
      content.remove_suffix(1);  // the table parser drops a '\r' on the last line as well
    if (content.empty() || content.front() == '#') continue;
    DataLine data{number, {}};
    size_t start = 0;
    for (;;) {
      const size_t tab = content.find('\t', start);
      data.fields.push_back(content.substr(start, tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    lines.push_back(std::move(data));
  }
  return lines;
}

void check_entry(const CodeTable& table, const CodeEntry& entry, const DataLine& line) {
  const std::string where = "line " + std::to_string(line.number);
  FUZZ_CHECK(entry.code != 0, where);
  FUZZ_CHECK(entry.code <= 999'999'999u, where);
  FUZZ_CHECK(!entry.category.empty(), where);
  FUZZ_CHECK(!entry.english.empty(), where);
  FUZZ_CHECK(line.fields.size() == 5 || line.fields.size() == 6, where);
  uint32_t code = 0;
  const auto& digits = line.fields[0];
  const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), code);
  FUZZ_CHECK(parsed.ec == std::errc{} && parsed.ptr == digits.data() + digits.size(), where);
  FUZZ_CHECK(code == entry.code, where);
  FUZZ_CHECK(entry.category == line.fields[1], where);
  FUZZ_CHECK(advice_name(entry.advice) == line.fields[2], where);
  FUZZ_CHECK(parse_advice(line.fields[2]) == entry.advice, where);
  FUZZ_CHECK(line.fields[3] == (entry.retryable ? "yes" : "no"), where);
  FUZZ_CHECK(entry.english == line.fields[4], where);
  FUZZ_CHECK(entry.korean == (line.fields.size() == 6 ? line.fields[5] : std::string_view{}),
             where);
  FUZZ_CHECK(table.find(entry.code) == &entry, where);
  FUZZ_CHECK(table.find(std::to_string(entry.code)) == &entry, where);
}

bool same_entry(const CodeEntry& a, const CodeEntry& b) {
  return a.code == b.code && a.category == b.category && a.advice == b.advice &&
         a.retryable == b.retryable && a.english == b.english && a.korean == b.korean;
}

void check_merge(const CodeTable& parsed) {
  const CodeTable& builtin = builtin_code_table();
  auto merged = std::make_shared<CodeTable>(builtin);
  merged->merge(parsed);
  size_t added = 0;
  for (const auto& entry : parsed.entries()) {
    const CodeEntry* found = merged->find(entry.code);
    FUZZ_CHECK(found != nullptr && same_entry(*found, entry), std::to_string(entry.code));
    if (builtin.find(entry.code) == nullptr) ++added;
  }
  for (const auto& entry : builtin.entries()) {
    if (parsed.find(entry.code) != nullptr) continue;
    const CodeEntry* found = merged->find(entry.code);
    FUZZ_CHECK(found != nullptr && same_entry(*found, entry), std::to_string(entry.code));
  }
  FUZZ_CHECK(merged->entries().size() == builtin.entries().size() + added, "");

  // Render the new entries (at most 8 at a time, plus an unknown code and "+N more").
  for (const Lang lang : {Lang::kEnglish, Lang::kBoth}) {
    AnnotatorOptions options;
    options.lang = lang;
    options.color = lang == Lang::kBoth;
    auto made = Annotator::create(merged, options);
    FUZZ_CHECK(made.annotator != nullptr, made.error);
    std::vector<std::string> digits;
    for (const auto& entry : parsed.entries()) digits.push_back(std::to_string(entry.code));
    for (size_t from = 0; from < digits.size() || from == 0; from += Verdict::kMaxShown) {
      Verdict verdict;
      for (size_t i = from; i < digits.size() && verdict.shown.size() < Verdict::kMaxShown; ++i)
        verdict.shown.push_back({digits[i], merged->find(digits[i])});
      if (verdict.shown.size() < Verdict::kMaxShown)
        verdict.shown.push_back({"1000000000", nullptr});
      verdict.more = digits.size() - from;
      std::string text;
      made.annotator->append_text(verdict, text);
      FUZZ_CHECK(text.rfind(" ", 0) == 0, text);
      std::string json;
      made.annotator->append_json_member(verdict, json);
      FUZZ_CHECK(json.rfind("\"coinone\":[", 0) == 0 && json.back() == ']', json);
      if (digits.empty()) break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const TableParse parsed = parse_code_table(text);
  const auto lines = data_lines(text);
  if (!parsed.table) {
    FUZZ_CHECK(!parsed.error.empty(), "a failure without a reason");
    FUZZ_CHECK(parsed.error_line >= 1, parsed.error);
    FUZZ_CHECK(parsed.error_line <= coinone::fuzz::split_lines(text).size(), parsed.error);
    bool on_a_data_line = false;
    for (const auto& line : lines)
      on_a_data_line = on_a_data_line || line.number == parsed.error_line;
    FUZZ_CHECK(on_a_data_line, "the failure names a blank or comment line: " + parsed.error);
    return 0;
  }
  FUZZ_CHECK(parsed.error.empty() && parsed.error_line == 0, parsed.error);
  const CodeTable& table = *parsed.table;
  FUZZ_CHECK(table.entries().size() == lines.size(),
             std::to_string(table.entries().size()) + " entries for " +
                 std::to_string(lines.size()) + " data lines");
  for (size_t i = 0; i < lines.size(); ++i) check_entry(table, table.entries()[i], lines[i]);
  check_merge(table);
  return 0;
}
