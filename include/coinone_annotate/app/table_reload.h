// Table reload: the code table and what is built from it, loaded off the hot path and swapped in
// between reads.
//
// A TableSet is one code table with the annotator rendered from it and, with --metrics, the
// metric labels of its codes. The three refer to each other (an annotator indexes its own table's
// entries; Metrics counts by index into the table), so they are only ever swapped as one.
//
// load_table_set() reads the built-in table with the --codes file merged over it and builds the
// rest. It logs nothing and touches no shared state, so it may run on any thread; a failure
// (including an exception such as std::bad_alloc) comes back as the message to print ("PATH:
// reason", "PATH:LINE: reason", "--template: reason").
//
// TableReloader runs those loads on a thread of its own: a 400 000-code file takes about a second
// to read, parse and render, which following must not wait for. The searching thread polls it
// between reads (take(), which never blocks) and installs a finished load with
// apply_table_load(); the sets replaced go back to the loader thread to be freed (freeing 400 000
// entries, their annotations and labels takes tens of milliseconds too).
//
// apply_table_load() installs a loaded set in the searcher, the printer and the metrics, in an
// order that keeps every verdict with the annotator of the table it was made from (see the
// function); or, when the load failed, it logs why, keeps the previous set and counts the failure
// in the metrics. Its cost is that of draining the block at the scan-ahead helper and one pass
// over the metrics' counters.
#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/output/annotator.h"
#include "coinone_annotate/output/printer.h"
#include "coinone_annotate/report/metrics.h"
#include "coinone_annotate/search/searcher.h"

namespace coinone {

struct TableSet {
  std::shared_ptr<const CodeTable> table;
  std::unique_ptr<Annotator> annotator;
  // code_labels(*table), prepared (with --metrics). Metrics keeps it once installed.
  std::shared_ptr<Metrics::LabelSet> labels;
};

struct TableLoad {
  TableSet set;       // complete when error is empty
  std::string error;  // what to print, without the program's prefix
};

// The built-in table with `codes_file` (none when empty) merged over it; null, with `error` set
// to the message, on a bad file.
std::shared_ptr<const CodeTable> load_code_table(const std::string& codes_file, std::string& error);

// The same with its annotator and, when with_labels, its prepared metric labels.
TableLoad load_table_set(const std::string& codes_file, const AnnotatorOptions& options,
                         bool with_labels = false);

// Installs load.set in place of `current`, or reports load.error and keeps `current`. Returns the
// set that was replaced (empty when none was), for the caller to free where it costs nothing.
// `metrics` may be null. Call from the searching thread, between reads.
TableSet apply_table_load(TableLoad load, TableSet& current, Searcher& searcher, Printer& printer,
                          Metrics* metrics);

// Loads on a thread of its own (see the top of this file).
//
// request() asks for a load; requests made while one runs are folded into one more load after it,
// which reads the file as it is then. take() hands over the last finished load, if any. retire()
// gives the loader a set to free. The thread starts with the first request, so a run that is
// never reloaded has none; when it cannot be started, request() loads on the caller's thread.
// `on_ready` runs on the loader thread after each load (to wake the searching thread).
//
// Not copyable. Call from one thread. The destructor waits for a load under way to end (a load
// cannot be interrupted), then joins.
class TableReloader {
 public:
  TableReloader(std::function<TableLoad()> load, std::function<void()> on_ready);
  ~TableReloader();
  TableReloader(const TableReloader&) = delete;
  TableReloader& operator=(const TableReloader&) = delete;

  void request();
  std::optional<TableLoad> take();
  void retire(TableSet set);

 private:
  void loop();

  std::function<TableLoad()> load_;
  std::function<void()> on_ready_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool quit_ = false;
  std::optional<TableLoad> done_;  // a finished load not yet taken
  std::vector<TableSet> retired_;  // to be freed on the loader thread
  std::thread thread_;
};

}  // namespace coinone
