#include "coinone_annotate/output/printer.h"

#include <fmt/format.h>

#include <cstring>
#include <utility>

#include "coinone_annotate/match/literal_search.h"

namespace coinone {

Printer::Printer(FdWriter& out, const Annotator& annotator, PrinterOptions options)
    : out_(out),
      annotator_(&annotator),
      options_(options),
      decorated_(options.with_filename || options.line_numbers),
      plain_(!options.only_errors && !decorated_) {}

void Printer::passthrough(std::string_view bytes) {
  if (plain_)  // the plain filter: one test per run of lines, as before -H and -n
    out_.write_borrowed(bytes);
  else if (decorated_)
    passthrough_lines(bytes);
}

// -H or -n: every line of the run gets its prefix; with --only-errors none is written, but -n
// must still count them.
void Printer::passthrough_lines(std::string_view bytes) {
  if (options_.only_errors) {
    line_number_ += count_byte(bytes, '\n');
    return;
  }
  while (!bytes.empty()) {  // whole lines: each ends in '\n'
    const void* newline = std::memchr(bytes.data(), '\n', bytes.size());
    const size_t end =
        newline == nullptr
            ? bytes.size()
            : static_cast<size_t>(static_cast<const char*>(newline) - bytes.data()) + 1;
    start_line();
    write_prefix();
    out_.write_borrowed(bytes.substr(0, end));
    bytes.remove_prefix(end);
  }
}

void Printer::begin_file(std::string_view label) {
  if (unterminated_) out_.write("\n");
  unterminated_ = false;
  label_.assign(label);
  line_number_ = 0;
}

void Printer::start_line() {
  if (decorated_) ++line_number_;
}

void Printer::write_prefix() {
  if (!decorated_) return;
  if (options_.with_filename) {
    out_.write(label_);
    out_.write(":");
  }
  if (options_.line_numbers) {
    const fmt::format_int number(line_number_);
    out_.write(std::string_view(number.data(), number.size()));
    out_.write(":");
  }
}

void Printer::end_output_line(std::string_view terminator) {
  out_.write(terminator);
  unterminated_ = terminator.empty();
}

void Printer::line_piece(std::string_view bytes) {
  if (!spool_lost_.empty()) return;  // the output ends where the lost bytes began
  if (!in_line_) {
    in_line_ = true;
    json_.reset();
    if (options_.format == OutputFormat::kJson) valid_.reset();
    start_line();
    if (!options_.only_errors) write_prefix();  // else before the spool is written out
  }
  if (options_.format == OutputFormat::kJson) {
    const uint64_t base = json_.fed();
    json_.feed(bytes);
    valid_.feed(bytes);
    if (json_.is_one_object()) {
      hold_json_tail(bytes, base);
      return;
    }
    emit_piece(held_, false);
    held_.clear();
  }
  emit_piece(bytes, true);
}

// The closing brace (at json_.close_offset()) and what follows stay here until the line ends.
void Printer::hold_json_tail(std::string_view bytes, uint64_t base) {
  const uint64_t close = json_.close_offset();
  if (close >= base) {  // the brace is in this piece
    const size_t split = static_cast<size_t>(close - base);
    emit_piece(bytes.substr(0, split), true);
    held_.assign(bytes.substr(split));
  } else {
    held_.append(bytes);
  }
  if (held_.size() > kMaxHeld) {  // a huge run of trailing spaces: give up on JSON for it
    json_.give_up();
    emit_piece(held_, false);
    held_.clear();
  }
}

void Printer::emit_piece(std::string_view bytes, bool borrowed) {
  if (bytes.empty() || !spool_lost_.empty()) return;
  if (options_.only_errors && !unspooled_)
    spool_piece(bytes, borrowed);
  else
    write_content(bytes, borrowed);
}

void Printer::spool_piece(std::string_view bytes, bool borrowed) {
  if (spool_.append(bytes)) return;
  unspool();
  if (spool_lost_.empty()) write_content(bytes, borrowed);
}

// The spool can take no more of this line: what it holds, and the rest of the line, go out now.
void Printer::unspool() {
  unspooled_ = true;
  if (!noted_unspooled_) {
    noted_unspooled_ = true;
    if (!notice_.empty()) notice_ += '\n';
    notice_ +=
        spool_.error() + ": the line is passed through whole, whether or not it carries an error";
  }
  write_prefix();
  if (!spool_.copy_to(out_)) lose_line();
}

// The spool could not give back the start of the line: the output stops before what is lost,
// and failed() ends the run.
void Printer::lose_line() {
  spool_lost_ = spool_.error();
  in_line_ = unspooled_ = false;
}

std::string Printer::take_notice() {
  std::string note = spool_.take_note();
  if (!notice_.empty()) {
    if (!note.empty()) note += '\n';
    note += std::exchange(notice_, {});
  }
  return note;
}

void Printer::line_end(std::string_view rest, std::string_view terminator, const Verdict& verdict) {
  if (!spool_lost_.empty()) return;
  const bool had_pieces = in_line_;
  in_line_ = false;
  if (!had_pieces) start_line();  // (a line in pieces was counted at its first piece)
  uint64_t offset = 0;            // offset in the line of the first byte of what is written below
  std::string joined;
  std::string_view content = rest;
  if (had_pieces) {
    if (options_.format == OutputFormat::kJson) {
      offset = json_.fed() - held_.size();
      json_.feed(rest);
      valid_.feed(rest);
      joined = std::move(held_);
      held_.clear();
      joined.append(rest);
      content = joined;
    }
    if (options_.only_errors && unspooled_) {
      unspooled_ = false;  // its start is out: the end goes too, annotated or not
      if (verdict.empty()) {
        write_content(content, joined.empty());
        end_output_line(terminator);
        return;
      }
    } else if (options_.only_errors) {
      if (verdict.empty()) {
        spool_.clear();
        return;
      }
      write_prefix();
      if (!spool_.copy_to(out_)) {
        lose_line();
        return;
      }
    }
  } else if (options_.format == OutputFormat::kJson && !verdict.empty()) {
    json_.reset();
    json_.feed(rest);
    valid_.reset();
    valid_.feed(rest);
  }
  // content is the caller's span unless it had to be joined with held-back bytes here.
  const bool borrowed = joined.empty();
  if (verdict.empty()) {
    if (!options_.only_errors) {
      if (!had_pieces) write_prefix();
      write_content(content, borrowed);
      end_output_line(terminator);
    }
    return;
  }
  if (!had_pieces) write_prefix();
  write_annotated(content, borrowed, terminator, verdict, offset);
}

void Printer::write_content(std::string_view bytes, bool borrowed) {
  if (borrowed)
    out_.write_borrowed(bytes);
  else
    out_.write(bytes);
}

void Printer::write_annotated(std::string_view content, bool borrowed, std::string_view terminator,
                              const Verdict& verdict, uint64_t content_offset) {
  ++annotated_lines_;
  scratch_.clear();
  // The member goes only into a line that is one object (json_) and valid JSON (valid_).
  if (options_.format == OutputFormat::kJson && json_.is_one_object() && valid_.finish()) {
    const size_t close = static_cast<size_t>(json_.close_offset() - content_offset);
    if (!json_.is_empty_object()) scratch_ += ',';
    annotator_->append_json_member(verdict, scratch_);
    write_content(content.substr(0, close), borrowed);
    out_.write(scratch_);
    write_content(content.substr(close), borrowed);
  } else {
    write_content(content, borrowed);
    annotator_->write_text(verdict, [this](std::string_view piece) { out_.write(piece); });
  }
  end_output_line(terminator);
}

}  // namespace coinone
