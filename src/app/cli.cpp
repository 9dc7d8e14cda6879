#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "coinone_annotate/app/cli_help.h"
#include "coinone_annotate/app/config.h"
#include "coinone_annotate/base/cpus.h"

namespace coinone {

namespace {

// Every option is in one of the groups of --help (cli_help.h, kGroupOrder), and in the same
// group of the README's Usage table. An option that takes a value names it with type_name()
// or, when that needs CLI11's validator notes left out, option_text().
constexpr char kMatching[] = "Matching";
constexpr char kOutput[] = "Output";
constexpr char kFollowing[] = "Following";
constexpr char kReport[] = "Report";
constexpr char kMiscellaneous[] = "Miscellaneous";

constexpr char kDescription[] =
    "Pass log lines through unchanged, and annotate those that carry a Coinone API error\n"
    "code (\"error_code\":\"103\", errorCode: 131, error_code=104 ...) with the code's\n"
    "category, meaning and advice:\n"
    "  error_code=103 [coinone 103 Order / Balance: Lack of balance -> check-funds]\n"
    "FILEs are read in order; with no FILE, or when FILE is -, read standard input.\n"
    "gzip, zstd, xz, bzip2 and lz4 files (and standard input) are decompressed.\n";

constexpr char kFooter[] =
    "Exit status:\n"
    "  0  success; with -c, -l or -q: a Coinone error was found (with -q also when\n"
    "     another file failed, as grep -q)\n"
    "  1  with -c, -l or -q: no Coinone error was found\n"
    "  2  an input, the output, the --codes file, the --summary-file or an argument\n"
    "     failed\n"
    "Without -c, -l or -q the status is 0 whether or not a line was annotated, also\n"
    "when the reader of standard output goes away. Errors go to standard error as\n"
    "'coinone-annotate: PATH: reason'.\n";

// --color auto: colour for a terminal that can show it, unless NO_COLOR is set.
bool resolve_color(const std::string& when, int fd) {
  if (when == "always") return true;
  if (when == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(fd) == 1;
}

bool fail(ParseOutcome& outcome, const std::string& message) {
  std::fputs(("coinone-annotate: " + message + "\n").c_str(), stderr);
  outcome.exit_code = kExitTrouble;
  return false;
}

// "--summary json": --summary takes no separate value, so "json" would be read as a file. When
// no such file exists, the user meant the value.
bool check_summary_value(int argc, char** argv, ParseOutcome& outcome) {
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string_view arg = argv[i], next = argv[i + 1];
    if (arg == "--") break;
    struct stat st {};
    if (arg == "--summary" && (next == "json" || next == "text") && ::stat(argv[i + 1], &st) != 0)
      return fail(outcome, "--summary takes no separate value: did you mean --summary=" +
                               std::string(next) + "?");
  }
  return true;
}

// Phase two: the choices CLI11 read as strings, with a message that lists them.
bool check_choice(ParseOutcome& outcome, const std::string& option, const std::string& value,
                  std::initializer_list<std::string_view> choices, std::string_view hint = {}) {
  for (std::string_view choice : choices)
    if (value == choice) return true;
  std::string list;
  for (std::string_view choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice);
  return fail(outcome, option + ": " + value + " is not one of " + list +
                           (hint.empty() ? "" : ": " + std::string(hint)));
}

struct Flags {  // what CLI11 reads before it is checked and resolved into the Config
  std::string lang = "en", format = "text", color = "auto", summary, tz, sort = "none";
  bool no_exchange_check = false, with_filename = false, no_filename = false;
  bool count = false, files = false, quiet = false;
  CLI::Option *template_option = nullptr, *lines = nullptr, *summary_option = nullptr,
              *tz_option = nullptr;
  uint64_t line_count = 0;
  unsigned threads = 0;  // -j; 0: the usable CPUs
};

void add_matching(CLI::App& app, Config& config, Flags& flags) {
  app.add_option("--codes", config.codes_file,
                 "Add or override codes from FILE (the format of the built-in table: code, "
                 "category, advice, retry, english, [korean], TAB-separated)")
      ->type_name("FILE")
      ->group(kMatching);
  app.add_option("--pattern", config.patterns,
                 "Also find codes with this RE2 expression, which must have a group "
                 "(?P<code>...); repeatable. Every line is then checked, which is slower")
      ->allow_extra_args(false)  // one pattern per --pattern: file names after it stay files
      ->take_all()
      ->type_name("RE2")
      ->group(kMatching);
  app.add_flag("--no-exchange-check", flags.no_exchange_check,
               "Annotate lines even when they name another exchange (kraken {...}, "
               "exchange=binance, api.upbit.com): for logs whose prose names other exchanges")
      ->group(kMatching);
}

void add_output(CLI::App& app, Config& config, Flags& flags) {
  app.add_option("--format", flags.format,
                 "text (default): append the annotation; json: add a \"coinone\" member to lines "
                 "that are one JSON object (other lines get text)")
      ->option_text("text|json")
      ->group(kOutput);
  app.add_option("--lang", flags.lang, "Language of the annotations and the report (default en)")
      ->option_text("en|ko|both")
      ->group(kOutput);
  flags.template_option =
      app.add_option("--template", config.annotator.text_template,
                     "fmt-style text for each code, with the fields {code} {category} {meaning} "
                     "{meaning_en} {meaning_ko} {advice} {retry}")
          ->type_name("TEXT")
          ->group(kOutput);
  app.add_option("--color", flags.color,
                 "Colour annotations by category: auto (default: on a terminal, not with "
                 "NO_COLOR or TERM=dumb), always or never")
      ->option_text("WHEN")
      ->group(kOutput);
  app.add_flag("--only-errors", config.printer.only_errors, "Print only annotated lines")
      ->group(kOutput);
  app.add_flag("-H,--with-filename", flags.with_filename,
               "Start each line with its file name and ':' (the default over several files when "
               "only annotated lines are printed, and for -c)")
      ->group(kOutput);
  app.add_flag("--no-filename", flags.no_filename, "Never start lines with the file name")
      ->group(kOutput);
  app.add_flag("-n,--line-number", config.printer.line_numbers,
               "Start each line with its number in its file and ':' (after the file name)")
      ->group(kOutput);
  app.add_flag("-c,--count", flags.count,
               "Print only the number of annotated lines of each file (FILE:N with several)")
      ->group(kOutput);
  app.add_flag("-l,--files-with-errors", flags.files,
               "Print only the names of the files with an annotated line")
      ->group(kOutput);
  app.add_flag("-q,--quiet", flags.quiet,
               "Print nothing; the exit status says whether a Coinone error was found")
      ->group(kOutput);
  app.add_option("--sort", flags.sort,
                 "time: read the files oldest first, by their first timestamp, else their "
                 "modification time (logrotate's bot.log.2.gz, bot.log.1, bot.log); none "
                 "(default): in the order given")
      ->option_text("time|none")
      ->group(kOutput);
  app.add_option("-j,--threads", flags.threads,
                 "Search N files at once, each on a thread of its own; output stays in argument "
                 "order, file by file (default: the CPUs this process may use)")
      ->check(CLI::Range(1u, 1024u))
      ->type_name("N")
      ->group(kOutput);
  app.add_option("--spool-limit", config.spool_limit,
                 "With -j: bytes of a file's output held before its turn, then it waits")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 50))
      ->group("");
}

void add_following(CLI::App& app, Config& config, Flags& flags) {
  app.add_flag("-F,--follow", config.follow,
               "Follow the files by name like tail -F: wait for new lines, survive rotation "
               "(rename or copytruncate); SIGTERM/SIGINT flush and exit 0, SIGHUP reloads "
               "--codes. Quoted globs ('logs/*.log') also pick up files that appear later. "
               "-H starts each line with its file name")
      ->group(kFollowing);
  app.add_option("--state", config.state_file,
                 "Keep a checkpoint in FILE so that a restart goes on where the last run "
                 "stopped, with no line lost or repeated")
      ->type_name("FILE")
      ->group(kFollowing);
  app.add_option("--olddir", config.olddir,
                 "logrotate's olddir, also searched for files rotated while the follower was "
                 "stopped")
      ->type_name("DIR")
      ->group(kFollowing);
  flags.lines = app.add_option("--lines", flags.line_count,
                               "Start N lines before the end, like tail -n N -F (without a saved "
                               "checkpoint; default 0, or the whole file with --state)")
                    ->type_name("N")
                    ->group(kFollowing);
}

void add_report(CLI::App& app, Config& config, Flags& flags) {
  // A flag, not an option with an optional value: "--summary bot.log" reads bot.log.
  flags.summary_option =
      app.add_flag("--summary{text}", flags.summary,
                   "At the end, a triage report on stderr: counts per category and code, first "
                   "and last seen, a timeline; --summary=json for one JSON object")
          ->option_text("[=json]")
          ->group(kReport);
  app.add_option("--summary-file", config.summary_file,
                 "Write the report to FILE (a new file renamed into place) instead of stderr; "
                 "implies --summary")
      ->type_name("FILE")
      ->group(kReport);
  flags.tz_option = app.add_option("--tz", flags.tz,
                                   "Read timestamps that carry no zone in ZONE, an IANA name such "
                                   "as Asia/Seoul, and print the report's times in it (default: "
                                   "the machine's zone: TZ, else /etc/localtime)")
                        ->type_name("ZONE")
                        ->group(kReport);
  app.add_option("--metrics", config.metrics_address,
                 "Serve Prometheus metrics on http://HOST:PORT/metrics and health on /healthz "
                 "(HOST defaults to 127.0.0.1; port 0 takes a free one, which is logged)")
      ->option_text("[HOST:]PORT")
      ->group(kReport);
  app.add_option("--probe", config.probe_url,
                 "GET the URL (e.g. http://127.0.0.1:9464/healthz) and exit: 0 on a 2xx answer "
                 "within 1.5 s, else 1 with the reason (a health check for images without curl)")
      ->type_name("URL")
      ->group(kReport);
}

void add_miscellaneous(CLI::App& app, Config& config) {
  app.add_option("--explain", config.explain,
                 "Print what the code table knows about each CODE (category, meanings, advice, "
                 "retry) and exit; with --format json as one JSON document")
      ->take_all()
      ->type_name("CODE...")
      ->group(kMiscellaneous);
  app.add_flag("--list-codes", config.list_codes,
               "Print the whole code table (built in, with --codes) and exit; with --format json "
               "as one JSON document")
      ->group(kMiscellaneous);
  app.add_flag("-V,--version", config.show_version,
               "Print the version, the code table's source and its number of codes, and exit")
      ->group(kMiscellaneous);
  app.set_help_flag("-h,--help", "Print this help and exit")->group(kMiscellaneous);
  app.add_option("--buffer-size", config.buffer_size,
                 "Line buffer capacity in bytes (longer lines are streamed in pieces)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30))
      ->group("");  // for tests: hidden from --help
  app.add_flag("--no-prefilter", config.every_line_is_candidate, "Give every line to the matcher")
      ->group("");
}

// Options that only make sense with --follow, or never with it.
bool check_follow(ParseOutcome& outcome, const Flags& flags) {
  const Config& config = outcome.config;
  if (config.follow) {
    if (config.inputs.empty())
      return fail(outcome, "--follow needs a file or a glob: coinone-annotate -F bot.log");
    if (config.printer.line_numbers) {
      const auto number = std::find_if(config.inputs.begin(), config.inputs.end(), [](auto& in) {
        return !in.empty() && in.find_first_not_of("0123456789") == std::string::npos;
      });
      return fail(outcome,
                  "-n numbers lines, which --follow does not do: " +
                      (number != config.inputs.end() ? "did you mean --lines " + *number + "?"
                                                     : std::string("use --lines N")));
    }
    for (const auto& [set, name] :
         {std::pair{flags.count, "--count"}, std::pair{flags.files, "--files-with-errors"},
          std::pair{flags.quiet, "--quiet"}})
      if (set)
        return fail(outcome, std::string(name) +
                                 " waits for the end of the files, which --follow never reaches: "
                                 "leave one of them out");
    return true;
  }
  for (const auto& [set, name] : {std::pair{!config.state_file.empty(), "--state"},
                                  std::pair{!config.olddir.empty(), "--olddir"},
                                  std::pair{flags.lines->count() != 0, "--lines"}})
    if (set)
      return fail(outcome,
                  std::string(name) + " needs --follow: add -F, or leave " + name + " out");
  return true;
}

// --sort and --tz: the zone named, or the machine's when the report or --sort=time will read
// times (locating it costs a few milliseconds, which the plain filter need not pay).
bool resolve_time(ParseOutcome& outcome, const Flags& flags) {
  Config& config = outcome.config;
  if (!check_choice(outcome, "--sort", flags.sort, {"time", "none"})) return false;
  config.sort_by_time = flags.sort == "time";
  if (config.sort_by_time && config.follow)
    return fail(outcome, "--sort=time orders files to read; it does not apply to --follow");
  std::string error;
  if (flags.tz_option->count() != 0) {
    auto zone = TimeZone::locate(flags.tz, error);
    if (!zone) return fail(outcome, "--tz: " + flags.tz + ": " + error);
    config.time_zone = std::move(*zone);
  } else if (config.summary != Config::Summary::kNone || config.sort_by_time) {
    config.time_zone = TimeZone::local(error);
    if (!error.empty()) std::fputs(("coinone-annotate: " + error + "\n").c_str(), stderr);
  }
  return true;
}

// Phase two: checks what CLI11 read and resolves it into the Config.
bool resolve(ParseOutcome& outcome, const Flags& flags) {
  Config& config = outcome.config;
  if (!check_choice(outcome, "--lang", flags.lang, {"en", "ko", "both"}) ||
      !check_choice(outcome, "--format", flags.format, {"text", "json"}) ||
      !check_choice(outcome, "--color", flags.color, {"auto", "always", "never"}) ||
      (flags.summary_option->count() != 0 &&
       !check_choice(outcome, "--summary", flags.summary, {"text", "json"},
                     "--summary alone for text, --summary=json for JSON")))
    return false;
  if (flags.template_option->count() != 0 && config.annotator.text_template.empty())
    return fail(outcome,
                "--template is empty: give a template such as '{code} {meaning}', or leave it "
                "out for the default form");
  if (!check_follow(outcome, flags)) return false;
  if (flags.lines->count() != 0) config.lines = flags.line_count;
  config.threads = flags.threads != 0 ? flags.threads : std::max(1u, usable_cpus());
  const bool several = config.inputs.size() > 1;
  if (config.inputs.empty()) config.inputs.push_back("-");
  config.listing = flags.quiet   ? Config::Listing::kQuiet
                   : flags.files ? Config::Listing::kFiles
                   : flags.count ? Config::Listing::kCount
                                 : Config::Listing::kLines;
  // Names by default only where grep's habit does not break byte-exact passing through.
  if (config.follow)
    config.with_filename = flags.with_filename;  // FollowSet writes them
  else
    config.printer.with_filename =
        !flags.no_filename &&
        (flags.with_filename ||
         (several && (config.printer.only_errors || config.listing == Config::Listing::kCount)));
  config.exchange_check = !flags.no_exchange_check;
  config.annotator.lang = flags.lang == "ko"     ? Lang::kKorean
                          : flags.lang == "both" ? Lang::kBoth
                                                 : Lang::kEnglish;
  config.annotator.color = resolve_color(flags.color, STDOUT_FILENO);
  config.summary_color = resolve_color(flags.color, STDERR_FILENO);
  if (flags.summary_option->count() != 0 || !config.summary_file.empty())
    config.summary = flags.summary == "json" ? Config::Summary::kJson : Config::Summary::kText;
  config.printer.format = flags.format == "json" ? OutputFormat::kJson : OutputFormat::kText;
  return resolve_time(outcome, flags);
}

}  // namespace

ParseOutcome parse_command_line(int argc, char** argv) {
  CLI::App app{kDescription, "coinone-annotate"};
  app.footer(kFooter);
  app.formatter(std::make_shared<HelpFormatter>());

  ParseOutcome outcome;
  Config& config = outcome.config;
  Flags flags;
  app.add_option("FILE", config.inputs, "Files to read in order ('-' is stdin; default: stdin)");
  add_matching(app, config, flags);
  add_output(app, config, flags);
  add_following(app, config, flags);
  add_report(app, config, flags);
  add_miscellaneous(app, config);

  if (!check_summary_value(argc, argv, outcome)) return outcome;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    outcome.exit_code = app.exit(e) == 0 ? kExitOk : kExitTrouble;
    return outcome;
  } catch (const CLI::ParseError& e) {
    std::fputs((argument_error(app, e) + "\n").c_str(), stderr);
    outcome.exit_code = kExitTrouble;
    return outcome;
  }
  outcome.ok = resolve(outcome, flags);
  return outcome;
}

}  // namespace coinone
