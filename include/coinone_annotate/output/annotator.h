// Annotator: renders a verdict as the text appended to a line, or as a JSON member.
//
// Text form (the default template), one bracket per code, each after one space:
//
//     [coinone 103 Order / Balance: Lack of balance -> check-funds]
//     [coinone 999 unknown: not in the code table]
//     [coinone +3 more]
//
// --template replaces the known-code form with fmt-style named fields: {code} {category}
// {meaning} {meaning_en} {meaning_ko} {advice} {retry}. Unknown codes then get category
// "unknown", meaning "not in the code table", empty advice and retry "unknown" (whether a
// retry can succeed is not known, which "no" would hide). Widths and precisions
// ({code:>10}, {meaning:.40}) are at most kMaxTemplateWidth: a width of 2^31 would otherwise
// take 2 GiB and half a minute at start-up, before any input.
//
// With --lang ko the category, meaning and advice words of the text form are Korean (a code
// without Korean text keeps its English meaning); with --lang both the meaning is
// "English / Korean" and the rest English.
//
// JSON form: "coinone":[{"code":"103","category":"Order / Balance","meaning":"Lack of balance",
// "advice":"check-funds","retry":false}, ...], with {"more":N} last when codes were left out.
// With --lang both, "meaning_en" and "meaning_ko" (when the code has Korean text) replace
// "meaning"; with --lang ko the category and meaning are Korean. "advice" is always the English
// class name, a value for machines.
//
// Every string for a known code is rendered once, at construction, so annotating a line only
// copies bytes. The annotator refers to the table it was made from; rebuild both together.
// Not copyable; const methods are thread-safe.
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/verdict.h"

namespace coinone {

struct AnnotatorOptions {
  Lang lang = Lang::kEnglish;
  std::string text_template;  // empty: the default form
  bool color = false;         // ANSI colours by category
};

class Annotator {
 public:
  // The largest width or precision a --template field may ask for.
  static constexpr int kMaxTemplateWidth = 4096;

  struct Result {
    std::unique_ptr<Annotator> annotator;  // null on failure
    std::string error;                     // why the template is unusable
  };
  static Result create(std::shared_ptr<const CodeTable> table, const AnnotatorOptions& options);

  Annotator(const Annotator&) = delete;
  Annotator& operator=(const Annotator&) = delete;

  // Appends " [coinone ...]" for each shown code.
  void append_text(const Verdict& verdict, std::string& out) const;
  // Calls write(piece) with the pieces of that text in order, the pre-rendered text of a known
  // code as it is: the printer hands them to its writer without copying them into a string
  // first (the copy cost about 50 instructions an annotated line).
  template <typename Write>
  void write_text(const Verdict& verdict, Write&& write) const {
    for (const ShownCode& shown : verdict.shown) {
      if (shown.entry != nullptr) {
        write(std::string_view(text_[static_cast<size_t>(shown.entry - table_->entries().data())]));
      } else if (unknown_split_) {  // the code between two fixed pieces: nothing to allocate
        write(std::string_view(unknown_before_));
        write(shown.digits);
        write(std::string_view(unknown_after_));
      } else {
        write(std::string_view(render_unknown(shown.digits)));
      }
    }
    if (verdict.more != 0) write(std::string_view(render_more(verdict.more)));
  }
  // Appends "\"coinone\":[...]" (without a leading comma).
  void append_json_member(const Verdict& verdict, std::string& out) const;

  // The meaning of an entry in the chosen language (also used by reports).
  std::string meaning(const CodeEntry& entry) const;

 private:
  Annotator(std::shared_ptr<const CodeTable> table, AnnotatorOptions options);
  std::string_view category(std::string_view english) const;  // in the chosen language
  std::string_view advice(const CodeEntry& entry) const;      // the words shown in text
  std::string render_known(const CodeEntry& entry) const;
  std::string render_unknown(std::string_view digits) const;
  std::string render_more(size_t more) const;
  std::string render_json(const CodeEntry* entry, std::string_view digits) const;
  const std::string& known_json(const CodeEntry& entry) const;  // json_[entry], rendered once
  std::string colorize(std::string text, std::string_view sgr) const;

  std::shared_ptr<const CodeTable> table_;
  AnnotatorOptions options_;
  std::vector<std::string> category_colors_;  // SGR code per entry
  std::vector<std::string> text_;             // per table entry, with its leading space
  // The text of an unknown code without a template: unknown_before_, the digits, unknown_after_
  // (rendering it anew took two allocations and a format an unknown code).
  bool unknown_split_ = false;
  std::string unknown_before_, unknown_after_;
  // Per table entry, rendered on the first JSON line only: a text run (nearly every run) does
  // not pay for it at start-up. once_flag: printers on several threads may share an annotator.
  mutable std::once_flag json_once_;
  mutable std::vector<std::string> json_;
};

}  // namespace coinone
