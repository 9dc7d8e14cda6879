#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

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
}
