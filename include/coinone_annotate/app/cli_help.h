// The words of the command line around CLI11 (cli.cpp declares the options).
//
// HelpFormatter lays --help out like grep's, and so that help2man can make a man page of it:
// the usage line first, the description, then one section per option group in a fixed order
// (kGroupOrder: Matching, Output, Following, Report, Miscellaneous; a group not listed comes
// after them), each option once as "  -s, --long VALUE   description", descriptions wrapped to
// 79 columns, then the footer (exit statuses). Positionals are not listed: the usage line and
// the description say what FILE is. The value shown after an option is its option_text() when
// set ("[=json]" is glued to the name), else its type_name() without CLI11's validator notes.
//
// argument_error() turns a CLI11 parse error into one line that starts with
// "coinone-annotate: " and ends with a hint: the nearest option name for an unknown option, the
// value an option wants, or "see coinone-annotate --help". CLI11's own wording ("The following
// argument was not expected") never reaches the user.
#pragma once
#include <CLI/CLI.hpp>
#include <array>
#include <string>
#include <string_view>

namespace coinone {

inline constexpr std::array<std::string_view, 5> kGroupOrder{"Matching", "Output", "Following",
                                                             "Report", "Miscellaneous"};

class HelpFormatter : public CLI::Formatter {
 public:
  static constexpr size_t kNameColumn = 28;  // descriptions start here
  static constexpr size_t kLineWidth = 79;

  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override;
  std::string make_option_name(const CLI::Option* option, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* option) const override;
  std::string make_option(const CLI::Option* option, bool is_positional) const override;
};

// "coinone-annotate: ...: hint" for a parse error that is not a call for help.
std::string argument_error(const CLI::App& app, const CLI::ParseError& error);

// The long option ("--summary") nearest to `word` ("--sumary", "--sumary=json") by edit
// distance, or "" when none is within a third of its length.
std::string nearest_option(const CLI::App& app, std::string_view word);

}  // namespace coinone
