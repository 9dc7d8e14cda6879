#include "coinone_annotate/app/file_jobs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "coinone_annotate/base/cpus.h"
#include "coinone_annotate/input/decompress.h"
#include "coinone_annotate/input/source.h"
#include "coinone_annotate/output/fd_writer.h"
#include "coinone_annotate/output/ordered_output.h"
#include "coinone_annotate/output/printer.h"
#include "coinone_annotate/search/searcher.h"

namespace coinone {

namespace {

// An annotated line kept for --summary and the metrics until its file's turn.
struct Record {
  uint64_t line_number = 0;
  std::optional<LeadingTime> time;  // its leading timestamp (Summary::line_time)
  std::vector<std::pair<std::string, const CodeEntry*>> codes;
  size_t more = 0;
};

// What one file leaves to be done in its turn.
struct FileReport {
  std::string path;
  std::string name;        // the source's name, for a read error
  std::string open_error;  // it could not be opened
  SearchResult result;
  std::unique_ptr<OutputLane> lane;
  uint64_t spooled = 0;  // bytes the job's writer wrote
  FdWriter::Status write_status = FdWriter::Status::kOk;
  int write_error = 0;
  bool failed_direct = false;  // the writer failed while writing to standard output
  std::string notices, printer_error;
  bool begun = false;         // the summary knows the file (its turn came while it was searched)
  bool opened = false;        // its source could be opened: -j1's printer began the file
  bool led = false;           // lead() was asked, in its turn
  bool unterminated = false;  // its output ended without a newline
  std::vector<Record> records;
};

// The state shared by the workers; what is not atomic is only touched in turns.
class Run {
 public:
  explicit Run(const FileJobsSetup& setup) : setup_(setup), turns_(setup.config.inputs.size()) {}

  const FileJobsSetup& setup() const { return setup_; }
  OutputTurns& turns() { return turns_; }
  SpoolPool& spools() { return spools_; }
  // The next job to take, or none once all are taken or the output failed.
  std::optional<size_t> take() {
    const size_t index = next_.fetch_add(1);
    if (index >= setup_.config.inputs.size() || turns_.stopped()) return std::nullopt;
    return index;
  }
  void begin(FileReport& report);
  std::string_view lead(FileReport& report);
  void in_turn(FileReport& report);
  bool finish();  // after every job: reports standard output's failure; returns trouble

 private:
  void replay(const Record& record);
  void check_output(FileReport& report);
  void report_notices(const std::string& notices);

  const FileJobsSetup& setup_;
  OutputTurns turns_;
  SpoolPool spools_;
  std::atomic<size_t> next_{0};
  // In turns only.
  bool trouble_ = false;
  int out_error_ = 0;                           // standard output failed with this errno
  std::set<std::string, std::less<>> noticed_;  // each notice once a run, as one printer does
  // The output so far ended without a newline: the next file opened starts with one, as -j1's
  // printer does at begin_file(), though another worker wrote the file before.
  bool unterminated_ = false;
  Verdict verdict_;
};

// Tells the summary of the file, and replays what was kept for it: the start of its turn.
void Run::begin(FileReport& report) {
  if (report.begun) return;
  report.begun = true;
  if (setup_.summary) setup_.summary->begin_file(report.path);
  for (const Record& record : report.records) replay(record);
  report.records = {};
}

// In the file's turn, before its first byte goes to standard output: the newline that the
// output before it left out, if the file was opened (a file that could not be opened writes
// nothing and leaves the newline to the next). Once a file.
std::string_view Run::lead(FileReport& report) {
  if (report.led || !report.opened) return {};
  report.led = true;
  return std::exchange(unterminated_, false) ? "\n" : "";
}

void Run::replay(const Record& record) {
  verdict_.clear();
  for (const auto& [digits, entry] : record.codes) verdict_.shown.push_back({digits, entry});
  verdict_.more = record.more;
  if (setup_.summary) setup_.summary->record_at(record.line_number, record.time, verdict_);
  if (setup_.metrics) setup_.metrics->record_annotation(verdict_, setup_.matcher.table());
}

// What one file left, in its turn: its spooled output, its records, its messages.
void Run::in_turn(FileReport& report) {
  if (turns_.stopped()) return;  // standard output failed before: nothing more is said
  report.lane->drain(report.spooled);
  if (report.opened) unterminated_ = report.unterminated;
  begin(report);
  check_output(report);  // a failed standard output stops the run after this file, as with -j1
  report_notices(report.notices);
  if (!report.open_error.empty()) {
    spdlog::error("{}: {}", report.path, report.open_error);
    if (setup_.summary) setup_.summary->end_file(0, 0, true);
    trouble_ = true;
    return;
  }
  const SearchResult& result = report.result;
  if (result.read_failed) {
    spdlog::error("{}: {}", report.name, result.error);
    if (setup_.metrics) setup_.metrics->record_read_error();
    trouble_ = true;
  }
  if (setup_.summary) setup_.summary->end_file(result.lines, result.bytes, result.read_failed);
  if (!report.printer_error.empty()) {  // a long line was lost: the run ends, as with -j1
    spdlog::error("{}", report.printer_error);
    trouble_ = true;
    turns_.stop();
  }
}

// Standard output failed: the run stops. A spool that failed is this file's error.
void Run::check_output(FileReport& report) {
  const OutputLane& lane = *report.lane;
  int out_error = lane.out_error();
  if (out_error == 0 && report.failed_direct)
    out_error = report.write_status == FdWriter::Status::kBrokenPipe ? EPIPE : report.write_error;
  if (out_error != 0) {
    out_error_ = out_error;
    turns_.stop();
    return;
  }
  std::string spool_error = lane.error();
  if (spool_error.empty() && report.write_status != FdWriter::Status::kOk)
    spool_error = fmt::format("cannot spool the output: {}", std::strerror(report.write_error));
  if (spool_error.empty()) return;
  spdlog::error("{}: {}", report.path, spool_error);
  trouble_ = true;
}

void Run::report_notices(const std::string& notices) {
  for (std::string_view rest = notices; !rest.empty();) {
    const size_t end = std::min(rest.find('\n'), rest.size());
    const std::string_view line = rest.substr(0, end);
    if (noticed_.insert(std::string(line)).second) spdlog::warn("{}", line);
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
}

bool Run::finish() {
  if (out_error_ != 0 && out_error_ != EPIPE) {
    spdlog::error("standard output: {}", std::strerror(out_error_));
    if (setup_.metrics) setup_.metrics->record_write_error();
    trouble_ = true;
  }
  return trouble_;
}

// The printer of the job under way, with its lane's flush points: where the job's output is
// switched to standard output when its turn comes.
class LaneSink final : public Sink {
 public:
  LaneSink(Printer& printer, FdWriter& writer, std::function<void()> on_turn)
      : printer_(printer), writer_(writer), on_turn_(std::move(on_turn)) {}
  // The job under way writes through `lane`; its bytes are counted from here.
  void start(OutputLane& lane) {
    lane_ = &lane;
    base_ = writer_.bytes_written();
  }
  uint64_t written() const { return writer_.bytes_written() - base_; }

  void passthrough(std::string_view bytes) override { printer_.passthrough(bytes); }
  void line_piece(std::string_view bytes) override { printer_.line_piece(bytes); }
  void line_end(std::string_view rest, std::string_view terminator,
                const Verdict& verdict) override {
    printer_.line_end(rest, terminator, verdict);
  }
  void flush() override {
    printer_.flush();
    if (!printer_.failed() && lane_->at_flush(written())) on_turn_();
  }
  bool failed() const override { return printer_.failed() || lane_->failed(); }

 private:
  Printer& printer_;
  FdWriter& writer_;
  std::function<void()> on_turn_;
  OutputLane* lane_ = nullptr;
  uint64_t base_ = 0;
};

// One worker thread: takes jobs in argument order until none is left.
//
// Its writer, printer and searcher serve one job after another, writing to a descriptor of the
// worker's that each job's lane points where that job's output goes: their buffers are made
// once (making them for each of 2000 small files took ten times as long as the search itself,
// page faults on fresh buffers).
class Worker {
 public:
  // With its own extractor, or with the setup's matcher (extractor null: the calling thread).
  Worker(Run& run, std::unique_ptr<FieldExtractor> extractor, bool inner_threads)
      : run_(run),
        extractor_(std::move(extractor)),
        own_matcher_(extractor_ ? std::optional<Matcher>(run.setup().matcher.rebound(*extractor_))
                                : std::nullopt),
        matcher_(own_matcher_ ? *own_matcher_ : run.setup().matcher),
        inner_threads_(inner_threads),
        fd_(::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0)) {}
  ~Worker() {
    if (fd_ >= 0) ::close(fd_);
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void work() {
    while (const auto index = run_.take()) search_file(*index);
  }

 private:
  // The writer, printer and searcher, made again after a failure (a writer's is sticky).
  struct Tools {
    FdWriter writer;
    Printer printer;
    LaneSink sink;
    Searcher searcher;
    Tools(Worker& worker, const FileJobsSetup& setup)
        : writer(worker.fd_),
          printer(writer, setup.annotator, setup.config.printer),
          sink(printer, writer, [&worker] { worker.run_.begin(*worker.report_); }),
          searcher(worker.matcher_, sink, worker.options()) {}
  };

  void search_file(size_t index);
  SearchResult search(FileReport& report, Searcher& searcher);
  SearchOptions options();
  void keep(uint64_t number, std::string_view line, const Verdict& verdict);
  void report_progress();

  Run& run_;
  std::unique_ptr<FieldExtractor> extractor_;
  std::optional<Matcher> own_matcher_;
  Matcher& matcher_;
  bool inner_threads_;
  int fd_;  // where the writer writes: each lane points it at its spool or at standard output
  std::unique_ptr<Tools> tools_;
  std::shared_ptr<FileReport> report_;                // the job under way
  uint64_t reported_bytes_ = 0, reported_lines_ = 0;  // of the job under way, to the metrics
};

SearchOptions Worker::options() {
  const FileJobsSetup& setup = run_.setup();
  SearchOptions options;
  options.buffer_capacity = setup.config.buffer_size;
  options.parallel = inner_threads_ ? Parallel::kAuto : Parallel::kOff;
  options.count_lines = setup.summary != nullptr || setup.metrics != nullptr;
  if (setup.metrics) options.between_reads = [this] { report_progress(); };
  if (options.count_lines) {
    options.on_annotated = [this](uint64_t number, std::string_view line, const Verdict& verdict) {
      keep(number, line, verdict);
    };
  }
  return options;
}

// Tells the metrics what the search read since the last call (they count in any order).
void Worker::report_progress() {
  const SearchResult& progress = tools_->searcher.progress();
  if (progress.bytes < reported_bytes_ || progress.lines < reported_lines_)
    reported_bytes_ = reported_lines_ = 0;  // a new file started from zero
  run_.setup().metrics->add_read(progress.bytes - reported_bytes_,
                                 progress.lines - reported_lines_);
  reported_bytes_ = progress.bytes;
  reported_lines_ = progress.lines;
}

// In the file's turn the line goes to the summary and the metrics at once; before it, it is kept.
void Worker::keep(uint64_t number, std::string_view line, const Verdict& verdict) {
  const FileJobsSetup& setup = run_.setup();
  FileReport& report = *report_;
  if (report.begun) {
    if (setup.summary) setup.summary->record(number, line, verdict);
    if (setup.metrics) setup.metrics->record_annotation(verdict, matcher_.table());
    return;
  }
  Record& record = report.records.emplace_back();
  record.line_number = number;
  if (setup.summary) record.time = setup.summary->line_time(line);
  for (const ShownCode& shown : verdict.shown)
    record.codes.emplace_back(std::string(shown.digits), shown.entry);
  record.more = verdict.more;
}

SearchResult Worker::search(FileReport& report, Searcher& searcher) {
  OpenResult opened = open_source(report.path);
  if (!opened.source) {
    report.open_error = opened.error;
    return {};
  }
  const auto source = open_decompressing(
      std::move(opened.source), inner_threads_ ? DecodeThread::kAuto : DecodeThread::kNever);
  report.name = source->name();
  report.opened = true;
  // In its turn already: the newline the file before left out goes first (else the lane asks).
  if (report.lane->direct()) tools_->writer.write(run_.lead(report));
  return searcher.search(*source);
}

void Worker::search_file(size_t index) {
  const FileJobsSetup& setup = run_.setup();
  report_ = std::make_shared<FileReport>();
  FileReport& report = *report_;
  report.path = setup.config.inputs[index];
  report.lane = std::make_unique<OutputLane>(run_.turns(), run_.spools(), index, STDOUT_FILENO, fd_,
                                             setup.config.spool_limit);
  OutputLane& lane = *report.lane;
  if (!tools_) tools_ = std::make_unique<Tools>(*this, setup);
  Tools& tools = *tools_;
  tools.sink.start(lane);
  tools.printer.forget_unterminated();  // what the worker's previous file left
  lane.set_lead([run = &run_, done = report_.get()] { return run->lead(*done); });
  reported_bytes_ = reported_lines_ = 0;
  if (lane.direct() && !lane.failed()) run_.begin(report);
  if (!lane.failed()) report.result = search(report, tools.searcher);
  tools.sink.flush();  // the last bytes: the searcher leaves them for the next file's first flush
  if (setup.metrics) report_progress();
  report.spooled = tools.sink.written();
  report.write_status = tools.writer.status();
  report.write_error = tools.writer.error_number();
  report.failed_direct = tools.writer.status() != FdWriter::Status::kOk && lane.direct();
  report.unterminated = tools.printer.unterminated();
  report.notices = tools.printer.take_notice();
  report.printer_error = tools.printer.spool_error();
  if (tools.printer.failed()) tools_.reset();  // failures are sticky: the next job gets new ones
  run_.turns().finish(index, [run = &run_, done = std::move(report_)] { run->in_turn(*done); });
}

}  // namespace

bool use_file_jobs(const Config& config) {
  // grep's per-file options (-H, -n, -c, -l, -q) are not handled by the jobs yet: one thread.
  if (config.printer.with_filename || config.printer.line_numbers ||
      config.listing != Config::Listing::kLines)
    return false;
  return config.threads > 1 && config.inputs.size() > 1 &&
         std::count(config.inputs.begin(), config.inputs.end(), "-") <= 1;
}

bool run_file_jobs(const FileJobsSetup& setup) {
  Run run(setup);
  const size_t workers = std::min<size_t>(setup.config.threads, setup.config.inputs.size());
  // Two threads of one job pay only when the other jobs leave a CPU free for them.
  const bool inner_threads = usable_cpus() >= 2 * workers;
  std::vector<std::unique_ptr<Worker>> helpers;
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; ++i) {
    std::unique_ptr<FieldExtractor> extractor = setup.matcher.extractor().clone();
    if (!extractor) break;  // no clone: fewer workers
    helpers.push_back(std::make_unique<Worker>(run, std::move(extractor), inner_threads));
    try {
      threads.emplace_back([worker = helpers.back().get()] { worker->work(); });
    } catch (const std::system_error&) {
      helpers.pop_back();  // no thread to be had (a process limit): fewer workers
      break;
    }
  }
  Worker(run, nullptr, inner_threads).work();
  for (std::thread& thread : threads) thread.join();
  return run.finish();
}

}  // namespace coinone
