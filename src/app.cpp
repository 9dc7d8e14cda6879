#include "coinone_annotate/app.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "coinone_annotate/annotator.h"
#include "coinone_annotate/code_table.h"
#include "coinone_annotate/fd_writer.h"
#include "coinone_annotate/field_extractor.h"
#include "coinone_annotate/matcher.h"
#include "coinone_annotate/printer.h"
#include "coinone_annotate/searcher.h"
#include "coinone_annotate/source.h"

namespace coinone {

namespace {

void set_up_logging() {
  auto logger = spdlog::stderr_logger_st("coinone-annotate");
  logger->set_pattern("coinone-annotate: %v");
  spdlog::set_default_logger(logger);
}

// The built-in table, with --codes merged over it. Null (after reporting) on a bad file.
std::shared_ptr<const CodeTable> load_table(const std::string& codes_file) {
  auto table = std::make_shared<CodeTable>(builtin_code_table());
  if (codes_file.empty()) return table;
  std::ifstream in(codes_file, std::ios::binary);  // read once at start-up, off the hot path
  if (!in) {
    spdlog::error("{}: {}", codes_file, std::strerror(errno));
    return nullptr;
  }
  std::ostringstream text;
  text << in.rdbuf();
  TableParse parsed = parse_code_table(text.str());
  if (!parsed.table) {
    spdlog::error("{}:{}: {}", codes_file, parsed.error_line, parsed.error);
    return nullptr;
  }
  table->merge(*parsed.table);
  return table;
}

// A pipe holds 64 KiB by default, so a fast producer and consumer switch every 64 KiB. Asking
// for 1 MiB (the unprivileged maximum) lets each read and write move a whole buffer.
void enlarge_pipe(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

void report_write_failure(const FdWriter& out) {
  if (out.status() == FdWriter::Status::kError)
    spdlog::error("standard output: {}", std::strerror(out.error_number()));
}

}  // namespace

int run(const Config& config) {
  set_up_logging();
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout becomes EPIPE, which ends the run quietly

  const auto table = load_table(config.codes_file);
  if (!table) return kExitTrouble;
  auto extractor = FieldExtractor::create(config.patterns);
  if (!extractor.extractor) {
    spdlog::error("--pattern {}", extractor.error);
    return kExitTrouble;
  }
  auto annotator = Annotator::create(table, config.annotator);
  if (!annotator.annotator) {
    spdlog::error("--template: {}", annotator.error);
    return kExitTrouble;
  }

  enlarge_pipe(STDOUT_FILENO);
  enlarge_pipe(STDIN_FILENO);
  FdWriter out(STDOUT_FILENO);
  Printer printer(out, *annotator.annotator, config.printer);
  Matcher matcher(table, *extractor.extractor, config.every_line_is_candidate);
  Searcher searcher(matcher, printer, SearchOptions{config.buffer_size, false});

  bool trouble = false;
  for (const auto& path : config.inputs) {
    OpenResult opened = open_source(path);
    if (!opened.source) {
      spdlog::error("{}: {}", path, opened.error);
      trouble = true;
      continue;
    }
    const SearchResult result = searcher.search(*opened.source);
    if (result.read_failed) {
      spdlog::error("{}: {}", opened.source->name(), result.error);
      trouble = true;
    }
    if (result.output_failed) break;
  }
  out.flush();
  report_write_failure(out);
  if (out.status() == FdWriter::Status::kError) trouble = true;
  return trouble ? kExitTrouble : kExitOk;
}

}  // namespace coinone
