#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "coinone_annotate/base/syscalls.h"
#include "coinone_annotate/output/printer.h"
#include "test_util.h"

using namespace coinone;

namespace {

struct Fixture {
  std::shared_ptr<const CodeTable> table = std::make_shared<CodeTable>(builtin_code_table());
  std::unique_ptr<Annotator> annotator = Annotator::create(table, {}).annotator;
  testing::MemoryFd fd;
  FdWriter out{fd.fd()};
  Verdict none, v103;
  Fixture() { v103.shown.push_back({"103", table->find("103")}); }

  std::string run(PrinterOptions options, void (*feed)(Printer&, const Verdict&, const Verdict&)) {
    Printer printer(out, *annotator, options);
    feed(printer, none, v103);
    printer.flush();
    return fd.contents();
  }
};

constexpr std::string_view kNote = " [coinone 103 Order / Balance: Lack of balance -> check-funds]";

}  // namespace

TEST_SUITE("printer") {
  TEST_CASE("text: annotation before the terminator, everything else unchanged") {
    Fixture f;
    const std::string got = f.run({}, [](Printer& p, const Verdict& none, const Verdict& v) {
      p.passthrough("a\nb\n");
      p.line_end("x", "\r\n", v);
      p.line_end("plain", "\n", none);
      p.line_end("y", "", v);
    });
    CHECK(got == "a\nb\nx" + std::string(kNote) + "\r\nplain\ny" + std::string(kNote));
  }

  TEST_CASE("json: member before the closing brace; text for other lines") {
    Fixture f;
    const std::string got =
        f.run({OutputFormat::kJson, false}, [](Printer& p, const Verdict&, const Verdict& v) {
          p.line_end(R"({"error_code":103} )", "\n", v);
          p.line_end("error_code=103", "\n", v);
        });
    CHECK(got.find(R"({"error_code":103,"coinone":[{"code":"103",)") == 0);
    CHECK(got.find(R"("retry":false}]} )"
                   "\n") != std::string::npos);
    CHECK(got.find("error_code=103" + std::string(kNote) + "\n") != std::string::npos);
  }

  TEST_CASE("json: a long line in pieces keeps its closing brace for the member") {
    Fixture f;
    const std::string got =
        f.run({OutputFormat::kJson, false}, [](Printer& p, const Verdict&, const Verdict& v) {
          p.line_piece(R"({"a":"x",)");
          p.line_piece(R"("error_code":103})");
          p.line_piece("  ");
          p.line_end(" ", "\n", v);
        });
    CHECK(got.find(R"({"a":"x","error_code":103,"coinone":[)") == 0);
    CHECK(got.substr(got.size() - 7) == "}]}   \n");
  }

  TEST_CASE("only-errors: drops the rest, long lines kept in a spool until their end") {
    Fixture f;
    const std::string got =
        f.run({OutputFormat::kText, true}, [](Printer& p, const Verdict& none, const Verdict& v) {
          p.passthrough("skip\n");
          p.line_piece("long ");
          p.line_piece("dropped");
          p.line_end(" line", "\n", none);
          p.line_piece("long ");
          p.line_piece("kept");
          p.line_end(" line", "\n", v);
          p.line_end("short", "\n", v);
        });
    CHECK(got == "long kept line" + std::string(kNote) + "\nshort" + std::string(kNote) + "\n");
  }

  TEST_CASE("only-errors: a long line that no spool can hold is passed through whole, said once") {
    sys::Table full = sys::real_table();
    full.pwrite = [](int, const void*, size_t, off_t) -> ssize_t {
      errno = ENOSPC;
      return -1;
    };
    sys::ScopedTable scoped(full);
    Fixture f;
    Printer p(f.out, *f.annotator, {OutputFormat::kText, true});
    p.line_piece("long ");
    p.line_piece("plain");
    p.line_end(" line", "\n", f.none);
    p.passthrough("skip\n");
    p.line_piece("long ");
    p.line_piece("kept");
    p.line_end(" line", "\n", f.v103);
    p.line_end("short", "\n", f.v103);
    p.flush();
    CHECK(f.fd.contents() == "long plain line\nlong kept line" + std::string(kNote) + "\nshort" +
                                 std::string(kNote) + "\n");
    CHECK_FALSE(p.failed());
    const std::string notice = p.take_notice();
    CHECK(notice.find(std::strerror(ENOSPC)) != std::string::npos);
    CHECK(notice.find("passed through") != std::string::npos);
    CHECK(p.take_notice().empty());
  }

  TEST_CASE("counts annotated lines") {
    Fixture f;
    Printer p(f.out, *f.annotator, {});
    p.line_end("a", "\n", f.v103);
    p.line_end("b", "\n", f.none);
    CHECK(p.annotated_lines() == 1);
  }
}
