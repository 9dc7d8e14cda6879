#include "coinone_annotate/input/threaded_source.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <system_error>
#include <utility>
#include <vector>

namespace coinone {

struct ThreadedSource::Shared {
  struct Block {
    std::unique_ptr<char[]> bytes;
    size_t size = 0;  // bytes[0, size) hold data once the block is queued
  };

  Shared(std::unique_ptr<Source> source, size_t size, size_t count)
      : inner(std::move(source)), block_size(size), blocks(count) {
    for (Block& block : blocks) block.bytes = std::make_unique<char[]>(block_size);
  }

  std::unique_ptr<Source> inner;
  const size_t block_size;
  std::vector<Block> blocks;  // a ring, filled and read in index order

  std::mutex mutex;
  std::condition_variable queued_cv;  // producer -> consumer: a block, a wake or the end
  std::condition_variable freed_cv;   // consumer -> producer: a free block, or stop
  std::condition_variable idle_cv;    // producer -> destructor: out of the inner read
  size_t queued = 0;      // blocks filled and not given back, the one being read included
  bool wake = false;      // the inner source returned a wake not yet handed on
  bool finished = false;  // the producer is done; final holds the outcome
  bool stop = false;      // the consumer is going away
  bool in_read = false;   // the producer is inside inner->read()
  ReadResult final;
};

ThreadedSource::ThreadedSource(std::unique_ptr<Source> inner, size_t block_size, size_t block_count)
    : name_(inner->name()),
      shared_(std::make_shared<Shared>(std::move(inner), std::max<size_t>(block_size, 1),
                                       std::max<size_t>(block_count, 1))) {
  try {
    producer_ = std::thread(&ThreadedSource::produce, shared_);
  } catch (const std::system_error&) {
    // No thread to be had (a container's process limit): read() decodes inline instead.
  }
}

ThreadedSource::~ThreadedSource() {
  if (!producer_.joinable()) return;
  std::unique_lock lock(shared_->mutex);
  shared_->stop = true;
  shared_->freed_cv.notify_all();
  const bool out_of_read =
      shared_->idle_cv.wait_for(lock, kStopPatience, [&] { return !shared_->in_read; });
  lock.unlock();
  if (out_of_read) {
    producer_.join();  // it sees the stop at its next check, before any other read
  } else {
    producer_.detach();  // blocked on an idle pipe: it ends when the read returns (see header)
  }
}

ReadResult ThreadedSource::read(std::span<char> buffer) {
  Shared& shared = *shared_;
  if (!producer_.joinable()) return shared.inner->read(buffer);
  if (!holding_ || read_offset_ == shared.blocks[read_index_].size) {
    ReadResult instead;
    if (!acquire_block(instead)) return instead;
  }
  const Shared::Block& block = shared.blocks[read_index_];
  const size_t n = std::min(buffer.size(), block.size - read_offset_);
  std::memcpy(buffer.data(), block.bytes.get() + read_offset_, n);
  read_offset_ += n;
  return ReadResult{n, 0, {}};
}

// Gives back the used-up block, if any, and waits for the next one. False when there is none to
// read: `instead` is then a wake or the final outcome.
bool ThreadedSource::acquire_block(ReadResult& instead) {
  Shared& shared = *shared_;
  std::unique_lock lock(shared.mutex);
  if (holding_) {
    holding_ = false;
    --shared.queued;
    read_index_ = (read_index_ + 1) % shared.blocks.size();
    shared.freed_cv.notify_one();
  }
  shared.queued_cv.wait(lock, [&] { return shared.queued > 0 || shared.wake || shared.finished; });
  if (shared.queued > 0) {
    holding_ = true;
    read_offset_ = 0;
    return true;
  }
  if (shared.wake) {
    shared.wake = false;
    instead = ReadResult{0, 0, {}, true};
  } else {
    instead = shared.final;
  }
  return false;
}

// The producer thread: read the inner source into a free block, queue it, repeat until the inner
// source ends or the consumer goes away. It owns a share of the state, so it may outlive the
// ThreadedSource (see the destructor).
void ThreadedSource::produce(std::shared_ptr<Shared> shared) {
  Shared& s = *shared;
  size_t fill_index = 0;
  for (;;) {
    {
      std::unique_lock lock(s.mutex);
      s.freed_cv.wait(lock, [&] { return s.stop || s.queued < s.blocks.size(); });
      if (s.stop) return;
      s.in_read = true;
    }
    Shared::Block& block = s.blocks[fill_index];
    ReadResult got;
    try {
      got = s.inner->read({block.bytes.get(), s.block_size});
    } catch (const std::exception& e) {
      got = ReadResult{0, 0, e.what()};  // nothing may escape a thread (bad_alloc, mostly)
    }
    std::lock_guard lock(s.mutex);
    s.in_read = false;
    s.idle_cv.notify_all();
    if (s.stop) return;
    if (got.size > 0) {
      block.size = got.size;
      ++s.queued;
      fill_index = (fill_index + 1) % s.blocks.size();
    } else if (got.wake) {
      s.wake = true;
    } else {
      s.finished = true;
      s.final = std::move(got);
    }
    s.queued_cv.notify_one();
    if (s.finished) return;
  }
}

}  // namespace coinone
