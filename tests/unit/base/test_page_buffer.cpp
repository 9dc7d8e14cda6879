#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <utility>

#include "coinone_annotate/base/page_buffer.h"

using namespace coinone;

TEST_SUITE("page_buffer") {
  TEST_CASE("large buffers start on a huge-page boundary and hold every byte") {
    PageBuffer buffer(3 * 1024 * 1024 + 5);
    REQUIRE(buffer.data() != nullptr);
    CHECK(buffer.size() == 3 * 1024 * 1024 + 5);
    CHECK(reinterpret_cast<uintptr_t>(buffer.data()) % PageBuffer::kHugePage == 0);
    CHECK(buffer.data()[0] == 0);  // fresh pages read as zero
    CHECK(buffer.data()[buffer.size() - 1] == 0);
    std::memset(buffer.data(), 'x', buffer.size());
    CHECK(buffer.data()[buffer.size() - 1] == 'x');
  }

  TEST_CASE("small buffers, empty buffers and moves") {
    PageBuffer small(7);
    REQUIRE(small.data() != nullptr);
    std::memcpy(small.data(), "abcdefg", 7);
    PageBuffer moved(std::move(small));
    CHECK(small.data() == nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty
    CHECK(small.size() == 0);
    CHECK(std::memcmp(moved.data(), "abcdefg", 7) == 0);
    PageBuffer other(1 << 20);
    other = std::move(moved);
    CHECK(other.size() == 7);
    CHECK(std::memcmp(other.data(), "abcdefg", 7) == 0);
    const PageBuffer empty;
    CHECK(empty.size() == 0);
    CHECK(empty.data() == nullptr);
  }
}
