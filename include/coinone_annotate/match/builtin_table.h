// The text of data/coinone-error-codes.tsv, compiled into the binary so that no file is needed
// at run time. Parse it with parse_code_table() (code_table.h).
#pragma once
#include <string_view>

namespace coinone {
std::string_view builtin_table_text();
}  // namespace coinone
