// The program's version, set once in CMakeLists.txt.
#pragma once
#include <string_view>

namespace coinone {
std::string_view version();
}  // namespace coinone
