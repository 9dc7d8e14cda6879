// Printer: the Sink that writes annotated output (the output layer's front).
//
// Default: every byte passes through; a line with a verdict gets its annotation just before its
// terminator. --format json: a line that is exactly one valid JSON object gets the "coinone"
// member before its closing brace instead; other lines (a Ruby hash, a trailing comma, two
// objects) fall back to text. --only-errors: only annotated lines are
// written.
//
// grep's -H and -n: each line written starts with "LABEL:" (the label of begin_file()) and
// "N:" (its number in the file). Without them a run of plain lines is still written in one
// piece; with them it is split into lines (and with -n and --only-errors its lines are counted).
//
// File boundaries: begin_file() ends the last line written with a newline when it had none (a
// file that ended without one), as grep does, so that it is not glued to the next file's first
// line. The last line of the last file is left as it is.
//
// Lines longer than the line buffer arrive in pieces. In JSON mode the bytes from the closing
// brace on are held back (at most kMaxHeld bytes of trailing spaces, then the line is treated
// as text). With --only-errors the pieces go to a Spool (an anonymous temporary file) until the
// verdict is known, so memory stays bounded whatever the line length. When the spool can take
// no more (no room on disk or in memory), the line is passed through whole, annotated or not,
// rather than lost; take_notice() says so, once. Only a spool that cannot be read back loses
// bytes: the output then ends where they began, failed() is true and spool_error() says why.
//
// Not copyable; it borrows the writer and the annotator, which must outlive it.
#pragma once
#include <string>

#include "coinone_annotate/output/annotator.h"
#include "coinone_annotate/output/fd_writer.h"
#include "coinone_annotate/output/json_object.h"
#include "coinone_annotate/output/json_validator.h"
#include "coinone_annotate/output/sink.h"
#include "coinone_annotate/output/spool.h"

namespace coinone {

enum class OutputFormat { kText, kJson };

struct PrinterOptions {
  OutputFormat format = OutputFormat::kText;
  bool only_errors = false;
  bool with_filename = false;  // -H: "LABEL:" before each line
  bool line_numbers = false;   // -n: "N:" before each line (after the label)
};

class Printer final : public Sink {
 public:
  static constexpr size_t kMaxHeld = 4096;

  Printer(FdWriter& out, const Annotator& annotator, PrinterOptions options);
  ~Printer() override = default;
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;

  void passthrough(std::string_view bytes) override;
  void line_piece(std::string_view bytes) override;
  void line_end(std::string_view rest, std::string_view terminator,
                const Verdict& verdict) override;
  void flush() override { out_.flush(); }
  // Starts another file: ends an unterminated last line of the file before with '\n', and sets
  // the label of -H and restarts the numbers of -n. Call between files, not within one.
  void begin_file(std::string_view label);
  bool failed() const override {
    return out_.status() != FdWriter::Status::kOk || !spool_lost_.empty();
  }
  void mirror(std::string_view memory, int fd, int64_t offset) override {
    out_.mirror(memory, fd, offset);
  }
  void forget_mirrors() override { out_.forget_mirrors(); }
  // Why the printer failed, when not because of the output descriptor (see FdWriter).
  const std::string& spool_error() const { return spool_lost_; }
  // Whether the last line written had no terminator, and forgetting it: with -j a printer
  // writes one file after another of the same worker, and the file before in argument order
  // is often another worker's (app/file_jobs.cpp carries the fact across).
  bool unterminated() const { return unterminated_; }
  void forget_unterminated() { unterminated_ = false; }
  // A note for the user on how a long line got by (the spool moved to memory, or the line was
  // passed through), or ""; cleared by the call. Each kind is given once per printer.
  std::string take_notice();

  // Swaps the annotator (after a table reload). Call between lines.
  void set_annotator(const Annotator& annotator) { annotator_ = &annotator; }
  // Number of annotated lines written.
  uint64_t annotated_lines() const { return annotated_lines_; }

 private:
  void write_annotated(std::string_view content, bool borrowed, std::string_view terminator,
                       const Verdict& verdict, uint64_t content_offset);
  void write_content(std::string_view bytes, bool borrowed);
  void emit_piece(std::string_view bytes, bool borrowed);
  void hold_json_tail(std::string_view bytes, uint64_t base);
  void spool_piece(std::string_view bytes, bool borrowed);
  void unspool();
  void lose_line();
  void passthrough_lines(std::string_view bytes);
  void start_line();
  void write_prefix();
  void end_output_line(std::string_view terminator);

  FdWriter& out_;
  const Annotator* annotator_;
  PrinterOptions options_;
  std::string scratch_;     // annotation text, reused
  JsonObjectScanner json_;  // shape of the current line
  JsonValidator valid_;     // whether it is valid JSON (JSON mode)
  bool in_line_ = false;    // pieces of the current line were given
  std::string held_;        // JSON mode: bytes from the closing brace on
  Spool spool_;             // --only-errors: pieces of the current long line
  bool unspooled_ = false;  // ... which the spool could not hold: it is passed through
  bool noted_unspooled_ = false;
  std::string notice_;      // for take_notice()
  std::string spool_lost_;  // the spool could not be read back
  uint64_t annotated_lines_ = 0;
  // -H and -n; plain_ when neither is on and every passed-through byte is written as it is.
  bool decorated_ = false;
  bool plain_ = true;
  std::string label_;          // -H: the current file's label
  uint64_t line_number_ = 0;   // -n: the number of the current (or last) line of the file
  bool unterminated_ = false;  // the last line written had no terminator
};

}  // namespace coinone
