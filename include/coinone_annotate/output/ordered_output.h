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
// OutputLane is where one job writes. The job's FdWriter writes to a descriptor of its worker
// thread's, which the lane points (dup3) where the job's output goes. In its turn that is
// standard output. Before it, a spool: the first kMemoryTier bytes a memfd, the rest an anonymous
// temporary file (O_TMPFILE in $TMPDIR, else /tmp), so a large output sits in the page cache,
// which the kernel may write back, rather than in this process's memory. At each flush point
// (the searcher flushes before every read) the job calls at_flush(): once its turn has come, the
// spool is copied to standard output and the descriptor re-pointed at standard output, so the
// job's writer goes on straight through without knowing. A spool that reaches its limit waits
// for the turn instead of growing: memory and disk stay bounded by the limit times the number of
// jobs running. Spools are reused from job to job (SpoolPool).
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
#include <string_view>
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

// Empty spools, kept for the next job: creating and deleting a temporary file for each of 2000
// small files took 0.5 s of system calls. Two kinds: memfds, which the first kMemoryTier bytes
// of a job go to (a temporary file on ext4 cost 4 times the system time of tmpfs for small
// outputs), and temporary files for the rest. Thread-safe.
class SpoolPool {
 public:
  static constexpr size_t kKept = 16;  // of each kind; more released at once are closed

  struct Spool {
    int fd = -1;
    bool memory = false;  // a memfd
  };

  SpoolPool() = default;
  ~SpoolPool();
  SpoolPool(const SpoolPool&) = delete;
  SpoolPool& operator=(const SpoolPool&) = delete;

  // An empty spool at offset 0, of the kind asked for if it can be had, else of the other;
  // fd -1 when none can be opened.
  Spool acquire(bool memory);
  // Empties the spool and keeps it, or closes it.
  void release(Spool spool);

 private:
  std::mutex mutex_;
  std::vector<int> free_[2];  // by kind: [0] files, [1] memfds
};

class OutputLane {
 public:
  // Spool limit when the caller gives none: 1 GiB a job. Past it a job waits for its turn.
  static constexpr uint64_t kDefaultSpoolLimit = uint64_t{1} << 30;
  // A job's first bytes are spooled in memory (a memfd), the rest in a temporary file.
  static constexpr uint64_t kMemoryTier = 8 << 20;

  // The lane of job `index`. The job writes to writer_fd, a descriptor of the caller's (one per
  // worker thread, reused from job to job) which the lane points (dup3) at out_fd if it is the
  // job's turn already, else at a spool from `spools`.
  OutputLane(OutputTurns& turns, SpoolPool& spools, size_t index, int out_fd, int writer_fd,
             uint64_t spool_limit);
  ~OutputLane();  // gives the spool back
  OutputLane(const OutputLane&) = delete;
  OutputLane& operator=(const OutputLane&) = delete;

  bool direct() const { return direct_; }
  // Bytes that go to out_fd before the spool, asked for once, in the job's turn, when
  // at_flush() or drain() first copies the spool out (-j: the newline the file before left
  // out). Not asked when the lane was direct from the start: the job writes them itself.
  void set_lead(std::function<std::string_view()> lead) { lead_ = std::move(lead); }
  // On the job's thread, after its writer flushed, with the bytes written to writer_fd since the
  // lane was made. When the turn has come, or the spool holds `spooled` >= the limit (it then
  // waits for the turn), copies the spool out and points writer_fd at out_fd. Returns true when
  // this call made the lane direct.
  bool at_flush(uint64_t spooled);
  // In the job's turn, after its writer's last flush, on any thread: copies out what the spool
  // holds (nothing when direct) and gives the spool back. Leaves writer_fd alone: the worker
  // has moved on to another job. False when that failed.
  bool drain(uint64_t spooled);

  bool failed() const { return out_error_ != 0 || !error_.empty() || turns_.stopped(); }
  int out_error() const { return out_error_; }         // errno of a failed copy to out_fd, or 0
  const std::string& error() const { return error_; }  // a spool that could not be read back

 private:
  bool point_writer(int fd);
  void move_to_file(uint64_t spooled);
  bool copy_spool(uint64_t size);
  bool write_lead();
  bool copy_through_buffer(uint64_t at, uint64_t size);
  void give_back();

  OutputTurns& turns_;
  SpoolPool& spools_;
  const size_t index_;
  const int out_fd_;
  const int writer_fd_;
  const uint64_t limit_;
  SpoolPool::Spool spool_;
  bool direct_ = false;
  std::function<std::string_view()> lead_;
  int out_error_ = 0;
  std::string error_;
};

}  // namespace coinone
