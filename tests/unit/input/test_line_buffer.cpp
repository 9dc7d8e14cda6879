#include <doctest/doctest.h>

#include "coinone_annotate/input/line_buffer.h"
#include "test_util.h"

using namespace coinone;
using coinone::testing::StringSource;

TEST_SUITE("line_buffer") {
  TEST_CASE("fill appends after pending bytes and rolls consumed ones out") {
    StringSource source("ab\ncd\nef", 4);
    LineBuffer buffer(8);
    CHECK(buffer.fill(source).size == 4);
    CHECK(buffer.pending() == "ab\nc");
    buffer.consume(3);
    CHECK(buffer.fill(source).size == 4);
    CHECK(buffer.pending() == "cd\nef");
    buffer.consume(5);
    CHECK(buffer.fill(source).size == 0);
    CHECK(buffer.pending().empty());
  }

  TEST_CASE("full() when one line takes the whole capacity") {
    StringSource source("abcdefgh", 100);
    LineBuffer buffer(4);
    buffer.fill(source);
    CHECK(buffer.full());
    CHECK(buffer.pending() == "abcd");
    buffer.consume(4);
    CHECK_FALSE(buffer.full());
    buffer.fill(source);
    CHECK(buffer.pending() == "efgh");
  }

  TEST_CASE("a capacity of one byte still works") {
    StringSource source("xy", 100);
    LineBuffer buffer(1);
    CHECK(buffer.capacity() == 1);
    CHECK(buffer.fill(source).size == 1);
    CHECK(buffer.full());
  }

  TEST_CASE("move_pending_to hands the unconsumed bytes over and leaves the old bytes alone") {
    StringSource source("ab\ncd\nef", 100);
    LineBuffer first(16), second(16);
    first.fill(source);
    const std::string_view block = first.pending().substr(0, 6);  // "ab\ncd\n", still in use
    first.consume(6);
    first.move_pending_to(second);
    CHECK(first.pending().empty());
    CHECK(second.pending() == "ef");
    CHECK(block == "ab\ncd\n");  // not rolled over by the move
    StringSource more("gh\n", 100);
    CHECK(second.fill(more).size == 3);
    CHECK(second.pending() == "efgh\n");
    CHECK(block == "ab\ncd\n");
  }
}
