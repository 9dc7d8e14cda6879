#include "coinone_annotate/output/annotator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_map>

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

// The first width or precision in the fields of tmpl above kMaxTemplateWidth, or "". Only the
// format specs (after a field's ':') are read; "{{" is an escaped brace. Every digit run of a
// spec is a width, a precision or a fill character, so none may exceed the limit. fmt itself
// parses the template for everything else, once the widths are known to be small.
std::string_view oversized_width(std::string_view tmpl) {
  for (size_t at = 0; at < tmpl.size(); ++at) {
    if (tmpl[at] != '{') continue;
    if (at + 1 < tmpl.size() && tmpl[at + 1] == '{') {
      ++at;
      continue;
    }
    const size_t end = std::min(tmpl.find('}', at), tmpl.size());
    for (size_t i = std::min(tmpl.find(':', at), end); i < end;) {
      const size_t digits = std::min(tmpl.find_first_not_of("0123456789", i), end) - i;
      const std::string_view run = tmpl.substr(i, digits);
      const size_t first = std::min(run.find_first_not_of('0'), run.size());  // 0 flag, padding
      if (run.size() - first > 4 ||
          (digits > 0 && std::stoi(std::string(run)) > Annotator::kMaxTemplateWidth))
        return run;
      i += std::max<size_t>(digits, 1);
    }
    at = end;
  }
  return {};
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
    if (const std::string_view width = oversized_width(options.text_template); !width.empty())
      return {nullptr,
              fmt::format("bad template '{}': width or precision {} is over the limit of {}",
                          options.text_template, width, kMaxTemplateWidth)};
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
  // Categories are numbered in order of first appearance, through a map: a scan of the list per
  // entry was quadratic in the number of categories.
  std::unordered_map<std::string_view, size_t> category_number;
  for (const auto& entry : table_->entries()) {
    const auto found = category_number.try_emplace(entry.category, category_number.size()).first;
    category_colors_.emplace_back(kPalette[found->second % kPalette.size()]);
  }
  for (const auto& entry : table_->entries()) text_.push_back(render_known(entry));
  if (options_.text_template.empty()) {
    // render_unknown() of digits that cannot occur elsewhere in its text, cut around them.
    const std::string marked = render_unknown("\x01");
    const size_t at = marked.find('\x01');
    unknown_before_ = marked.substr(0, at);
    unknown_after_ = marked.substr(at + 1);
    unknown_split_ = true;
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
                          kUnknownMeaning, kUnknownMeaningKo, "", "unknown");
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

std::string Annotator::render_more(size_t more) const {
  return with_space(colorize(fmt::format("[coinone +{} more]", more), "2"));
}

void Annotator::append_text(const Verdict& verdict, std::string& out) const {
  write_text(verdict, [&out](std::string_view piece) { out += piece; });
}

const std::string& Annotator::known_json(const CodeEntry& entry) const {
  std::call_once(json_once_, [this] {
    for (const auto& known : table_->entries())
      json_.push_back(render_json(&known, std::to_string(known.code)));
  });
  return json_[static_cast<size_t>(&entry - table_->entries().data())];
}

void Annotator::append_json_member(const Verdict& verdict, std::string& out) const {
  out += "\"coinone\":[";
  for (size_t i = 0; i < verdict.shown.size(); ++i) {
    if (i != 0) out += ',';
    const ShownCode& shown = verdict.shown[i];
    if (shown.entry != nullptr)
      out += known_json(*shown.entry);
    else
      out += render_json(nullptr, shown.digits);
  }
  if (verdict.more != 0) out += fmt::format(",{{\"more\":{}}}", verdict.more);
  out += ']';
}

}  // namespace coinone
