// Verdict: the codes to show for one line, decided by the matcher and rendered by the printer.
//
// This is the vocabulary shared by the match and output layers. A verdict refers to strings
// owned by the LineFindings and CodeTable it was made from, and is valid until they change.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "coinone_annotate/match/code_table.h"

namespace coinone {

struct ShownCode {
  std::string_view digits;  // the code as found, normalised
  const CodeEntry* entry;   // null for a code that is not in the table
};

struct Verdict {
  // Annotations show at most this many distinct codes; the rest are summed up as "+N more".
  static constexpr size_t kMaxShown = 8;

  std::vector<ShownCode> shown;
  size_t more = 0;  // distinct codes (or untracked fields) beyond kMaxShown

  bool empty() const { return shown.empty(); }
  void clear() {
    shown.clear();
    more = 0;
  }
};

}  // namespace coinone
