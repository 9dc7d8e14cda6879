// Config: everything the command line decided, validated, in one immutable value.
//
// cli.cpp fills it (arguments are parsed in two phases, ripgrep's lowargs → hiargs: CLI11 reads
// the flags, then they are checked and resolved here, e.g. --color auto against the terminal);
// everything downstream only reads it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coinone_annotate/input/line_buffer.h"
#include "coinone_annotate/output/annotator.h"
#include "coinone_annotate/output/ordered_output.h"
#include "coinone_annotate/output/printer.h"
#include "coinone_annotate/report/time_zone.h"

namespace coinone {

struct Config {
  std::vector<std::string> inputs;    // paths; "-" is standard input
  std::string codes_file;             // --codes, empty for none
  std::vector<std::string> patterns;  // --pattern
  bool exchange_check = true;         // off with --no-exchange-check
  std::vector<std::string> explain;   // --explain CODE...: print what the table knows, no input
  bool list_codes = false;            // --list-codes: print the whole table, no input
  AnnotatorOptions annotator;         // --lang, --template, resolved --color
  PrinterOptions printer;             // --format, --only-errors, resolved -H/--no-filename, -n
  // grep's -c, -l and -q: what is written instead of the lines. Precedence as grep: -q, -l, -c.
  enum class Listing { kLines, kCount, kFiles, kQuiet };
  Listing listing = Listing::kLines;
  enum class Summary { kNone, kText, kJson };
  Summary summary = Summary::kNone;  // --summary[=json], written to stderr at the end
  std::string summary_file;          // --summary-file: the report goes there instead
  bool summary_color = false;        // resolved --color for stderr
  bool show_version = false;         // -V/--version: print it (and the code table's) and exit
  // --tz, else the machine's zone (resolved only when --summary or --sort=time reads times):
  // the zone of timestamps that carry none, and of the times the report prints.
  TimeZone time_zone;
  bool sort_by_time = false;      // --sort=time: read the files oldest first (time_order.h)
  bool follow = false;            // -F/--follow: follow the input files and globs by name
  bool with_filename = false;     // -H, with --follow: "FILE:" before each line
  std::string state_file;         // --state, with --follow
  std::string olddir;             // --olddir, with --follow: where rotated files go
  std::optional<uint64_t> lines;  // -n/--lines, with --follow: start N lines before the end
  std::string metrics_address;    // --metrics HOST:PORT, empty for none
  std::string probe_url;          // --probe URL: one health check (app/probe.h), no input
  size_t buffer_size = LineBuffer::kDefaultCapacity;  // --buffer-size (tests)
  bool every_line_is_candidate = false;               // --no-prefilter (tests)
  unsigned threads = 1;  // -j/--threads: files searched at once (default: the usable CPUs)
  uint64_t spool_limit = OutputLane::kDefaultSpoolLimit;  // --spool-limit (tests), with -j
};

// Exit statuses, stable for scripts.
inline constexpr int kExitOk = 0;        // success (also when stdout was closed early)
inline constexpr int kExitNotFound = 1;  // -c, -l, -q: no Coinone error found (as grep)
inline constexpr int kExitTrouble = 2;   // a file, a write, a table or an argument failed

struct ParseOutcome {
  bool ok = false;
  int exit_code = kExitOk;  // when !ok: 0 after --help, else kExitTrouble
  Config config;
};

// Parses argv. Prints help, version or the usage error itself.
ParseOutcome parse_command_line(int argc, char** argv);

}  // namespace coinone
