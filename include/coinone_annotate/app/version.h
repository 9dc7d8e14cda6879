// The program's version, set once in CMakeLists.txt, and the built-in code table's source.
#pragma once
#include <string_view>

namespace coinone {
std::string_view version();
// Where the built-in code table comes from: its file and the page it was taken from (-V).
std::string_view code_table_source();
}  // namespace coinone
