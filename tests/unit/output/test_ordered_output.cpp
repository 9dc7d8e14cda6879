#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/output/fd_writer.h"
#include "coinone_annotate/output/ordered_output.h"
#include "test_util.h"

using namespace coinone;

namespace {

// Writes `text` through a job's lane in pieces of `piece` bytes, with a flush point after each,
// as the searcher flushes before each read; then finishes the job.
// The writer's descriptor is the job's own here; a worker reuses one from job to job.
void write_job(OutputTurns& turns, SpoolPool& spools, size_t index, int out_fd, uint64_t limit,
               const std::string& text, size_t piece) {
  const int writer_fd = ::dup(out_fd);
  auto lane = std::make_shared<OutputLane>(turns, spools, index, out_fd, writer_fd, limit);
  FdWriter writer(writer_fd);
  for (size_t at = 0; at < text.size(); at += piece) {
    writer.write(std::string_view(text).substr(at, piece));
    writer.flush();
    lane->at_flush(writer.bytes_written());
  }
  writer.flush();
  const uint64_t spooled = writer.bytes_written();
  ::close(writer_fd);
  turns.finish(index, [lane, spooled] { lane->drain(spooled); });
}

ssize_t failing_pread(int, void*, size_t, off_t) {
  errno = EIO;
  return -1;
}

// Jobs 0 and 1 on one output, each lane pointing its own writer descriptor.
struct TwoLanes {
  testing::MemoryFd out;
  OutputTurns turns{2};
  SpoolPool spools;
  const int first_fd = ::dup(out.fd()), second_fd = ::dup(out.fd());
  OutputLane first{turns, spools, 0, out.fd(), first_fd, OutputLane::kDefaultSpoolLimit};
  OutputLane second{turns, spools, 1, out.fd(), second_fd, OutputLane::kDefaultSpoolLimit};
  FdWriter first_writer{first_fd}, second_writer{second_fd};
  ~TwoLanes() {
    ::close(first_fd);
    ::close(second_fd);
  }
};

std::string job_text(size_t index, size_t size) {
  std::string text;
  while (text.size() < size) text += "job " + std::to_string(index) + " line\n";
  return text;
}

}  // namespace

TEST_SUITE("ordered_output") {
  TEST_CASE("turn work runs in index order, whatever order the jobs finish in") {
    const std::vector<std::vector<size_t>> orders = {
        {0, 1, 2, 3}, {3, 2, 1, 0}, {1, 0, 3, 2}, {2, 3, 0, 1}, {1, 2, 3, 0}};
    for (const auto& order : orders) {
      CAPTURE(order);
      OutputTurns turns(order.size());
      std::vector<size_t> ran;
      std::vector<size_t> ran_after_finish;  // how many had run when each finish() returned
      for (size_t index : order) {
        turns.finish(index, [&ran, index] { ran.push_back(index); });
        ran_after_finish.push_back(ran.size());
      }
      CHECK(ran == std::vector<size_t>{0, 1, 2, 3});
      // Nothing runs before job 0 finishes; then everything finished so far runs at once.
      const size_t zero_at =
          static_cast<size_t>(std::find(order.begin(), order.end(), 0) - order.begin());
      for (size_t i = 0; i < zero_at; ++i) CHECK(ran_after_finish[i] == 0);
      CHECK(ran_after_finish[zero_at] > 0);
    }
  }

  TEST_CASE("a job waits for its turn; stop() ends the wait") {
    OutputTurns turns(3);
    CHECK(turns.is_turn(0));
    CHECK_FALSE(turns.is_turn(1));
    std::atomic<bool> got_turn{false};
    std::thread waiter([&] { got_turn = turns.wait_turn(1); });
    turns.finish(0, [] {});
    waiter.join();
    CHECK(got_turn);
    CHECK(turns.is_turn(1));
    std::thread stopped([&] { got_turn = turns.wait_turn(2); });
    turns.stop();
    stopped.join();
    CHECK_FALSE(got_turn);
    CHECK_FALSE(turns.wait_turn(2));
  }

  TEST_CASE("the first job writes straight through; the others spool, then go direct") {
    TwoLanes lanes;
    auto& [out, turns, spools, first_fd, second_fd, first, second, first_writer, second_writer] =
        lanes;
    CHECK(first.direct());
    CHECK_FALSE(second.direct());
    second_writer.write("second, spooled\n");
    second_writer.flush();
    CHECK_FALSE(second.at_flush(second_writer.bytes_written()));  // not its turn
    first_writer.write("first\n");
    first_writer.flush();
    CHECK(out.contents() == "first\n");  // straight through, nothing of the second yet
    turns.finish(0, [] {});
    CHECK(second.at_flush(second_writer.bytes_written()));  // its turn: the spool goes out
    CHECK(second.direct());
    second_writer.write("second, direct\n");
    second_writer.flush();
    CHECK(out.contents() == "first\nsecond, spooled\nsecond, direct\n");
    CHECK(second.drain(second_writer.bytes_written()));
    CHECK_FALSE(second.failed());
  }

  TEST_CASE("a lead goes out before the spool, asked once, when the spool first goes out") {
    for (const bool by_flush : {true, false}) {  // at_flush() in its turn, or drain()
      CAPTURE(by_flush);
      TwoLanes lanes;
      auto& [out, turns, spools, first_fd, second_fd, first, second, first_writer, second_writer] =
          lanes;
      int asked = 0;
      second.set_lead([&asked] {
        ++asked;
        return std::string_view("\n");
      });
      second_writer.write("second");
      second_writer.flush();
      CHECK_FALSE(second.at_flush(second_writer.bytes_written()));  // not its turn
      CHECK(asked == 0);
      first_writer.write("first");
      first_writer.flush();
      turns.finish(0, [] {});
      if (by_flush) CHECK(second.at_flush(second_writer.bytes_written()));
      CHECK(second.drain(second_writer.bytes_written()));
      CHECK(out.contents() == "first\nsecond");
      CHECK(asked == 1);
    }
  }

  TEST_CASE("many jobs on several threads come out in order, with any spool limit") {
    const size_t kJobs = 12;
    for (const uint64_t limit : {uint64_t{1}, uint64_t{5000}, OutputLane::kDefaultSpoolLimit}) {
      for (const size_t threads : {size_t{1}, size_t{2}, size_t{4}}) {
        CAPTURE(limit);
        CAPTURE(threads);
        std::mt19937 random(static_cast<unsigned>(limit + threads));
        std::vector<std::string> texts;
        std::string want;
        for (size_t i = 0; i < kJobs; ++i) {
          texts.push_back(job_text(i, std::uniform_int_distribution<size_t>(0, 40000)(random)));
          want += texts.back();
        }
        testing::MemoryFd out;
        OutputTurns turns(kJobs);
        SpoolPool spools;
        std::atomic<size_t> next{0};
        std::vector<std::thread> pool;
        for (size_t t = 0; t < threads; ++t)
          pool.emplace_back([&, t] {
            for (size_t i; (i = next.fetch_add(1)) < kJobs;)
              write_job(turns, spools, i, out.fd(), limit, texts[i], 1000 + 777 * t);
          });
        for (auto& thread : pool) thread.join();
        CHECK(out.contents() == want);
      }
    }
  }

  TEST_CASE("without a temporary directory the spool is a memfd") {
    const char* saved = std::getenv("TMPDIR");
    const std::string restore = saved != nullptr ? saved : "";
    ::setenv("TMPDIR", "/nonexistent-directory", 1);
    testing::MemoryFd out;
    OutputTurns turns(2);
    SpoolPool spools;
    write_job(turns, spools, 1, out.fd(), OutputLane::kDefaultSpoolLimit, "later\n", 3);
    write_job(turns, spools, 0, out.fd(), OutputLane::kDefaultSpoolLimit, "first\n", 3);
    CHECK(out.contents() == "first\nlater\n");
    if (saved != nullptr)
      ::setenv("TMPDIR", restore.c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }

  TEST_CASE("a reader that went away is the lane's out_error, EPIPE") {
    ::signal(SIGPIPE, SIG_IGN);
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    ::close(pipe_fds[0]);
    OutputTurns turns(2);
    SpoolPool spools;
    const int writer_fd = ::dup(pipe_fds[1]);
    OutputLane second(turns, spools, 1, pipe_fds[1], writer_fd, OutputLane::kDefaultSpoolLimit);
    FdWriter writer(writer_fd);
    writer.write("spooled\n");
    writer.flush();
    turns.finish(0, [] {});
    CHECK_FALSE(second.at_flush(writer.bytes_written()));
    CHECK(second.out_error() == EPIPE);
    CHECK(second.failed());
    ::close(writer_fd);
    ::close(pipe_fds[1]);
  }

  TEST_CASE("where sendfile() cannot write (O_APPEND), the spool is copied through a buffer") {
    for (const bool faulty : {false, true}) {
      CAPTURE(faulty);
      testing::TempDir dir;
      const std::string path = dir.path + "/out";
      const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      REQUIRE(out >= 0);
      OutputTurns turns(2);
      SpoolPool spools;
      const int writer_fd = ::dup(out);
      OutputLane second(turns, spools, 1, out, writer_fd, OutputLane::kDefaultSpoolLimit);
      FdWriter writer(writer_fd);
      const std::string text = job_text(1, 3 << 20);  // three chunks of the copy
      writer.write(text);
      writer.flush();
      turns.finish(0, [] {});
      sys::Table table = sys::real_table();
      if (faulty) table.pread = &failing_pread;
      {
        sys::ScopedTable scoped(table);
        CHECK(second.drain(writer.bytes_written()) == !faulty);
      }
      CHECK(second.failed() == faulty);
      CHECK(second.out_error() == 0);
      if (faulty)
        CHECK(second.error() == "cannot read back the spooled output: Input/output error");
      const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      std::string got(text.size() + 1, '\0');
      got.resize(static_cast<size_t>(std::max<ssize_t>(0, ::read(in, got.data(), got.size()))));
      ::close(in);
      ::close(writer_fd);
      ::close(out);
      CHECK(got == (faulty ? "" : text));
    }
  }

  TEST_CASE("spools given back are empty when taken again, and reused, of either kind") {
    SpoolPool spools;
    for (const bool memory : {true, false}) {
      CAPTURE(memory);
      const SpoolPool::Spool first = spools.acquire(memory);
      REQUIRE(first.fd >= 0);
      CHECK(first.memory == memory);
      REQUIRE(::write(first.fd, "old bytes", 9) == 9);
      spools.release(first);
      const SpoolPool::Spool again = spools.acquire(memory);
      CHECK(again.fd == first.fd);
      CHECK(::lseek(again.fd, 0, SEEK_CUR) == 0);
      CHECK(::lseek(again.fd, 0, SEEK_END) == 0);
      spools.release(again);
    }
  }

  TEST_CASE("a spool past the memory tier moves to a file and keeps every byte in order") {
    testing::MemoryFd out;
    OutputTurns turns(2);
    SpoolPool spools;
    const std::string big = job_text(1, OutputLane::kMemoryTier * 5 / 2);
    std::thread later([&] {
      write_job(turns, spools, 1, out.fd(), OutputLane::kDefaultSpoolLimit, big, 1 << 20);
    });
    later.join();  // all of it spooled: job 0 has not finished
    write_job(turns, spools, 0, out.fd(), OutputLane::kDefaultSpoolLimit, "first\n", 3);
    CHECK(out.contents() == "first\n" + big);
  }
}
