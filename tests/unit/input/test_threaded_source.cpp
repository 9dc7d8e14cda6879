// Tests of threaded_source.h: decoding on a second thread.
// Fixtures and helpers: compressed_inputs.h.
#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;
using namespace std::chrono_literals;
}  // namespace

TEST_SUITE("threaded_source") {
  TEST_CASE("ThreadedSource hands out its inner source's bytes and final result") {
    const std::string text = make_log(100'000);
    for (size_t block_size : {size_t{1}, size_t{3}, size_t{4096}}) {
      CAPTURE(block_size);
      ThreadedSource source(
          std::make_unique<MemorySource>(text, 5, std::make_pair(text.size(), EACCES)), block_size,
          2);
      const Drained got = drain(source, 7);
      CHECK(got.bytes == text);
      CHECK(got.end.error == EACCES);
      char byte = 0;
      CHECK(source.read({&byte, 1}).error == EACCES);
    }
  }
}

}  // namespace coinone
