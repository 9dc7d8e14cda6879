// CountSink: the Sink of grep's -c, -l and -q, which write no line of the input: it only counts
// the annotated lines. Every call but line_end() with a verdict does nothing, so the search
// costs what the scan costs. Copyable value; one thread.
#pragma once
#include <cstdint>
#include <string_view>

#include "coinone_annotate/output/sink.h"

namespace coinone {

class CountSink final : public Sink {
 public:
  void passthrough(std::string_view) override {}
  void line_piece(std::string_view) override {}
  void line_end(std::string_view, std::string_view, const Verdict& verdict) override {
    if (!verdict.empty()) ++annotated_lines_;
  }
  void flush() override {}
  bool failed() const override { return false; }
  // Annotated lines seen so far, over every search this sink was given to.
  uint64_t annotated_lines() const { return annotated_lines_; }

 private:
  uint64_t annotated_lines_ = 0;
};

}  // namespace coinone
