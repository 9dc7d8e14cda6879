// --explain CODE..., --list-codes and -V: what the code table knows, without a log line.
//
// Text: per code its category (English and Korean), both meanings, the advice class with its
// Korean words and what it means, and whether a retry can succeed. JSON (--format json): one
// document {"codes":[...]} whose objects hold code, category, category_ko, meaning_en,
// meaning_ko (when the code has Korean text), advice, advice_ko and retry.
//
// The table is the one the run would use (built in, with --codes merged over it). Pure
// functions that render into a string; the caller writes it.
#pragma once
#include <string>
#include <vector>

#include "coinone_annotate/match/code_table.h"

namespace coinone {

// Renders the given codes (as typed: digits, leading zeros allowed). A code that is not in the
// table, or not a number, is rendered as unknown; `all_known` tells whether every one was.
std::string explain_codes(const CodeTable& table, const std::vector<std::string>& codes, bool json,
                          bool& all_known);
// Renders every code of the table, in table order.
std::string list_codes(const CodeTable& table, bool json);
// -V: "coinone-annotate VERSION" (help2man's form), then the table's number of codes and where
// they come from: the built-in source, and the --codes file merged over it when there is one.
std::string version_text(const CodeTable& table, const std::string& codes_file);

}  // namespace coinone
