// Table reloads: a set swapped in while the helper thread holds a block matched against the old
// table, and reloads that fail (a bad file, an annotator that cannot be rebuilt).
#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "coinone_annotate/app/table_reload.h"
#include "coinone_annotate/match/field_extractor.h"
#include "coinone_annotate/match/matcher.h"
#include "coinone_annotate/output/fd_writer.h"
#include "coinone_annotate/output/printer.h"
#include "coinone_annotate/report/metrics.h"
#include "coinone_annotate/search/searcher.h"
#include "test_util.h"

using namespace coinone;
using namespace coinone::testing;

namespace {

std::string write_codes(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.path + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string dense_line(size_t i) { return "line " + std::to_string(i) + " error_code=7001"; }

uint64_t code_count(const MetricsSnapshot& s, std::string_view code) {
  for (const auto& c : s.codes)
    if (c.code == code) return c.value;
  return 0;
}

// Sends spdlog's messages to a string for the scope, as the program prints them.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(text_);
    auto logger = std::make_shared<spdlog::logger>("captured", sink);
    logger->set_pattern("coinone-annotate: %v");
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::string text() const { return text_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream text_;
};

// CPU time of this thread: a bound on it holds on a machine busy with other work, unlike one on
// the clock on the wall.
double thread_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace

TEST_SUITE("table_reload") {
  // Loading was quadratic in the number of categories (80 000 rows: 13.6 s); this load took
  // about 30 s of CPU then, and takes 0.2 s (1 s under ASan) now.
  TEST_CASE("a large table with as many categories as codes loads in linear time") {
    TempDir dir;
    constexpr size_t kCodes = 100000;
    std::string text;
    for (size_t i = 0; i < kCodes; ++i) {
      const std::string n = std::to_string(10000 + i);
      text += n + "\tCategory " + n + "\tretry-later\tyes\tMeaning " + n + "\n";
    }
    const std::string codes = write_codes(dir, "large.tsv", text);
    const double start = thread_seconds();
    const TableLoad load = load_table_set(codes, {}, true);
    const double took = thread_seconds() - start;
    REQUIRE(load.error.empty());
    CHECK(load.set.table->entries().size() == kCodes + builtin_code_table().entries().size());
    CHECK(load.set.table->find("109999")->english == "Meaning 109999");
    CHECK(load.set.labels != nullptr);
    CAPTURE(took);
    CHECK(took < 5.0);
  }

  // The helper thread scans block k+1 against the table of the moment while block k is written.
  // A reload between reads must let the searcher drain that block with the old annotator before
  // the new one takes over: the other way round, the new annotator indexes its table with the
  // old table's entries (out of bounds; ASan reports it, a plain build prints garbage or dies).
  TEST_CASE("a reload while the helper holds a block: old lines keep the old meaning") {
    TempDir dir;
    const std::string first =
        write_codes(dir, "first.tsv", "7001\tNew\tretry-later\tyes\tFirst meaning\n");
    const std::string second =
        write_codes(dir, "second.tsv",
                    "7002\tOther\tfix-request\tno\tFiller\n7001\tNew\tretry-later\tyes\t"
                    "Second meaning\n");
    TableLoad start = load_table_set(first, {});
    REQUIRE(start.error.empty());
    TableSet current = std::move(start.set);

    std::string input;
    constexpr size_t kLines = 200000;  // 5 MiB of annotated lines: several dense blocks
    for (size_t i = 0; i < kLines; ++i) input += dense_line(i) + "\n";

    auto extractor = FieldExtractor::create({});
    REQUIRE(extractor.extractor);
    Matcher matcher(current.table, *extractor.extractor, false);
    MemoryFd out;
    FdWriter writer(out.fd());
    Printer printer(writer, *current.annotator, {});
    Metrics metrics(code_labels(*current.table));
    Searcher* searcher = nullptr;
    uint64_t swapped_at = 0;  // bytes read when the new set went in
    TableSet retired;
    SearchOptions options;
    options.buffer_capacity = 1 << 20;
    options.parallel = Parallel::kAlways;  // the helper runs even on one CPU
    options.between_reads = [&] {
      if (swapped_at != 0 || searcher->progress().blocks_ahead == 0) return;
      swapped_at = searcher->progress().bytes;
      retired = apply_table_load(load_table_set(second, {}), current, *searcher, printer, &metrics);
    };
    options.on_annotated = [&](uint64_t, std::string_view, const Verdict& verdict) {
      metrics.record_annotation(verdict, *current.table);
    };
    Searcher search(matcher, printer, options);
    searcher = &search;
    StringSource source(input, 512 * 1024);
    const SearchResult result = search.search(source);
    writer.flush();

    CHECK(result.blocks_ahead > 0);
    REQUIRE(swapped_at > 0);
    CHECK(retired.table != nullptr);
    std::string expected;
    size_t at = 0;
    for (size_t i = 0; i < kLines; ++i) {
      const std::string line = dense_line(i);
      at += line.size() + 1;
      expected += line + " [coinone 7001 New: " + (at <= swapped_at ? "First" : "Second") +
                  " meaning -> retry-later]\n";
    }
    const std::string got = out.contents();
    CHECK(got.size() == expected.size());
    CHECK(got == expected);
    const MetricsSnapshot s = metrics.snapshot();
    CHECK(s.table_reloads == 1);
    CHECK(code_count(s, "7001") == kLines);  // counted across the swap, none lost
  }

  TEST_CASE("a failed reload is logged, counted, and keeps the previous set") {
    TempDir dir;
    const std::string good = write_codes(dir, "good.tsv", "7001\tNew\tretry-later\tyes\tGood\n");
    const std::string bad = write_codes(dir, "bad.tsv", "not a table\n");
    struct Case {
      std::string what;
      std::string codes_file;
      std::string text_template;
      std::string message;  // the start of what is logged
    };
    const std::vector<Case> cases{
        {"a bad file", bad, "", "coinone-annotate: " + bad + ":1: expected 5 or 6"},
        {"a missing file", dir.path + "/none.tsv", "",
         "coinone-annotate: " + dir.path + "/none.tsv: No such file or directory"},
        // The template is checked at start-up, so in a real run the rebuild fails only on
        // exhausted resources; a bad template stands in for that here.
        {"an annotator that cannot be rebuilt", good, "{nonsense}",
         "coinone-annotate: --template: bad template '{nonsense}'"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.what);
      AnnotatorOptions options;
      options.text_template = c.text_template;
      TableLoad start = load_table_set(good, {});
      REQUIRE(start.error.empty());
      TableSet current = std::move(start.set);
      const CodeTable* before = current.table.get();
      auto extractor = FieldExtractor::create({});
      Matcher matcher(current.table, *extractor.extractor, false);
      MemoryFd out;
      FdWriter writer(out.fd());
      Printer printer(writer, *current.annotator, {});
      Searcher searcher(matcher, printer, {});
      Metrics metrics(code_labels(*current.table));
      std::string log;
      {
        CapturedLog captured;
        const TableSet old = apply_table_load(load_table_set(c.codes_file, options), current,
                                              searcher, printer, &metrics);
        CHECK(old.table == nullptr);
        log = captured.text();
      }
      CHECK(log.starts_with(c.message));
      CHECK(log.find("coinone-annotate: keeping the previous code table\n") != std::string::npos);
      CHECK(metrics.snapshot().table_reload_failures == 1);
      CHECK(metrics.snapshot().table_reloads == 0);
      CHECK(current.table.get() == before);
      CHECK(current.annotator != nullptr);
    }
  }

  TEST_CASE("the reloader loads on its own thread, folds requests, and take() never waits") {
    std::mutex mutex;
    std::condition_variable changed;
    bool release = false;
    int loads = 0;
    std::thread::id loader;
    std::atomic<int> ready{0};
    TableReloader reloader(
        [&] {
          std::unique_lock lock(mutex);
          ++loads;
          loader = std::this_thread::get_id();
          changed.notify_all();
          changed.wait(lock, [&] { return release; });
          TableLoad load;
          load.error = "load " + std::to_string(loads);
          return load;
        },
        [&] { ++ready; });
    CHECK_FALSE(reloader.take().has_value());
    reloader.request();
    {
      std::unique_lock lock(mutex);
      REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return loads == 1; }));
    }
    reloader.request();  // two more while the first load runs: one more load after it
    reloader.request();
    CHECK_FALSE(reloader.take().has_value());  // under way: take() does not wait for it
    {
      std::lock_guard lock(mutex);
      release = true;
    }
    changed.notify_all();
    for (int i = 0; i < 1000 && ready < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(ready == 2);
    const auto got = reloader.take();
    REQUIRE(got.has_value());
    CHECK(got->error == "load 2");  // the newer load replaced the one not taken
    CHECK(loads == 2);
    CHECK(loader != std::this_thread::get_id());
    CHECK_FALSE(reloader.take().has_value());
  }
}
