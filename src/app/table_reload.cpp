#include "coinone_annotate/app/table_reload.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>
#include <system_error>

namespace coinone {

std::shared_ptr<const CodeTable> load_code_table(const std::string& codes_file,
                                                 std::string& error) {
  auto table = std::make_shared<CodeTable>(builtin_code_table());
  if (codes_file.empty()) return table;
  std::ifstream in(codes_file, std::ios::binary);
  if (!in) {
    error = fmt::format("{}: {}", codes_file, std::strerror(errno));
    return nullptr;
  }
  std::ostringstream text;
  text << in.rdbuf();
  TableParse parsed = parse_code_table(text.str());
  if (!parsed.table) {
    error = fmt::format("{}:{}: {}", codes_file, parsed.error_line, parsed.error);
    return nullptr;
  }
  table->merge(*parsed.table);
  return table;
}

// The template was checked at start-up, so the annotator's rebuild fails only when resources run
// out (std::bad_alloc), or if a template ever fails on some entry and not on the sample values:
// either way the reload fails, says why, and is counted, rather than vanishing or ending the run.
TableLoad load_table_set(const std::string& codes_file, const AnnotatorOptions& options,
                         bool with_labels) {
  TableLoad load;
  try {
    auto table = load_code_table(codes_file, load.error);
    if (!table) return load;
    auto annotator = Annotator::create(table, options);
    if (!annotator.annotator) {
      load.error = "--template: " + annotator.error;
      return load;
    }
    if (with_labels) load.set.labels = Metrics::prepare_labels(code_labels(*table));
    load.set.table = std::move(table);
    load.set.annotator = std::move(annotator.annotator);
  } catch (const std::exception& e) {
    load.set = {};
    load.error = fmt::format("{}: cannot load the code table: {}",
                             codes_file.empty() ? "built-in table" : codes_file, e.what());
  }
  return load;
}

TableSet apply_table_load(TableLoad load, TableSet& current, Searcher& searcher, Printer& printer,
                          Metrics* metrics) {
  if (!load.error.empty()) {
    spdlog::error("{}", load.error);
    spdlog::error("keeping the previous code table");
    if (metrics) metrics->record_table_reload_failure();
    return {};
  }
  // The searcher first: it drains the block at the helper thread, whose verdicts point into the
  // old table, through the old annotator. Only then may the printer take the new annotator,
  // which indexes its own table's entries (given an old entry, it read out of bounds).
  searcher.set_table(load.set.table);
  printer.set_annotator(*load.set.annotator);
  TableSet old = std::exchange(current, std::move(load.set));
  if (metrics) {
    if (!current.labels) current.labels = Metrics::prepare_labels(code_labels(*current.table));
    old.labels = metrics->set_labels(std::move(current.labels));
    metrics->record_table_reload();
  }
  spdlog::info("reloaded the code table ({} codes)", current.table->entries().size());
  return old;
}

TableReloader::TableReloader(std::function<TableLoad()> load, std::function<void()> on_ready)
    : load_(std::move(load)), on_ready_(std::move(on_ready)) {}

TableReloader::~TableReloader() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void TableReloader::request() {
  if (!thread_.joinable()) {
    try {
      thread_ = std::thread(&TableReloader::loop, this);
    } catch (const std::system_error&) {  // e.g. at a container's process limit
      done_ = load_();
      return;
    }
  }
  {
    std::lock_guard lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
}

std::optional<TableLoad> TableReloader::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(done_, std::nullopt);
}

void TableReloader::retire(TableSet set) {
  if (!thread_.joinable()) return;  // no loader thread: freed here
  {
    std::lock_guard lock(mutex_);
    retired_.push_back(std::move(set));
  }
  wake_.notify_one();
}

void TableReloader::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return quit_ || requested_ || !retired_.empty(); });
    std::vector<TableSet> garbage = std::move(retired_);
    retired_.clear();
    const bool load = requested_ && !quit_;
    requested_ = false;
    lock.unlock();
    garbage.clear();  // here rather than on the searching thread
    std::optional<TableLoad> loaded;
    if (load) loaded = load_();
    lock.lock();
    if (loaded) {
      done_ = std::move(loaded);  // a newer load replaces one not taken yet
      lock.unlock();
      on_ready_();
      lock.lock();
    }
    if (quit_) return;
  }
}

}  // namespace coinone
