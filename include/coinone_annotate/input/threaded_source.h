// ThreadedSource: reads another source on a thread of its own, a few blocks ahead of the reader.
//
// Why: decompression is the slowest stage of a compressed run, and the searcher's scanning would
// otherwise wait for it, then make it wait. With the decoder on the second core the two overlap,
// so a run costs about the slower stage instead of the sum of both (figures in decompress.h).
//
// How: a producer thread reads the inner source into fixed-size blocks, one inner read per block,
// and queues them; read() copies out of the oldest queued block and gives it back when it is used
// up. Memory is bounded by block_count * block_size (default 4 x 256 KiB = 1 MiB), allocated once
// at construction. A decoder's read() returns as soon as its input runs dry with output in hand,
// so a slow pipe's lines are queued at once rather than held until a block is full.
//
// Contract:
//  - read() returns the inner source's bytes in order, then the inner source's final result
//    (end of input, errno or message) for this and every later call. It waits while the queue is
//    empty. A wake from the inner source (follow mode) is handed on once the bytes queued before
//    it are read.
//  - An exception thrown by the inner read() (std::bad_alloc) ends the stream with its what() as
//    the message; nothing escapes the thread.
//  - The destructor stops the producer without draining the queue. A producer waiting for a free
//    block stops at once and is joined. A producer inside the inner read() is given
//    kStopPatience to come out (decoding a block of a file takes well under a millisecond) and is
//    then joined; if it is still inside, it is blocked on an idle pipe or terminal, which no
//    portable call can interrupt, and it is detached instead: it finishes that read on its own,
//    sees the stop, and frees the inner source and the blocks (shared with it for that reason).
//    So the destructor returns within kStopPatience, and a detached producer lives at most until
//    its pipe delivers or closes, or the process exits.
//  - name() is the inner source's name, copied at construction. checkpoint() is ignored:
//    positions in the inner source's output do not map back to its input.
//
// Ownership: owns the inner source, shared with the producer thread, the only thread that touches
// it after construction. Not copyable or movable.
// Threads: read() and the destructor from one consumer thread at a time.
#pragma once
#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <thread>

#include "coinone_annotate/input/source.h"

namespace coinone {

class ThreadedSource final : public Source {
 public:
  static constexpr size_t kDefaultBlockSize = 256 * 1024;
  static constexpr size_t kDefaultBlockCount = 4;
  static constexpr std::chrono::milliseconds kStopPatience{100};

  // Starts the producer thread. block_size and block_count below 1 are taken as 1 (tests use tiny
  // blocks to reach every boundary). When no thread can start (std::system_error: a container's
  // process limit), read() reads the inner source itself, on the caller's thread: slower on two
  // CPUs, the same bytes. Throws only std::bad_alloc.
  explicit ThreadedSource(std::unique_ptr<Source> inner, size_t block_size = kDefaultBlockSize,
                          size_t block_count = kDefaultBlockCount);
  ~ThreadedSource() override;
  ThreadedSource(const ThreadedSource&) = delete;
  ThreadedSource& operator=(const ThreadedSource&) = delete;

  ReadResult read(std::span<char> buffer) override;
  const std::string& name() const override { return name_; }
  // Whether the producer thread runs (false: the inner source is read inline).
  bool threaded() const { return producer_.joinable(); }

 private:
  struct Shared;  // the inner source, the blocks and the queue: what the producer touches

  static void produce(std::shared_ptr<Shared> shared);
  bool acquire_block(ReadResult& instead);

  std::string name_;
  std::shared_ptr<Shared> shared_;
  // Consumer only.
  size_t read_index_ = 0;  // the ring slot read next, or being read when holding_
  bool holding_ = false;
  size_t read_offset_ = 0;
  std::thread producer_;  // not joinable when it could not be started
};

}  // namespace coinone
