// The Coinone error codes the corpus draws from: the filter's own compiled-in table, the codes
// real bots hit most, the one unknown code, and the tail of the --long-line line.
#pragma once
#include <string_view>
#include <vector>

namespace corpus {

struct Code {
  unsigned code;
  std::string_view msg;
};

// The codes and English meanings of the project's own table (data/coinone-error-codes.tsv,
// compiled into coinone_core), so the corpus always uses the codes the filter knows.
std::vector<Code> table_codes();

// Codes that real bots hit most; drawn half of the time when they are in the table.
inline constexpr unsigned kCommonCodes[] = {103u, 104u, 107u, 108u, 131u, 132u, 306u, 405u};

inline constexpr std::string_view kUnknownTail = "Unknown error";
inline constexpr unsigned kUnknownCode = 9999u;

inline constexpr std::string_view kLongLineTail = R"({"result":"error","error_code":"103"})";

}  // namespace corpus
