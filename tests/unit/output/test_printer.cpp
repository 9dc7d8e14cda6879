#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

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

  TEST_CASE("-H and -n: label and number before every line written, whatever its path") {
    struct Case {
      PrinterOptions options;
      std::string want;
    };
    const std::string note(kNote);
    const std::vector<Case> cases{
        {{OutputFormat::kText, false, true, false},
         "f:a\nf:b\nf:long piece" + note + "\nf:x" + note + "\nf:plain\ng:c\n"},
        {{OutputFormat::kText, false, false, true},
         "1:a\n2:b\n3:long piece" + note + "\n4:x" + note + "\n5:plain\n1:c\n"},
        {{OutputFormat::kText, false, true, true},
         "f:1:a\nf:2:b\nf:3:long piece" + note + "\nf:4:x" + note + "\nf:5:plain\ng:1:c\n"},
        {{OutputFormat::kText, true, true, true},
         "f:3:long piece" + note + "\nf:4:x" + note + "\n"},
        {{OutputFormat::kText, true, false, false}, "long piece" + note + "\nx" + note + "\n"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.want);
      Fixture f;
      Printer p(f.out, *f.annotator, c.options);
      p.begin_file("f");
      p.passthrough("a\nb\n");
      p.line_piece("long ");
      p.line_end("piece", "\n", f.v103);
      p.line_end("x", "\n", f.v103);
      p.line_end("plain", "\n", f.none);
      p.begin_file("g");
      p.passthrough("c\n");
      p.flush();
      CHECK(f.fd.contents() == c.want);
    }
  }

  TEST_CASE("-H with --only-errors: a long line that no spool can hold gets its label first") {
    sys::Table full = sys::real_table();
    full.pwrite = [](int, const void*, size_t, off_t) -> ssize_t {
      errno = ENOSPC;
      return -1;
    };
    sys::ScopedTable scoped(full);
    Fixture f;
    Printer p(f.out, *f.annotator, {OutputFormat::kText, true, true, true});
    p.begin_file("f");
    p.passthrough("skip\n");
    p.line_piece("long ");
    p.line_piece("plain");
    p.line_end(" line", "\n", f.none);
    p.flush();
    CHECK(f.fd.contents() == "f:2:long plain line\n");
  }

  TEST_CASE("file boundary: a last line without a newline gets one when another file begins") {
    const std::string note(kNote);
    struct Case {
      bool only_errors;
      void (*feed)(Printer&, const Verdict& none, const Verdict& v);
      std::string want;
    };
    const std::vector<Case> cases{
        {false, [](Printer& p, const Verdict& n, const Verdict&) { p.line_end("two", "", n); },
         "two\nnext\n"},
        {false, [](Printer& p, const Verdict&, const Verdict& v) { p.line_end("two", "", v); },
         "two" + note + "\nnext\n"},
        {false,
         [](Printer& p, const Verdict& n, const Verdict&) {
           p.line_piece("lo");
           p.line_end("", "", n);
         },
         "lo\nnext\n"},
        {true, [](Printer& p, const Verdict& n, const Verdict&) { p.line_end("two", "", n); },
         ""},  // nothing of that line was written: nothing to end
        {false, [](Printer& p, const Verdict& n, const Verdict&) { p.line_end("two", "\n", n); },
         "two\nnext\n"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.want);
      Fixture f;
      Printer p(f.out, *f.annotator, {OutputFormat::kText, c.only_errors});
      p.begin_file("a");
      c.feed(p, f.none, f.v103);
      p.begin_file("b");
      p.passthrough("next\n");
      p.flush();
      CHECK(f.fd.contents() == c.want);
    }
    Fixture f;  // the last file's last line stays as it is
    Printer p(f.out, *f.annotator, {});
    p.begin_file("a");
    p.line_end("two", "", f.none);
    p.flush();
    CHECK(f.fd.contents() == "two");
  }
}
