#include "coinone_annotate/app/app.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "coinone_annotate/app/explain.h"
#include "coinone_annotate/app/file_jobs.h"
#include "coinone_annotate/app/probe.h"
#include "coinone_annotate/app/table_reload.h"
#include "coinone_annotate/app/time_order.h"
#include "coinone_annotate/base/replace_file.h"
#include "coinone_annotate/base/signals.h"
#include "coinone_annotate/input/decompress.h"
#include "coinone_annotate/input/follow_set.h"
#include "coinone_annotate/input/follow_source.h"
#include "coinone_annotate/input/source.h"
#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/matcher.h"
#include "coinone_annotate/output/annotator.h"
#include "coinone_annotate/output/count_sink.h"
#include "coinone_annotate/output/fd_writer.h"
#include "coinone_annotate/output/printer.h"
#include "coinone_annotate/report/metrics.h"
#include "coinone_annotate/report/metrics_server.h"
#include "coinone_annotate/report/summary.h"
#include "coinone_annotate/search/searcher.h"

namespace coinone {

namespace {

void set_up_logging() {
  spdlog::drop("coinone-annotate");  // run() may be called more than once (the tests do)
  auto logger = spdlog::stderr_logger_st("coinone-annotate");
  logger->set_pattern("coinone-annotate: %v");
  spdlog::set_default_logger(logger);
}

// The built-in table, with --codes merged over it. Null (after reporting) on a bad file.
std::shared_ptr<const CodeTable> load_table(const std::string& codes_file) {
  std::string error;
  auto table = load_code_table(codes_file, error);  // read once at start-up, off the hot path
  if (!table) spdlog::error("{}", error);
  return table;
}

Matcher make_matcher(std::shared_ptr<const CodeTable> table, const FieldExtractor& extractor,
                     const Config& config) {
  Matcher matcher(std::move(table), extractor, config.every_line_is_candidate);
  if (!config.exchange_check) matcher.set_exchange_ids(nullptr);
  return matcher;
}

// A pipe holds 64 KiB by default, so a fast producer and consumer switch every 64 KiB. Asking
// for 1 MiB (the unprivileged maximum) lets each read and write move a whole buffer.
void enlarge_pipe(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

// An input as -H, -c and -l name it: as given, and standard input as grep names it.
std::string file_label(const std::string& path) { return path == "-" ? "(standard input)" : path; }

// "--metrics HOST:0" (or "0") asks for any free port: the one bound is worth saying.
bool asks_any_port(std::string_view address) {
  return address == "0" || (address.size() > 2 && address.substr(address.size() - 2) == ":0");
}

void report_write_failure(const FdWriter& out) {
  if (out.status() == FdWriter::Status::kError)
    spdlog::error("standard output: {}", std::strerror(out.error_number()));
}

// The pieces of one run, built from the Config, with what a table reload must swap.
class Pipeline {
 public:
  static std::unique_ptr<Pipeline> build(const Config& config);

  int run_files();
  int run_follow();

 private:
  Pipeline(const Config& config, std::shared_ptr<const CodeTable> table,
           std::unique_ptr<FieldExtractor> extractor, std::unique_ptr<Annotator> annotator);
  SearchOptions search_options();
  Sink& sink();
  void reload_table();
  uint64_t annotated_lines() const;
  void list_file(const std::string& path, uint64_t annotated);
  int finish(bool trouble);

  bool write_summary();
  bool start_metrics();
  void report_progress();
  void report_follow();
  void report_notices();

  const Config& config_;
  TableSet tables_;  // the code table and its annotator, swapped together on reload
  std::unique_ptr<FieldExtractor> extractor_;
  FdWriter out_{STDOUT_FILENO};
  Printer printer_;
  CountSink counter_;   // instead of printer_ with -c, -l and -q
  bool found_ = false;  // an input had an annotated line
  Matcher matcher_;
  std::optional<Summary> summary_;    // with --summary
  std::unique_ptr<Metrics> metrics_;  // with --metrics
  std::unique_ptr<MetricsServer> metrics_server_;
  uint64_t reported_bytes_ = 0, reported_lines_ = 0;  // what metrics_ has been told
  std::chrono::steady_clock::time_point next_files_report_{};
  Follower* follow_ = nullptr;  // while run_follow() runs
  Searcher searcher_;
  // Parses --codes again on SIGHUP, on a thread of its own; last, so that it stops first.
  TableReloader reloader_;
};

std::unique_ptr<Pipeline> Pipeline::build(const Config& config) {
  auto table = load_table(config.codes_file);
  if (!table) return nullptr;
  auto extractor = FieldExtractor::create(config.patterns);
  if (!extractor.extractor) {
    spdlog::error("--pattern {}", extractor.error);
    return nullptr;
  }
  auto annotator = Annotator::create(table, config.annotator);
  if (!annotator.annotator) {
    spdlog::error("--template: {}", annotator.error);
    return nullptr;
  }
  return std::unique_ptr<Pipeline>(new Pipeline(
      config, std::move(table), std::move(extractor.extractor), std::move(annotator.annotator)));
}

Pipeline::Pipeline(const Config& config, std::shared_ptr<const CodeTable> table,
                   std::unique_ptr<FieldExtractor> extractor, std::unique_ptr<Annotator> annotator)
    : config_(config),
      tables_{std::move(table), std::move(annotator), nullptr},
      extractor_(std::move(extractor)),
      printer_(out_, *tables_.annotator, config.printer),
      matcher_(make_matcher(tables_.table, *extractor_, config)),
      summary_(config.summary == Config::Summary::kNone ? std::nullopt
                                                        : std::optional<Summary>(tables_.table)),
      metrics_(config.metrics_address.empty()
                   ? nullptr
                   : std::make_unique<Metrics>(code_labels(*tables_.table))),
      searcher_(matcher_, sink(), search_options()),
      reloader_(  // the loader thread reads only the Config, which never changes
          [&config] {
            return load_table_set(config.codes_file, config.annotator,
                                  !config.metrics_address.empty());
          },
          [] { SignalEvents::wake(); }) {
  if (summary_) summary_->set_lang(config.annotator.lang);  // --summary follows --lang
  if (summary_) summary_->set_time_zone(config.time_zone);
}

SearchOptions Pipeline::search_options() {
  SearchOptions options;
  options.buffer_capacity = config_.buffer_size;
  options.parallel = Parallel::kAuto;
  options.between_reads = [this] {
    report_progress();
    report_follow();
    report_notices();
    reload_table();
  };
  // Line numbers and per-line callbacks cost a pass and a call: only the report and the
  // metrics pay for them, the plain filter does not.
  options.count_lines = summary_.has_value() || metrics_ != nullptr;
  if (summary_ || metrics_) {
    options.on_annotated = [this](uint64_t number, std::string_view line, const Verdict& v) {
      if (summary_) summary_->record(number, line, v);
      if (metrics_) metrics_->record_annotation(v, *tables_.table);
    };
  }
  return options;
}

Sink& Pipeline::sink() {
  if (config_.listing == Config::Listing::kLines) return printer_;
  return counter_;
}

uint64_t Pipeline::annotated_lines() const {
  return config_.listing == Config::Listing::kLines ? printer_.annotated_lines()
                                                    : counter_.annotated_lines();
}

// -c and -l: a line for the file just read.
void Pipeline::list_file(const std::string& path, uint64_t annotated) {
  if (config_.listing == Config::Listing::kCount)
    out_.write(config_.printer.with_filename ? fmt::format("{}:{}\n", file_label(path), annotated)
                                             : fmt::format("{}\n", annotated));
  else if (config_.listing == Config::Listing::kFiles && annotated != 0)
    out_.write(file_label(path) + "\n");
}

int Pipeline::run_files() {
  if (!start_metrics()) return kExitTrouble;
  if (use_file_jobs(config_)) {  // -j N: several files at once (file_jobs.h)
    const bool jobs_trouble = run_file_jobs(
        {config_, *tables_.annotator, matcher_, summary_ ? &*summary_ : nullptr, metrics_.get()});
    write_summary();
    return finish(jobs_trouble);
  }
  bool trouble = false;
  for (const auto& path : config_.inputs) {
    // -q: the answer is known (as grep -q, later files are not read, unless a report wants them)
    if (found_ && config_.listing == Config::Listing::kQuiet && !summary_ && !metrics_) break;
    if (summary_) summary_->begin_file(path);
    OpenResult opened = open_source(path);
    if (!opened.source) {
      spdlog::error("{}: {}", path, opened.error);
      if (summary_) summary_->end_file(0, 0, true);
      trouble = true;
      continue;
    }
    // Every format is recognised by its first bytes, on files and on stdin alike.
    const auto source = open_decompressing(std::move(opened.source));
    printer_.begin_file(file_label(path));
    const uint64_t annotated_before = annotated_lines();
    const SearchResult result = searcher_.search(*source);
    const uint64_t annotated = annotated_lines() - annotated_before;
    found_ = found_ || annotated != 0;
    list_file(path, annotated);
    report_progress();
    if (result.read_failed) {
      spdlog::error("{}: {}", source->name(), result.error);
      if (metrics_) metrics_->record_read_error();
      trouble = true;
    }
    if (summary_) summary_->end_file(result.lines, result.bytes, result.read_failed);
    if (result.output_failed) break;
  }
  if (!write_summary()) trouble = true;
  return finish(trouble);
}

// One file is followed by a FollowSource; several, globs or -H by a FollowSet.
std::unique_ptr<Follower> make_follower(const Config& config) {
  if (config.inputs.size() == 1 && !is_glob(config.inputs.front()) && !config.with_filename)
    return std::make_unique<FollowSource>(
        FollowOptions{config.inputs.front(), config.state_file, config.olddir, config.lines});
  return std::make_unique<FollowSet>(FollowSetOptions{
      config.inputs, config.state_file, config.olddir, config.lines, config.with_filename});
}

// Follows the files until SIGTERM or SIGINT, then flushes, saves the state and ends.
int Pipeline::run_follow() {
  if (!SignalEvents::install()) {
    spdlog::error("cannot set up signal handling: {}", std::strerror(errno));
    return kExitTrouble;
  }
  if (!start_metrics()) return kExitTrouble;
  const std::unique_ptr<Follower> follower = make_follower(config_);
  Follower& source = *follower;
  follow_ = &source;
  report_follow();
  if (!source.start_error().empty()) {  // before anything is read
    spdlog::error("{}", source.start_error());
    follow_ = nullptr;
    return kExitTrouble;
  }
  if (summary_) summary_->begin_file(source.name());
  const SearchResult result = searcher_.search(source);
  report_progress();
  report_follow();
  follow_ = nullptr;
  if (summary_) summary_->end_file(result.lines, result.bytes, result.read_failed);
  bool trouble = !write_summary();
  if (result.read_failed) {
    spdlog::error("{}: {}", source.name(), result.error);
    if (metrics_) {
      metrics_->record_read_error();
      metrics_->set_healthy(false);
    }
    trouble = true;
  }
  out_.flush();
  if (out_.status() == FdWriter::Status::kOk) source.checkpoint(result.unwritten);
  if (const std::string error = source.save_state(); !error.empty()) {
    spdlog::error("{}", error);
    trouble = true;
  }
  return finish(trouble);
}

// SIGHUP: the --codes file is read again, on the reloader's thread; the new set goes in at the
// first read boundary after it is ready (a wake-up makes one at once when following). A bad file
// is reported and the last good table stays.
void Pipeline::reload_table() {
  if (SignalEvents::take_reload_request()) reloader_.request();
  if (auto load = reloader_.take()) {
    reloader_.retire(
        apply_table_load(std::move(*load), tables_, searcher_, printer_, metrics_.get()));
  }
}

bool Pipeline::start_metrics() {
  if (!metrics_) return true;
  std::string error;
  metrics_server_ = MetricsServer::start(config_.metrics_address, *metrics_, error);
  if (!metrics_server_) spdlog::error("--metrics: {}", error);
  if (metrics_server_ && asks_any_port(config_.metrics_address))
    spdlog::info("metrics on http://{}/metrics", metrics_server_->address());
  return metrics_server_ != nullptr;
}

// Tells the metrics what the searcher has read since the last call (once per read, not per line).
void Pipeline::report_progress() {
  if (!metrics_) return;
  const SearchResult& progress = searcher_.progress();
  if (progress.bytes < reported_bytes_ || progress.lines < reported_lines_)
    reported_bytes_ = reported_lines_ = 0;  // a new source started from zero
  metrics_->add_read(progress.bytes - reported_bytes_, progress.lines - reported_lines_);
  reported_bytes_ = progress.bytes;
  reported_lines_ = progress.lines;
}

// Follow mode's messages (how it resumed, losses, a path it cannot read) go out as they come;
// /healthz says 503 while no file can be read.
void Pipeline::report_follow() {
  if (!follow_) return;
  for (const std::string& note : follow_->take_notes()) spdlog::warn("{}", note);
  if (!metrics_) return;
  if (follow_->problem().empty() != metrics_->healthy() ||
      follow_->problem() != metrics_->health_reason())
    metrics_->set_health(follow_->problem().empty(), follow_->problem());
  metrics_->set_follow_losses(follow_->deleted_files(), follow_->truncations());
  // Per-file lines, a few times a second (a mutex and a short list).
  const auto now = std::chrono::steady_clock::now();
  if (now < next_files_report_) return;
  next_files_report_ = now + std::chrono::milliseconds(250);
  std::vector<MetricsSnapshot::Count> files;
  for (auto& [file, lines] : follow_->lines_by_file())
    files.push_back(MetricsSnapshot::Count{{}, {}, lines, std::move(file)});
  if (!files.empty()) metrics_->set_follow_files(std::move(files));
}

// How the printer got by when a long line did not fit its spool: said as it happens.
void Pipeline::report_notices() {
  const std::string notices = printer_.take_notice();
  for (std::string_view rest = notices; !rest.empty();) {  // one line each, each with the prefix
    const size_t end = std::min(rest.find('\n'), rest.size());
    spdlog::warn("{}", rest.substr(0, end));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
}

// The report goes to stderr as it is, without the logger's prefix: it is output for a person
// (or, as JSON, for a machine), not a diagnostic. With --summary-file it replaces that file
// instead (write, then rename), so that stderr keeps only diagnostics. False when that failed.
bool Pipeline::write_summary() {
  if (!summary_) return true;
  out_.flush();  // the annotated lines first, when both go to a terminal
  std::string report;
  if (config_.summary == Config::Summary::kJson)
    summary_->render_json(report);
  else
    summary_->render_text(report, config_.summary_file.empty() && config_.summary_color);
  if (!config_.summary_file.empty()) {
    const std::string error = replace_file(config_.summary_file, report);
    if (!error.empty()) spdlog::error("{}", error);
    return error.empty();
  }
  std::fwrite(report.data(), 1, report.size(), stderr);
  std::fflush(stderr);
  return true;
}

int Pipeline::finish(bool trouble) {
  out_.flush();
  report_notices();
  report_write_failure(out_);
  if (out_.status() == FdWriter::Status::kError) {
    trouble = true;
    if (metrics_) metrics_->record_write_error();
  }
  if (!printer_.spool_error().empty()) {
    spdlog::error("{}", printer_.spool_error());
    trouble = true;
  }
  // The filter's status is 0 or 2. -c, -l and -q answer as grep: 0 found, 1 none, 2 trouble;
  // with -q what was found wins over trouble, as with grep -q.
  if (config_.listing == Config::Listing::kLines) return trouble ? kExitTrouble : kExitOk;
  if (found_ && (!trouble || config_.listing == Config::Listing::kQuiet)) return kExitOk;
  return trouble ? kExitTrouble : kExitNotFound;
}

// --explain, --list-codes and -V: the table the run would use, printed to stdout.
int print_table(const Config& config) {
  const auto table = load_table(config.codes_file);
  if (!table) return kExitTrouble;
  const bool json = config.printer.format == OutputFormat::kJson;
  bool all_known = true;
  const std::string text = config.show_version ? version_text(*table, config.codes_file)
                           : config.list_codes
                               ? list_codes(*table, json)
                               : explain_codes(*table, config.explain, json, all_known);
  FdWriter out(STDOUT_FILENO);
  out.write(text);
  out.flush();
  report_write_failure(out);
  if (!all_known) spdlog::error("--explain: a code is not in the code table");
  return all_known && out.status() != FdWriter::Status::kError ? kExitOk : kExitTrouble;
}

}  // namespace

int run(const Config& config) {
  set_up_logging();
  if (!config.probe_url.empty()) return run_probe(config.probe_url);
  if (config.show_version || config.list_codes || !config.explain.empty())
    return print_table(config);
  if (config.sort_by_time) {  // the same run, over the files in time order
    Config ordered = config;
    ordered.inputs = sort_inputs_by_time(config.inputs, config.time_zone);
    ordered.sort_by_time = false;
    return run(ordered);
  }
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout becomes EPIPE, which ends the run quietly
  enlarge_pipe(STDOUT_FILENO);
  enlarge_pipe(STDIN_FILENO);
  const auto pipeline = Pipeline::build(config);
  if (!pipeline) return kExitTrouble;
  return config.follow ? pipeline->run_follow() : pipeline->run_files();
}

}  // namespace coinone
