#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "coinone_annotate/app/cli_help.h"
#include "coinone_annotate/app/config.h"

using namespace coinone;

namespace {
ParseOutcome parse(std::vector<std::string> args) {
  args.insert(args.begin(), "coinone-annotate");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("defaults") {
    const auto p = parse({});
    REQUIRE(p.ok);
    CHECK(p.config.inputs == std::vector<std::string>{"-"});
    CHECK(p.config.annotator.lang == Lang::kEnglish);
    CHECK(p.config.printer.format == OutputFormat::kText);
    CHECK_FALSE(p.config.printer.only_errors);
    CHECK(p.config.buffer_size == LineBuffer::kDefaultCapacity);
  }

  TEST_CASE("options and files") {
    const auto p = parse({"--lang", "both", "--format=json", "--only-errors", "--pattern", "a",
                          "--pattern", "b", "x.log", "--color", "always", "y.log"});
    REQUIRE(p.ok);
    CHECK(p.config.inputs == std::vector<std::string>{"x.log", "y.log"});
    CHECK(p.config.patterns == std::vector<std::string>{"a", "b"});
    CHECK(p.config.annotator.lang == Lang::kBoth);
    CHECK(p.config.annotator.color);
    CHECK(p.config.printer.format == OutputFormat::kJson);
    CHECK(p.config.printer.only_errors);
  }

  TEST_CASE("colour: never on a non-terminal unless always; NO_COLOR wins over auto") {
    CHECK_FALSE(parse({"--color", "auto"}).config.annotator.color);  // tests do not run on a tty
    CHECK_FALSE(parse({"--color", "never"}).config.annotator.color);
    ::setenv("NO_COLOR", "1", 1);
    CHECK_FALSE(parse({}).config.annotator.color);
    CHECK(parse({"--color=always"}).config.annotator.color);
    ::unsetenv("NO_COLOR");
  }

  TEST_CASE("bad arguments exit with status 2") {
    for (const auto& args : std::vector<std::vector<std::string>>{{"--lang", "fr"},
                                                                  {"--format", "xml"},
                                                                  {"--color", "sometimes"},
                                                                  {"--bogus"},
                                                                  {"--buffer-size", "0"}}) {
      const auto p = parse(args);
      CHECK_FALSE(p.ok);
      CHECK(p.exit_code == kExitTrouble);
    }
  }

  TEST_CASE("--summary takes no separate value; --summary-file implies it") {
    auto p = parse({"--summary", "bot.log"});
    REQUIRE(p.ok);
    CHECK(p.config.summary == Config::Summary::kText);
    CHECK(p.config.inputs == std::vector<std::string>{"bot.log"});
    p = parse({"--summary=json", "bot.log"});
    REQUIRE(p.ok);
    CHECK(p.config.summary == Config::Summary::kJson);
    p = parse({"--summary-file", "r.txt", "bot.log"});
    REQUIRE(p.ok);
    CHECK(p.config.summary == Config::Summary::kText);
    CHECK(p.config.summary_file == "r.txt");
    CHECK(parse({"bot.log"}).config.summary == Config::Summary::kNone);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--summary", "json", "bot.log"}, {"--summary=xml"}, {"--template", ""}}) {
      CAPTURE(args.front());
      CHECK(parse(args).exit_code == kExitTrouble);
    }
  }

  TEST_CASE("file names: -H, --no-filename, and by default with --only-errors or -c over several") {
    struct Case {
      std::vector<std::string> args;
      bool names;
    };
    for (const Case& c : std::vector<Case>{{{"a"}, false},
                                           {{"a", "b"}, false},
                                           {{"--only-errors", "a"}, false},
                                           {{"--only-errors", "a", "b"}, true},
                                           {{"-c", "a", "b"}, true},
                                           {{"-c", "a"}, false},
                                           {{"-H", "a"}, true},
                                           {{"-H", "--no-filename", "a"}, false},
                                           {{"--only-errors", "--no-filename", "a", "b"}, false}}) {
      CAPTURE(c.args.front());
      CAPTURE(c.args.size());
      const auto p = parse(c.args);
      REQUIRE(p.ok);
      CHECK(p.config.printer.with_filename == c.names);
      CHECK_FALSE(p.config.with_filename);  // follow mode's, not set without --follow
    }
    const auto p = parse({"-F", "-H", "a"});
    REQUIRE(p.ok);
    CHECK(p.config.with_filename);
    CHECK_FALSE(p.config.printer.with_filename);
  }

  TEST_CASE("-c, -l, -q: grep's precedence; -n numbers lines, --lines is follow mode's") {
    CHECK(parse({"-c"}).config.listing == Config::Listing::kCount);
    CHECK(parse({"-c", "-l"}).config.listing == Config::Listing::kFiles);
    CHECK(parse({"-lcq"}).config.listing == Config::Listing::kQuiet);
    CHECK(parse({}).config.listing == Config::Listing::kLines);
    CHECK(parse({"-n"}).config.printer.line_numbers);
    const auto p = parse({"-F", "--lines", "5", "a"});
    REQUIRE(p.ok);
    CHECK(p.config.lines == 5u);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"-F", "a", "-n", "5"}, {"-F", "-c", "a"}, {"-F", "-q", "a"}, {"--lines", "5", "a"}}) {
      CAPTURE(args.front());
      CHECK(parse(args).exit_code == kExitTrouble);
    }
  }

  TEST_CASE("colour: auto is off with TERM=dumb; always stays on") {
    const char* term = std::getenv("TERM");
    const std::string saved = term == nullptr ? "" : term;
    ::setenv("TERM", "dumb", 1);
    CHECK_FALSE(parse({}).config.annotator.color);
    CHECK(parse({"--color", "always"}).config.annotator.color);
    if (term == nullptr)
      ::unsetenv("TERM");
    else
      ::setenv("TERM", saved.c_str(), 1);
  }

  TEST_CASE("the nearest option name, for the hint of an unknown option") {
    CLI::App app;
    app.add_flag("--summary");
    app.add_option("--summary-file");
    app.add_flag("--only-errors");
    app.add_flag("--no-prefilter")->group("");
    for (const auto& [word, want] : std::vector<std::pair<std::string, std::string>>{
             {"--sumary", "--summary"},
             {"--sumary=json", "--summary"},
             {"-summary", "--summary"},
             {"--summary-fil", "--summary-file"},
             {"--only-error", "--only-errors"},
             {"--no-prefiltr", ""},  // hidden options are not suggested
             {"--bogus", ""},
             {"-x", ""}}) {
      CAPTURE(word);
      CHECK(nearest_option(app, word) == want);
    }
  }

  TEST_CASE("--tz names the zone of timestamps without one; --sort=time") {
    auto p = parse({"--tz", "Asia/Seoul", "--summary"});
    REQUIRE(p.ok);
    CHECK(p.config.time_zone.name() == "Asia/Seoul");
    CHECK_FALSE(p.config.sort_by_time);
    p = parse({"--tz=UTC", "--sort=time", "a.log", "b.log"});
    REQUIRE(p.ok);
    CHECK(p.config.time_zone.name() == "UTC");
    CHECK(p.config.sort_by_time);
    CHECK(p.config.inputs == std::vector<std::string>{"a.log", "b.log"});
    CHECK_FALSE(parse({"--sort", "none"}).config.sort_by_time);
  }

  TEST_CASE("--tz and --sort: bad values exit with status 2") {
    for (const auto& args : std::vector<std::vector<std::string>>{{"--tz", "Nope/Zone"},
                                                                  {"--tz", "asia/seoul"},
                                                                  {"--sort", "size"},
                                                                  {"--sort=time", "-F", "a.log"}}) {
      CAPTURE(args.front());
      const auto p = parse(args);
      CHECK_FALSE(p.ok);
      CHECK(p.exit_code == kExitTrouble);
    }
  }
}
