// Printer: the Sink that writes annotated output (the output layer's front).
//
// Default: every byte passes through; a line with a verdict gets its annotation just before its
// terminator. --format json: a line that is exactly one valid JSON object gets the "coinone"
// member before its closing brace instead; other lines (a Ruby hash, a trailing comma, two
// objects) fall back to text. --only-errors: only annotated lines are
// written.
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
  bool failed() const override {
    return out_.status() != FdWriter::Status::kOk || !spool_lost_.empty();
  }
  // Why the printer failed, when not because of the output descriptor (see FdWriter).
  const std::string& spool_error() const { return spool_lost_; }
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
};

}  // namespace coinone
