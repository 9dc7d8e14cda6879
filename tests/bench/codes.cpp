// table_codes(): the corpus codes taken from the filter's compiled-in table (see codes.h).
#include "codes.h"

#include "coinone_annotate/match/code_table.h"

namespace corpus {

std::vector<Code> table_codes() {
  std::vector<Code> codes;
  for (const auto& entry : coinone::builtin_code_table().entries())
    codes.push_back(Code{entry.code, entry.english});
  return codes;
}

}  // namespace corpus
