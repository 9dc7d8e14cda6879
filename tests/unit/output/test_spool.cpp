#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "coinone_annotate/output/spool.h"
#include "test_util.h"

using namespace coinone;

TEST_SUITE("spool") {
  TEST_CASE("keeps pieces and gives them back in order, then is empty") {
    testing::MemoryFd fd;
    FdWriter out(fd.fd());
    Spool spool;
    const std::string big(200000, 'x');
    CHECK(spool.append("first "));
    CHECK(spool.append(big));
    CHECK(spool.copy_to(out));
    CHECK(spool.append("second"));
    spool.clear();
    CHECK(spool.append("third"));
    CHECK(spool.copy_to(out));
    out.flush();
    CHECK(fd.contents() == "first " + big + "third");
    CHECK(spool.error().empty());
  }

  TEST_CASE("works without a writable temporary directory (read-only containers)") {
    const char* saved = std::getenv("TMPDIR");
    const std::string restore = saved != nullptr ? saved : "";
    ::setenv("TMPDIR", "/nonexistent-directory", 1);
    testing::MemoryFd fd;
    FdWriter out(fd.fd());
    Spool spool;
    CHECK(spool.append("kept in a memfd"));
    CHECK(spool.copy_to(out));
    out.flush();
    CHECK(fd.contents() == "kept in a memfd");
    if (saved != nullptr)
      ::setenv("TMPDIR", restore.c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }
}
