// Tests of prefixed_source.h: the bytes peeked at for detection, handed out first.
// Fixtures and helpers: compressed_inputs.h.
#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;
using namespace std::chrono_literals;
}  // namespace

TEST_SUITE("prefixed_source") {
  TEST_CASE("PrefixedSource passes checkpoints on, counting the prefix not yet handed out") {
    auto raw = std::make_unique<MemorySource>("efgh");
    MemorySource* recorder = raw.get();
    PrefixedSource source(std::move(raw), "abcd");
    char buffer[3];
    REQUIRE(source.read(buffer).size == 3);  // "abc"
    source.checkpoint(1);                    // "c" is not written yet, "d" not even read
    REQUIRE(source.read(buffer).size == 1);  // "d"
    source.checkpoint(0);
    CHECK(recorder->checkpoints() == std::vector<uint64_t>{2, 0});
  }

  TEST_CASE("PrefixedSource keeps the outcome the peek ended on") {
    auto raw = std::make_unique<MemorySource>("never read");
    MemorySource* counter = raw.get();
    PrefixedSource source(std::move(raw), "ab", ReadResult{});
    char buffer[8];
    CHECK(source.read(buffer).size == 2);
    CHECK(clean_end(source.read(buffer)));
    CHECK(clean_end(source.read(buffer)));
    CHECK(counter->reads() == 0);
  }
}

}  // namespace coinone
