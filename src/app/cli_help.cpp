#include "coinone_annotate/app/cli_help.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace coinone {

namespace {

constexpr std::string_view kPrefix = "coinone-annotate: ";
constexpr std::string_view kSeeHelp = "see coinone-annotate --help";

// Greedy word wrap of text into lines of at most `width` columns (a longer word stays whole);
// every line after the first is indented by `indent` spaces.
std::string wrap(std::string_view text, size_t width, size_t indent) {
  std::string out;
  size_t column = 0;
  while (!text.empty()) {
    const size_t space = std::min(text.find(' '), text.size());
    const std::string_view word = text.substr(0, space);
    text.remove_prefix(std::min(space + 1, text.size()));
    if (column != 0 && column + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      column = 0;
    } else if (column != 0) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
  }
  return out;
}

// Levenshtein distance, two rows (the words are option names).
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  std::iota(previous.begin(), previous.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string unknown_option(const CLI::App& app) {
  const std::vector<std::string> rest = app.remaining();
  const auto option = std::find_if(rest.begin(), rest.end(),
                                   [](const std::string& word) { return word.starts_with('-'); });
  const std::string word = option != rest.end() ? *option : rest.empty() ? "" : rest.front();
  const std::string near = nearest_option(app, word);
  const size_t value = std::min(word.find('='), word.size());  // "--sumary=json": keep "=json"
  return std::string(kPrefix) + "unknown option " + word + ": " +
         (near.empty() ? std::string(kSeeHelp) : "did you mean " + near + word.substr(value) + "?");
}

// CLI11 says "--codes: 1 required FILE missing": name the option and the value it wants.
std::string missing_value(const CLI::App& app, const std::string& what) {
  const std::string name = what.substr(0, what.find(':'));
  const CLI::Option* option = app.get_option_no_throw(name);
  if (option == nullptr) return std::string(kPrefix) + what + ": " + std::string(kSeeHelp);
  return std::string(kPrefix) + name + " needs a value: " + name +
         HelpFormatter().make_option_opts(option);
}

}  // namespace

std::string HelpFormatter::make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const {
  std::string out = "Usage: coinone-annotate [OPTION]... [FILE]...\n";
  out += app->get_description();
  std::vector<std::string> groups(kGroupOrder.begin(), kGroupOrder.end());
  for (const std::string& group : app->get_groups())
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
  for (const std::string& group : groups) {
    const auto options = app->get_options([&group](const CLI::Option* option) {
      return option->get_group() == group && option->nonpositional();
    });
    if (group.empty() || options.empty()) continue;  // "" holds the hidden options
    out += '\n' + group + ":\n";
    for (const CLI::Option* option : options) out += make_option(option, false);
  }
  return out + '\n' + app->get_footer();
}

// "-H, --with-filename" rather than CLI11's "-H,--with-filename".
std::string HelpFormatter::make_option_name(const CLI::Option* option, bool) const {
  std::string names = option->get_name(false, true);
  for (size_t brace = names.find('{'); brace != std::string::npos; brace = names.find('{'))
    names.erase(brace, names.find('}', brace) - brace + 1);  // a flag's value, "--summary{text}"
  for (size_t comma = names.find(','); comma != std::string::npos; comma = names.find(',', comma))
    names.insert(++comma, " ");
  return names;
}

std::string HelpFormatter::make_option_opts(const CLI::Option* option) const {
  const std::string text = option->get_option_text();
  if (!text.empty()) return text.starts_with("[=") ? text : " " + text;
  if (option->get_type_size() == 0) return {};       // a flag
  const std::string type = option->get_type_name();  // "N:POSITIVE": the validator's note goes
  return type.empty() ? std::string() : " " + type.substr(0, type.find(':'));
}

std::string HelpFormatter::make_option(const CLI::Option* option, bool is_positional) const {
  std::string out = "  " + make_option_name(option, is_positional) + make_option_opts(option);
  if (out.size() + 1 < kNameColumn)
    out.append(kNameColumn - out.size(), ' ');
  else
    out += '\n' + std::string(kNameColumn, ' ');
  return out + wrap(option->get_description(), kLineWidth - kNameColumn, kNameColumn) + '\n';
}

std::string argument_error(const CLI::App& app, const CLI::ParseError& error) {
  const std::string what = error.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) return unknown_option(app);
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr)
    return missing_value(app, what);
  // CLI11 2.1 leaves the option's name out of some validation errors (": Value 0 not in range").
  const std::string_view reason = what.starts_with(": ") ? std::string_view(what).substr(2) : what;
  return std::string(kPrefix) + std::string(reason) + ": " + std::string(kSeeHelp);
}

std::string nearest_option(const CLI::App& app, std::string_view word) {
  word = word.substr(0, word.find('='));
  word.remove_prefix(std::min(word.find_first_not_of('-'), word.size()));
  std::string best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden options are for tests
    for (const std::string& name : option->get_lnames()) {
      const size_t distance = edit_distance(word, name);
      if (distance < best_distance) {
        best_distance = distance;
        best = "--" + name;
      }
    }
  }
  return best;
}

}  // namespace coinone
