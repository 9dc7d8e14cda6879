// Fuzz target: the whole in-memory pipeline, StringSource -> Searcher -> Matcher -> Printer ->
// FdWriter -> memfd, with the built-in table and the default annotation template.
//
// Input: the first byte chooses the options, the rest is the log.
//   bits 0-2  line-buffer capacity: 1, 7, 64, 4096 or 1 MiB (value % 5)
//   bit 3     --format json
//   bit 4     also run with --only-errors
//   bits 5-6  bytes per read: all that fit, 1, 3 or 4096
//   bit 7     prefilter off (every line is a candidate, like --no-prefilter)
// The FdWriter's buffer holds 1, 64, 4096 or 65536 bytes by the input's size modulo 4: small
// buffers run its flush-when-full and write-in-place paths, and its default 256 KiB, more than
// any input needs, cost page faults on every run (with the 1 MiB line buffer of every input
// with 1 MiB capacity, memset and page faults took 60% of the time).
//
// Properties, on every input:
//   1. Structure. The output is the input with annotations inserted at line ends and nowhere
//      else: each input line comes out as its content, then nothing or a run of brackets
//      " [coinone CODE CATEGORY: MEANING -> ADVICE]", " [coinone CODE unknown: not in the code
//      table]", " [coinone +N more]" (exactly as README "Output format" gives them, rendered here
//      from the table, not by the annotator), then its own terminator. In JSON mode a line that
//      is one valid JSON object instead gets ,"coinone":[...] (no comma for an empty object)
//      just before its closing brace. Removing the annotations gives back the input byte for byte.
//   2. Oracle. When no line is longer than FieldExtractor::kCarry (so the streamed path of a
//      line longer than the buffer also sees the whole line), the output is exactly what the
//      naive reference extractor of the unit tests (tests/unit/reference_extractor.cpp, one
//      unanchored RE2 pattern, no prefilter) gives line by line. This catches prefilter false
//      negatives, fields lost at piece boundaries, and any difference between capacities.
//   3. With bit 4, --only-errors writes exactly the annotated lines of the full output.
//   4. No crash, leak or undefined behaviour (ASan + UBSan); time is bounded by -timeout.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coinone_annotate/input/line_buffer.h"
#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/line_findings.h"
#include "coinone_annotate/match/matcher.h"
#include "coinone_annotate/output/annotator.h"
#include "coinone_annotate/output/fd_writer.h"
#include "coinone_annotate/output/json_object.h"
#include "coinone_annotate/output/json_validator.h"
#include "coinone_annotate/output/printer.h"
#include "coinone_annotate/search/searcher.h"
#include "fuzz_check.h"
#include "reference_extractor.h"
#include "test_util.h"

namespace {

using namespace coinone;
using coinone::fuzz::Line;

struct RunOptions {
  size_t capacity;
  size_t writer_capacity;
  size_t read_size;
  OutputFormat format;
  bool only_errors;
  bool prefilter;
};

RunOptions decode_options(uint8_t byte, size_t size) {
  static constexpr size_t kCapacities[] = {1, 7, 64, 4096, LineBuffer::kDefaultCapacity};
  static constexpr size_t kWriterCapacities[] = {1, 64, 4096, 65536};
  static constexpr size_t kReadSizes[] = {SIZE_MAX, 1, 3, 4096};
  return RunOptions{kCapacities[(byte & 7u) % 5u],
                    kWriterCapacities[size % 4],
                    kReadSizes[(byte >> 5) & 3u],
                    (byte & 8u) != 0 ? OutputFormat::kJson : OutputFormat::kText,
                    (byte & 16u) != 0,
                    (byte & 128u) == 0};
}

// Built once: the table, the extractor and the annotator are immutable and reused.
struct Fixture {
  std::shared_ptr<const CodeTable> table = std::make_shared<CodeTable>(builtin_code_table());
  std::unique_ptr<FieldExtractor> extractor = FieldExtractor::create({}).extractor;
  std::unique_ptr<Annotator> annotator = Annotator::create(table, AnnotatorOptions{}).annotator;
};

const Fixture& fixture() {
  static const Fixture kFixture;
  return kFixture;
}

std::string run_pipeline(const std::string& input, const RunOptions& options, bool only_errors) {
  const Fixture& f = fixture();
  coinone::testing::MemoryFd out;
  FUZZ_CHECK(out.fd() >= 0, "memfd_create failed");
  FdWriter writer(out.fd(), options.writer_capacity);
  Printer printer(writer, *f.annotator, PrinterOptions{options.format, only_errors});
  Matcher matcher(f.table, *f.extractor, !options.prefilter);
  SearchOptions search_options;
  search_options.buffer_capacity = options.capacity;
  search_options.count_lines = true;
  Searcher searcher(matcher, printer, search_options);
  coinone::testing::StringSource source(input, options.read_size);
  const SearchResult result = searcher.search(source);
  printer.flush();
  FUZZ_CHECK(!result.read_failed, result.error);
  FUZZ_CHECK(!result.output_failed, "");
  FUZZ_CHECK(!printer.failed(), "");
  FUZZ_CHECK(result.bytes == input.size(), "");
  FUZZ_CHECK(result.lines == coinone::fuzz::split_lines(input).size(), "");
  return out.contents();
}

// JSON string escaping as README documents it (written here again, not taken from the
// annotator, so that the check does not share its code).
std::string json_escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15u];
    } else {
      out += c;
    }
  }
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Walks the output along the input, line by line, and checks property 1.
class StructureChecker {
 public:
  struct OutLine {
    std::string_view bytes;  // the line as written, terminator included
    bool annotated;
  };

  StructureChecker(const CodeTable& table, bool json, size_t capacity)
      : table_(table), json_(json), capacity_(capacity) {}

  std::vector<OutLine> check(std::string_view input, std::string_view output) {
    out_ = output;
    at_ = 0;
    std::vector<OutLine> lines;
    for (const Line& line : coinone::fuzz::split_lines(input)) {
      line_ = line.content;
      const size_t start = at_;
      const bool annotated = check_line(line);
      lines.push_back({output.substr(start, at_ - start), annotated});
    }
    FUZZ_CHECK(at_ == out_.size(),
               "output goes on after the last input line: " + std::string(out_.substr(at_, 200)));
    return lines;
  }

 private:
  [[noreturn]] void mismatch(const char* what) {
    std::string detail = std::string(what) + " at output byte " + std::to_string(at_) +
                         "; input line '" + std::string(line_.substr(0, 300)) +
                         "'; output from there '" + std::string(out_.substr(at_, 300)) + "'";
    coinone::fuzz::fail(__FILE__, __LINE__, "output is not the input plus annotations", detail);
  }

  bool starts_with(std::string_view s) const { return out_.substr(at_, s.size()) == s; }

  void expect(std::string_view s, const char* what) {
    if (!starts_with(s)) mismatch(what);
    at_ += s.size();
  }

  std::string_view read_digits() {
    const size_t from = at_;
    while (at_ < out_.size() && is_digit(out_[at_])) ++at_;
    return out_.substr(from, at_ - from);
  }

  // A code as the annotation shows it: digits without leading zeros, not zero, and present in
  // the line it annotates (it was read from it). Each code is shown once per line.
  void check_code(std::string_view digits, std::vector<std::string_view>& seen) {
    if (digits.empty() || digits[0] == '0') mismatch("code is not digits without leading zeros");
    if (line_.find(digits) == std::string_view::npos) mismatch("code does not occur in its line");
    for (const auto s : seen)
      if (s == digits) mismatch("code shown twice on one line");
    seen.push_back(digits);
  }

  void check_more() {
    const auto n = read_digits();
    if (n.empty() || n[0] == '0') mismatch("bad +N more count");
  }

  // Zero or more " [coinone ...]" brackets; true when there was at least one.
  bool text_suffix() {
    std::vector<std::string_view> seen;
    bool more = false;
    size_t brackets = 0;
    while (starts_with(" [coinone ")) {
      if (more) mismatch("a bracket after +N more");
      at_ += 10;
      ++brackets;
      if (starts_with("+")) {
        ++at_;
        check_more();
        expect(" more]", "+N more bracket");
        more = true;
        continue;
      }
      const auto digits = read_digits();
      check_code(digits, seen);
      if (seen.size() > Verdict::kMaxShown) mismatch("more than 8 codes shown");
      if (const CodeEntry* entry = table_.find(digits)) {
        expect(" " + entry->category + ": " + entry->english + " -> " +
                   std::string(advice_name(entry->advice)) + "]",
               "known-code bracket");
      } else {
        expect(" unknown: not in the code table]", "unknown-code bracket");
      }
    }
    return brackets != 0;
  }

  // "coinone":[...] with the documented elements.
  void json_member() {
    expect("\"coinone\":[", "JSON member name");
    std::vector<std::string_view> seen;
    for (bool first = true;; first = false) {
      if (!first && !starts_with(",")) break;
      if (!first) ++at_;
      if (starts_with("{\"more\":")) {
        at_ += 8;
        check_more();
        expect("}", "JSON more element");
        break;
      }
      expect("{\"code\":\"", "JSON code element");
      const auto digits = read_digits();
      check_code(digits, seen);
      if (seen.size() > Verdict::kMaxShown) mismatch("more than 8 codes in JSON");
      if (const CodeEntry* entry = table_.find(digits)) {
        expect("\",\"category\":\"" + json_escaped(entry->category) + "\",\"meaning\":\"" +
                   json_escaped(entry->english) + "\",\"advice\":\"" +
                   std::string(advice_name(entry->advice)) +
                   "\",\"retry\":" + (entry->retryable ? "true" : "false") + "}",
               "JSON known element");
      } else {
        expect("\",\"category\":\"unknown\",\"meaning\":\"not in the code table\"}",
               "JSON unknown element");
      }
    }
    expect("]", "end of JSON member");
  }

  bool check_line(const Line& line) {
    const std::string_view content = line.content;
    if (json_) {
      JsonObjectScanner scanner;
      scanner.feed(content);
      JsonValidator valid;
      valid.feed(content);
      if (scanner.is_one_object() && valid.finish()) {
        const auto close = static_cast<size_t>(scanner.close_offset());
        expect(content.substr(0, close), "JSON line content before its closing brace");
        bool annotated = false;
        if (!starts_with("}")) {
          if (!scanner.is_empty_object()) expect(",", "comma before the JSON member");
          json_member();
          annotated = true;
        }
        expect(content.substr(close), "JSON line from its closing brace on");
        // A line longer than the buffer whose brace is followed by more than kMaxHeld bytes of
        // spaces is given text instead (Printer::kMaxHeld).
        if (!annotated && content.size() - close > Printer::kMaxHeld) annotated = text_suffix();
        expect(line.terminator, "line terminator");
        return annotated;
      }
    }
    expect(content, "line content");
    const bool annotated = text_suffix();
    expect(line.terminator, "line terminator");
    return annotated;
  }

  const CodeTable& table_;
  bool json_;
  size_t capacity_;
  std::string_view out_;
  std::string_view line_;
  size_t at_ = 0;
};

// A line rendered the way README says, for a given verdict.
std::string render(const Line& line, const Verdict& verdict, OutputFormat format) {
  const Fixture& f = fixture();
  std::string out;
  JsonObjectScanner scanner;
  JsonValidator valid;
  if (format == OutputFormat::kJson && !verdict.empty()) {
    scanner.feed(line.content);
    valid.feed(line.content);
  }
  if (verdict.empty()) {
    out += line.content;
  } else if (scanner.is_one_object() && valid.finish()) {
    const auto close = static_cast<size_t>(scanner.close_offset());
    out += line.content.substr(0, close);
    if (!scanner.is_empty_object()) out += ',';
    f.annotator->append_json_member(verdict, out);
    out += line.content.substr(close);
  } else {
    out += line.content;
    f.annotator->append_text(verdict, out);
  }
  out += line.terminator;
  return out;
}

// Property 2: each output line against the reference extractor's verdict on the input line.
void check_against_oracle(const std::string& input, const RunOptions& options,
                          const std::vector<StructureChecker::OutLine>& output) {
  const Fixture& f = fixture();
  static Matcher matcher(f.table, *f.extractor, true);  // only the decide functions are used
  LineFindings findings;
  const auto lines = coinone::fuzz::split_lines(input);
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    findings.clear();
    coinone::testing::reference_extract(line.content, findings);
    const std::string expected =
        render(line, matcher.decide_line(findings, line.content), options.format);
    if (output[i].bytes == expected) continue;
    coinone::fuzz::fail(__FILE__, __LINE__, "output line differs from the reference extractor's",
                        "line " + std::to_string(i + 1) + ": " +
                            coinone::fuzz::first_difference(expected, output[i].bytes));
  }
}

bool oracle_applies(const std::string& input, const RunOptions& options) {
  if (options.capacity == LineBuffer::kDefaultCapacity && input.size() < options.capacity)
    return true;  // every line is matched whole
  for (const Line& line : coinone::fuzz::split_lines(input))
    if (line.content.size() > FieldExtractor::kCarry) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const RunOptions options = decode_options(data[0], size);
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);

  const std::string output = run_pipeline(input, options, false);
  StructureChecker checker(*fixture().table, options.format == OutputFormat::kJson,
                           options.capacity);
  const auto lines = checker.check(input, output);

  if (oracle_applies(input, options)) check_against_oracle(input, options, lines);

  if (options.only_errors) {
    std::string expected;
    for (const auto& line : lines)
      if (line.annotated) expected += line.bytes;
    const std::string filtered = run_pipeline(input, options, true);
    FUZZ_CHECK(filtered == expected, "--only-errors is not the annotated lines: " +
                                         coinone::fuzz::first_difference(expected, filtered));
  }
  return 0;
}
