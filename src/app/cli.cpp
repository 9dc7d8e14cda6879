#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "coinone_annotate/app/config.h"
#include "coinone_annotate/app/version.h"

namespace coinone {

namespace {

constexpr char kDescription[] =
    "Passes log lines through unchanged and annotates those that carry a Coinone API error\n"
    "code (\"error_code\":\"103\", errorCode: 131, error_code=104 ...) with the code's category,\n"
    "meaning and advice, e.g.\n"
    "  {\"result\":\"error\",\"error_code\":\"103\"} [coinone 103 Order / Balance: Lack of "
    "balance -> check-funds]\n";

constexpr char kFooter[] =
    "Exit status: 0 on success (also when the reader of stdout goes away),\n"
    "2 if an input, the output, the --codes file or an argument failed.\n"
    "Errors go to stderr as 'coinone-annotate: PATH: reason'.\n";

bool resolve_color(const std::string& when, int fd) {
  if (when == "always") return true;
  if (when == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return ::isatty(fd) == 1;
}

}  // namespace

ParseOutcome parse_command_line(int argc, char** argv) {
  CLI::App app{kDescription, "coinone-annotate"};
  app.footer(kFooter);
  app.set_version_flag("-V,--version", std::string(version()));
  app.get_formatter()->column_width(30);

  ParseOutcome outcome;
  Config& config = outcome.config;
  std::string lang = "en", format = "text", color = "auto";
  app.add_option("files", config.inputs, "Files to read in order ('-' is stdin; default: stdin)");
  app.add_option("--codes", config.codes_file,
                 "Add or override codes from FILE (same TAB-separated format as the built-in "
                 "table: code, category, advice, retry, english, [korean])");
  app.add_option("--pattern", config.patterns,
                 "Also find codes with this RE2 expression; it must have a group (?P<code>...). "
                 "Repeatable. Every line is then checked, which is slower")
      ->allow_extra_args(false)  // one pattern per --pattern: file names after it stay files
      ->take_all()
      ->type_name("RE2");
  bool no_exchange_check = false;
  app.add_flag("--no-exchange-check", no_exchange_check,
               "Annotate lines even when they name another exchange (kraken {...}, "
               "exchange=binance, api.upbit.com): for logs whose prose names other exchanges");
  app.add_option("--explain", config.explain,
                 "Print what the code table knows about each CODE (category, meanings, advice, "
                 "retry) and exit; with --format json as one JSON document")
      ->take_all()
      ->type_name("CODE...");
  app.add_flag("--list-codes", config.list_codes,
               "Print the whole code table (built in, with --codes) and exit; with --format json "
               "as one JSON document");
  app.add_option("--lang", lang, "Language of meanings: en, ko or both")
      ->check(CLI::IsMember({"en", "ko", "both"}))
      ->capture_default_str();
  app.add_option("--format", format,
                 "text: append the annotation; json: add a \"coinone\" member to lines that are "
                 "one JSON object (other lines get text)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--template", config.annotator.text_template,
                 "fmt-style text for each code, fields {code} {category} {meaning} "
                 "{meaning_en} {meaning_ko} {advice} {retry}");
  app.add_flag("--only-errors", config.printer.only_errors, "Print only annotated lines");
  std::string summary_format = "text";
  CLI::Option* summary =
      app.add_option("--summary", summary_format,
                     "At the end, print a triage report to stderr: counts per category and code, "
                     "first and last seen, a timeline; --summary=json for one JSON object")
          ->expected(0, 1)
          ->check(CLI::IsMember({"text", "json"}))
          ->type_name("[text|json]");
  app.add_option("--color", color, "Colour annotations by category: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_flag("-F,--follow", config.follow,
               "Follow the files by name like tail -F: wait for new lines, survive rotation "
               "(rename or copytruncate); SIGTERM/SIGINT flush and exit 0, SIGHUP reloads --codes. "
               "Quoted globs ('logs/*.log') also pick up files that appear later");
  app.add_flag("-H,--with-filename", config.with_filename,
               "With --follow: start each line with its file name and ':', like grep -H");
  app.add_option("--state", config.state_file,
                 "With --follow: keep a checkpoint in FILE so that a restart goes on where the "
                 "last run stopped, with no line lost or repeated")
      ->type_name("FILE");
  app.add_option("--olddir", config.olddir,
                 "With --follow: logrotate's olddir, also searched for files rotated while the "
                 "follower was stopped")
      ->type_name("DIR");
  uint64_t line_count = 0;
  CLI::Option* lines =
      app.add_option("-n,--lines", line_count,
                     "With --follow: start N lines before the end, like tail -n N -F (without a "
                     "saved checkpoint; default 0, or the whole file with --state)")
          ->type_name("N");
  app.add_option("--metrics", config.metrics_address,
                 "Serve Prometheus metrics on http://HOST:PORT/metrics and health on /healthz "
                 "(HOST defaults to 127.0.0.1)")
      ->type_name("[HOST:]PORT");
  app.add_option("--buffer-size", config.buffer_size,
                 "Line buffer capacity in bytes (longer lines are streamed in pieces)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30))
      ->group("");  // for tests: hidden from --help
  app.add_flag("--no-prefilter", config.every_line_is_candidate, "Give every line to the matcher")
      ->group("");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    outcome.exit_code = app.exit(e) == 0 ? kExitOk : kExitTrouble;
    return outcome;
  }
  if (config.follow && config.inputs.empty()) {
    std::fputs("coinone-annotate: --follow needs a file or a glob\n", stderr);
    outcome.exit_code = kExitTrouble;
    return outcome;
  }
  if ((!config.state_file.empty() || !config.olddir.empty() || lines->count() != 0 ||
       config.with_filename) &&
      !config.follow) {
    std::fputs("coinone-annotate: --state, --olddir, --lines and --with-filename need --follow\n",
               stderr);
    outcome.exit_code = kExitTrouble;
    return outcome;
  }
  if (lines->count() != 0) config.lines = line_count;
  if (config.inputs.empty()) config.inputs.push_back("-");
  config.exchange_check = !no_exchange_check;
  config.annotator.lang = lang == "ko"     ? Lang::kKorean
                          : lang == "both" ? Lang::kBoth
                                           : Lang::kEnglish;
  config.annotator.color = resolve_color(color, STDOUT_FILENO);
  config.summary_color = resolve_color(color, STDERR_FILENO);
  if (summary->count() != 0)
    config.summary = summary_format == "json" ? Config::Summary::kJson : Config::Summary::kText;
  config.printer.format = format == "json" ? OutputFormat::kJson : OutputFormat::kText;
  outcome.ok = true;
  return outcome;
}

}  // namespace coinone
