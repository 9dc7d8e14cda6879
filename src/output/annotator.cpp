#include "coinone_annotate/output/annotator.h"

#include <fmt/format.h>

#include <array>

#include "coinone_annotate/base/json_text.h"

namespace coinone {

namespace {

// SGR colours given to categories in table order; unknown codes are bold red.
constexpr std::array<std::string_view, 8> kPalette{"35", "33", "36", "34", "32", "95", "96", "93"};
constexpr std::string_view kUnknownColor = "1;31";

std::string render_fields(std::string_view tmpl, std::string_view code, std::string_view category,
                          std::string_view meaning, std::string_view meaning_en,
                          std::string_view meaning_ko, std::string_view advice,
                          std::string_view retry) {
  return fmt::format(fmt::runtime(tmpl), fmt::arg("code", code), fmt::arg("category", category),
                     fmt::arg("meaning", meaning), fmt::arg("meaning_en", meaning_en),
                     fmt::arg("meaning_ko", meaning_ko), fmt::arg("advice", advice),
                     fmt::arg("retry", retry));
}

// Annotations are separated from the line and from each other by one space. (Built with +=
// because g++ 12 warns falsely on `" " + std::string` under -Wrestrict, GCC bug 105329.)
std::string with_space(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 1);
  out += ' ';
  out += text;
  return out;
}

}  // namespace

Annotator::Result Annotator::create(std::shared_ptr<const CodeTable> table,
                                    const AnnotatorOptions& options) {
  if (!options.text_template.empty()) {
    try {  // render once with sample values, so a bad template fails at start-up
      render_fields(options.text_template, "103", "c", "m", "m", "m", "a", "no");
    } catch (const fmt::format_error& e) {
      return {nullptr, fmt::format("bad template '{}': {}", options.text_template, e.what())};
    }
  }
  return {std::unique_ptr<Annotator>(new Annotator(std::move(table), options)), {}};
}

Annotator::Annotator(std::shared_ptr<const CodeTable> table, AnnotatorOptions options)
    : table_(std::move(table)), options_(std::move(options)) {
  const auto categories = table_->categories();
  for (const auto& entry : table_->entries()) {
    size_t index = 0;
    while (categories[index] != entry.category) ++index;
    category_colors_.emplace_back(kPalette[index % kPalette.size()]);
  }
  for (const auto& entry : table_->entries()) {
    text_.push_back(render_known(entry));
    json_.push_back(render_json(&entry, std::to_string(entry.code)));
  }
}

std::string Annotator::meaning(const CodeEntry& entry) const {
  if (entry.korean.empty()) return entry.english;
  switch (options_.lang) {
    case Lang::kEnglish:
      return entry.english;
    case Lang::kKorean:
      return entry.korean;
    case Lang::kBoth:
      return entry.english + " / " + entry.korean;
  }
  return entry.english;
}

std::string_view Annotator::category(std::string_view english) const {
  return options_.lang == Lang::kKorean ? korean_category(english) : english;
}

std::string_view Annotator::advice(const CodeEntry& entry) const {
  return options_.lang == Lang::kKorean ? korean_advice_name(entry.advice)
                                        : advice_name(entry.advice);
}

std::string Annotator::colorize(std::string text, std::string_view sgr) const {
  if (!options_.color) return text;
  return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
}

std::string Annotator::render_known(const CodeEntry& entry) const {
  const std::string code = std::to_string(entry.code);
  const std::string_view advice_words = advice(entry);
  const std::string_view category_name = category(entry.category);
  const std::string text =
      options_.text_template.empty()
          ? fmt::format("[coinone {} {}: {} -> {}]", code, category_name, meaning(entry),
                        advice_words)
          : render_fields(options_.text_template, code, category_name, meaning(entry),
                          entry.english, entry.korean.empty() ? entry.english : entry.korean,
                          advice_words, entry.retryable ? "yes" : "no");
  const size_t index = static_cast<size_t>(&entry - table_->entries().data());
  return with_space(colorize(text, category_colors_[index]));
}

std::string Annotator::render_unknown(std::string_view digits) const {
  const std::string_view meaning_text =
      options_.lang == Lang::kKorean ? kUnknownMeaningKo : kUnknownMeaning;
  const std::string_view category_name = category(kUnknownCategory);
  const std::string text =
      options_.text_template.empty()
          ? fmt::format("[coinone {} {}: {}]", digits, category_name, meaning_text)
          : render_fields(options_.text_template, digits, category_name, meaning_text,
                          kUnknownMeaning, kUnknownMeaningKo, "", "");
  return with_space(colorize(text, kUnknownColor));
}

std::string Annotator::render_json(const CodeEntry* entry, std::string_view digits) const {
  std::string out = "{\"code\":\"";
  append_json_escaped(digits, out);
  out += "\",\"category\":\"";
  append_json_escaped(category(entry ? std::string_view(entry->category) : kUnknownCategory), out);
  const std::string_view english = entry ? std::string_view(entry->english) : kUnknownMeaning;
  const std::string_view korean = entry ? std::string_view(entry->korean) : kUnknownMeaningKo;
  if (options_.lang == Lang::kBoth) {  // two members rather than one joined string
    out += "\",\"meaning_en\":\"";
    append_json_escaped(english, out);
    if (!korean.empty()) {
      out += "\",\"meaning_ko\":\"";
      append_json_escaped(korean, out);
    }
  } else {
    out += "\",\"meaning\":\"";
    append_json_escaped(options_.lang == Lang::kKorean && !korean.empty() ? korean : english, out);
  }
  out += '"';
  if (entry != nullptr) {  // advice stays the English class name: a value for machines
    out += ",\"advice\":\"";
    out += advice_name(entry->advice);
    out += entry->retryable ? "\",\"retry\":true" : "\",\"retry\":false";
  }
  out += '}';
  return out;
}

void Annotator::append_text(const Verdict& verdict, std::string& out) const {
  for (const ShownCode& shown : verdict.shown) {
    if (shown.entry != nullptr)
      out += text_[static_cast<size_t>(shown.entry - table_->entries().data())];
    else
      out += render_unknown(shown.digits);
  }
  if (verdict.more != 0)
    out += with_space(colorize(fmt::format("[coinone +{} more]", verdict.more), "2"));
}

void Annotator::append_json_member(const Verdict& verdict, std::string& out) const {
  out += "\"coinone\":[";
  for (size_t i = 0; i < verdict.shown.size(); ++i) {
    if (i != 0) out += ',';
    const ShownCode& shown = verdict.shown[i];
    if (shown.entry != nullptr)
      out += json_[static_cast<size_t>(shown.entry - table_->entries().data())];
    else
      out += render_json(nullptr, shown.digits);
  }
  if (verdict.more != 0) out += fmt::format(",{{\"more\":{}}}", verdict.more);
  out += ']';
}

}  // namespace coinone
