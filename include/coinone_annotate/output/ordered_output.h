// Ordered output: several files searched at once (-j N), their output in argument order, whole
// file by whole file, as ripgrep prints it, and byte for byte what one file after the other gives.
//
// Two pieces:
//
// OutputTurns says whose turn it is to write to standard output. The turn goes to job 0, then 1,
// and so on; it passes from job i to i + 1 only when job i has finished and what it left to do
// in its turn has run. finish(i, in_turn) hands that work over: it runs at once, on the caller's
// thread, if it is i's turn, else on the thread that later passes the turn to i; then the turn
// moves on, and the work of jobs after i that had already finished runs too, in order, on the
// same thread. So nothing waits for a finished job, and the work of one turn never overlaps that
// of another: each turn's work may use state that belongs to whoever has the turn (the summary,
// the logger) without a lock; the turn counter's release/acquire orders them.
//
// OutputLane is where one job writes. The job whose turn it is writes straight to standard output
// through a descriptor of its own (a dup). Any other job writes to a spool: an anonymous
// temporary file (O_TMPFILE in $TMPDIR, else /tmp; a memfd where neither can be opened), so its
// output sits in the page cache, which the kernel may write back, rather than in this process's
// memory. At each flush point (the searcher flushes before every read) the job calls at_flush():
// once its turn has come, the spool is copied to standard output and the job's descriptor is
// re-pointed at standard output (dup3), so the job's FdWriter goes on writing straight through
// without knowing. A spool that reaches its limit waits for the turn instead of growing: memory
// and disk stay bounded by the limit times the number of jobs running. A job whose output the
// limit has stopped loses no parallelism to the job before it until then.
//
// Ordering is by construction, not by timing: a job only ever writes to standard output during
// its turn, and a turn ends only after everything of that job was written.
//
// Failures are values. A failed copy to standard output leaves out_error() set (EPIPE for a
// reader that went away); a spool that cannot be read back leaves error() set; in both cases
// failed() is true and the job should stop. stop() (after standard output failed) wakes every
// waiting job; their lanes then fail and their turns' work should do nothing.
//
// Threads: OutputTurns is shared by every job; an OutputLane belongs to its job's thread until
// finish() hands it to the thread that runs the job's turn. Neither is copyable.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace coinone {

class OutputTurns {
 public:
  explicit OutputTurns(size_t count);
  OutputTurns(const OutputTurns&) = delete;
  OutputTurns& operator=(const OutputTurns&) = delete;

  // Whether it is `index`'s turn. Acquires what the previous turns wrote.
  bool is_turn(size_t index) const { return turn_.load(std::memory_order_acquire) == index; }
  // Blocks until it is `index`'s turn (true) or stop() was called (false).
  bool wait_turn(size_t index);
  // Job `index` is done: `in_turn` runs in its turn (see the top of this file). Call once per
  // index, for every index below count, or call stop(). `in_turn` must not throw.
  void finish(size_t index, std::function<void()> in_turn);
  // Ends waiting for good: wait_turn() returns false from now on.
  void stop();
  bool stopped() const { return stopped_.load(std::memory_order_acquire); }

 private:
  const size_t count_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<size_t> turn_{0};
  std::atomic<bool> stopped_{false};
  std::vector<std::function<void()>> waiting_;  // finished jobs' turn work, by index
  std::vector<char> finished_;                  // by index; char: vector<bool> packs bits
};

class OutputLane {
 public:
  // Spool limit when the caller gives none: 1 GiB a job. Past it a job waits for its turn.
  static constexpr uint64_t kDefaultSpoolLimit = uint64_t{1} << 30;

  // The lane of job `index`: straight to out_fd if it is the job's turn already, else a spool.
  OutputLane(OutputTurns& turns, size_t index, int out_fd, uint64_t spool_limit);
  ~OutputLane();
  OutputLane(const OutputLane&) = delete;
  OutputLane& operator=(const OutputLane&) = delete;

  // Where the job writes (an FdWriter on it). Owned by the lane; valid until it is destroyed.
  int fd() const { return fd_; }
  bool direct() const { return direct_; }
  // Call after the job's writer flushed, with the bytes it has written to fd() so far. When the
  // turn has come, or the spool holds `spooled` >= the limit (it then waits for the turn), copies
  // the spool out and makes the lane direct. Returns true when this call made it direct.
  bool at_flush(uint64_t spooled);
  // In the job's turn, after its writer's last flush: copies out what the spool holds (nothing
  // when direct). False when that failed.
  bool drain(uint64_t spooled);

  bool failed() const { return out_error_ != 0 || !error_.empty() || turns_.stopped(); }
  int out_error() const { return out_error_; }         // errno of a failed copy to out_fd, or 0
  const std::string& error() const { return error_; }  // a spool that could not be read back

 private:
  bool open_spool();
  bool copy_spool(uint64_t size);
  bool copy_through_buffer(uint64_t at, uint64_t size);
  bool go_direct(uint64_t spooled);

  OutputTurns& turns_;
  const size_t index_;
  const int out_fd_;
  const uint64_t limit_;
  int fd_ = -1;
  bool direct_ = false;
  int out_error_ = 0;
  std::string error_;
};

}  // namespace coinone
