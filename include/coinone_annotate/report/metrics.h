// Metrics: counters kept by the filter and exposed to Prometheus by MetricsServer.
//
// Two kinds of thread touch a Metrics object:
//   - recorders: the filter's own thread(s), on the per-line path. add_read(), record_*() and
//     set_healthy() take no lock and allocate nothing; each counter is a std::atomic<uint64_t>
//     bumped with memory_order_relaxed, one `lock add` on x86 (6 to 7 ns each on the test VM, an
//     AMD EPYC guest). Measured: record_annotation() of a line with one known code 18 ns (two
//     adds), add_read() 18 ns per block. Any number of threads may record at once.
//   - readers: the HTTP thread calls snapshot() (rendered by prometheus_text.h). They read each
//   counter
//     once, relaxed, so a snapshot is not one consistent cut (annotated_lines may be a step
//     behind the per-code counts); Prometheus neither needs nor expects one.
//
// Per-code counters. Known codes are identified by their index in the label list given at
// construction or to set_labels() (0..N-1; the index of a CodeEntry in CodeTable::entries(), see
// code_labels()). Only the codes and categories seen so far (a count above zero) are exported: a
// --codes table of 400 000 codes made every scrape 26 MB of zero-valued series. The price is
// Prometheus' increase() missing the first increment of a series, which has no earlier sample to
// compare with. Unknown codes are counted in one total, and individually for the first
// kMaxTrackedUnknown distinct code strings; tracking takes a mutex, because unknown codes are
// rare and the map must stay bounded whatever the input holds.
//
// Table reloads. set_labels() swaps in a new label list, keeping the counts of codes and
// categories that are still present (matched by code string and category name) so that their
// counters stay monotonic (a code that moves to another category takes its count there, and the
// category it left keeps it); codes and categories that are gone lose their series. The costly
// part, a list's maps of codes and categories, is built by prepare_labels(), which may run on
// any thread; set_labels() itself only walks the old list's counters and looks up the codes that
// have a count (under 1 ms for 400 000 codes), and hands the old list back so that the caller can
// free it elsewhere. The swap is guarded by a mutex taken only by set_labels() and by readers.
// Recorders do not take it, so set_labels() must not run while record_annotation() runs on
// another thread: call it from the recording thread, between lines, which is where the new table
// and annotator are installed anyway (indices only mean something relative to one table, so
// recording and reloading have to be ordered in any case). The alternatives cost the hot path an
// atomic shared_ptr copy (a lock in libstdc++ 12) or keep every retired table alive.
//
// Not copyable or movable (it holds atomics and mutexes and is shared by reference with the
// HTTP thread). It must outlive every MetricsServer that refers to it.
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/verdict.h"

namespace coinone {

// The labels of one known code: its digits, its category and its advice class (the table's
// `advice` field, such as "fix-keys"), as exported. An empty advice leaves that label out.
struct CodeLabel {
  std::string code;
  std::string category;
  std::string advice = {};
};

// The labels of every entry of `table`, in entries() order, so that an entry's index in
// table.entries() is its index for Metrics.
std::vector<CodeLabel> code_labels(const CodeTable& table);

// The values of a Metrics object at one moment (see the note on consistency above).
struct MetricsSnapshot {
  struct Count {
    std::string code;      // empty for categories
    std::string category;  // empty for unknown codes
    uint64_t value = 0;
    std::string file = {};    // follow mode's `file` label, else empty
    std::string advice = {};  // known codes: the advice class, else empty
  };

  uint64_t lines_read = 0;
  uint64_t bytes_read = 0;
  uint64_t annotated_lines = 0;
  uint64_t unknown_codes = 0;
  uint64_t read_errors = 0;
  uint64_t write_errors = 0;
  uint64_t table_reloads = 0;
  uint64_t table_reload_failures = 0;
  uint64_t rotated_files_lost = 0;  // follow: rotated files deleted before they were read
  uint64_t truncations = 0;         // follow: copytruncate rotations (a window of lost lines)
  int64_t last_line_time_ms = 0;    // unix milliseconds of the last read with data; 0: none yet
  bool healthy = true;
  std::vector<Count> codes;         // known codes seen, in label order
  std::vector<Count> categories;    // categories seen, in order of first appearance in the labels
  std::vector<Count> unknown;       // tracked unknown codes, in numeric order
  std::vector<Count> follow_files;  // lines per followed file (several files only)
};

class Metrics {
 public:
  // Unknown code strings tracked one by one; later distinct ones only count in the total.
  static constexpr size_t kMaxTrackedUnknown = 100;
  // Unknown codes longer than this are not tracked one by one (the total still counts them), so
  // a log full of 10 kB digit runs cannot make the map large.
  static constexpr size_t kMaxTrackedUnknownLength = 32;

  // `labels`: one per known code; codes should be distinct, as in a CodeTable (duplicates would
  // export duplicate series).
  explicit Metrics(std::vector<CodeLabel> labels);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // --- recorders: lock-free, no allocation ----------------------------------------------------

  // A read returned `bytes` bytes holding `lines` line terminators. Call once per block, not per
  // line. When bytes > 0 it also stamps the last-line time, read from CLOCK_REALTIME_COARSE
  // (10 ns; 4 ms resolution).
  void add_read(uint64_t bytes, uint64_t lines);
  // The same with an explicit time (tests).
  void add_read(uint64_t bytes, uint64_t lines, std::chrono::system_clock::time_point now);

  // One annotated line and its codes: `known` holds label indices (an index >= the label count,
  // e.g. from a table swapped in meanwhile, is counted in the line total only), `unknown` the
  // digit strings of codes not in the table. Tracking an unknown code takes a mutex (24 to 29 ns
  // uncontended).
  void record_annotation(std::span<const uint32_t> known,
                         std::span<const std::string_view> unknown = {});
  // The same, straight from a verdict made with `table` (whose labels must be the current ones,
  // e.g. from code_labels(table)). Codes beyond Verdict::kMaxShown are not identified by the
  // verdict and are not counted per code.
  void record_annotation(const Verdict& verdict, const CodeTable& table);

  void record_read_error() { read_errors_.fetch_add(1, std::memory_order_relaxed); }
  void record_write_error() { write_errors_.fetch_add(1, std::memory_order_relaxed); }
  void record_table_reload() { table_reloads_.fetch_add(1, std::memory_order_relaxed); }
  void record_table_reload_failure() {
    table_reload_failures_.fetch_add(1, std::memory_order_relaxed);
  }
  // Follow mode's unavoidable losses so far (totals, not increments: the follower counts them).
  void set_follow_losses(uint64_t rotated_files_lost, uint64_t truncations) {
    rotated_files_lost_.store(rotated_files_lost, std::memory_order_relaxed);
    truncations_.store(truncations, std::memory_order_relaxed);
  }
  // Lines per followed file (totals; a bounded list, see FollowSet). Takes a mutex: call it a
  // few times a second at most.
  void set_follow_files(std::vector<MetricsSnapshot::Count> counts);
  // False while reading fails, true again when it works; /healthz answers 503 while false.
  // Starts true.
  void set_healthy(bool healthy) { healthy_.store(healthy, std::memory_order_relaxed); }
  // The same, with the reason /healthz gives while unhealthy ("PATH: reason"). Takes a mutex:
  // call it when the health changes, not per line.
  void set_health(bool healthy, std::string reason);
  // The reason given with the last set_health(false, ...), or "".
  std::string health_reason() const;

  // --- reload ----------------------------------------------------------------------------------

  // A label list with its maps and counters, ready for set_labels(). Opaque; installed once.
  struct LabelSet;
  // Builds one (the costly part of a reload). Thread-safe: touches no Metrics object.
  static std::shared_ptr<LabelSet> prepare_labels(std::vector<CodeLabel> labels);
  // Replaces the label list, keeping counts of codes and categories still present, and returns
  // the list replaced. Does not count a reload (call record_table_reload()). Must not overlap
  // record_annotation() on another thread; may overlap readers.
  std::shared_ptr<LabelSet> set_labels(std::shared_ptr<LabelSet> labels);
  void set_labels(std::vector<CodeLabel> labels) { set_labels(prepare_labels(std::move(labels))); }

  // --- readers -----------------------------------------------------------------------------------

  bool healthy() const { return healthy_.load(std::memory_order_relaxed); }
  MetricsSnapshot snapshot() const;

 private:
  void count_known(LabelSet& counters, uint32_t index);
  void count_unknown(std::string_view code);

  std::atomic<uint64_t> lines_read_{0};
  std::atomic<uint64_t> bytes_read_{0};
  std::atomic<uint64_t> annotated_lines_{0};
  std::atomic<uint64_t> unknown_codes_{0};
  std::atomic<uint64_t> read_errors_{0};
  std::atomic<uint64_t> write_errors_{0};
  std::atomic<uint64_t> table_reloads_{0};
  std::atomic<uint64_t> table_reload_failures_{0};
  std::atomic<uint64_t> rotated_files_lost_{0};
  std::atomic<uint64_t> truncations_{0};
  std::atomic<int64_t> last_line_time_ms_{0};
  std::atomic<bool> healthy_{true};

  // Written by set_labels() under labels_mutex_; read by recorders without it (see the essay) and
  // by readers under it.
  std::shared_ptr<LabelSet> counters_;
  mutable std::mutex labels_mutex_;

  // Digit strings without leading zeros order numerically by (length, text).
  struct NumericOrder {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    }
  };
  std::map<std::string, uint64_t, NumericOrder> unknown_by_code_;
  mutable std::mutex unknown_mutex_;
  mutable std::mutex health_mutex_;
  std::string health_reason_;                         // guarded by health_mutex_
  std::vector<MetricsSnapshot::Count> follow_files_;  // guarded by health_mutex_
};

}  // namespace coinone
