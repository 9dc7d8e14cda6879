// Finding and loading the HTTP server module (http_module.h) on first use.
//
// The module is looked for next to the executable, never on a search path, so that no
// LD_LIBRARY_PATH or working directory can slip another one in:
//   EXE_DIR/../lib/coinone-annotate/http-server.so   installed (bin/ and lib/ under one prefix)
//   EXE_DIR/lib/coinone-annotate/http-server.so      the build tree (build/coinone-annotate)
// EXE_DIR is the directory of /proc/self/exe with symbolic links resolved (without /proc, of the
// absolute path the program was started by). The first candidate
// that exists is loaded (dlopen, RTLD_NOW | RTLD_LOCAL) and stays loaded for the life of the
// process; a candidate that exists but does not load is an error, not a reason to try the next.
//
// Threads: load_http_module() may be called from any thread; the first call loads, later calls
// return the same result.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "coinone_annotate/report/http_module.h"

namespace coinone {

// The candidate paths for an executable at `exe_path` (absolute), in the order tried.
std::vector<std::string> http_module_candidates(std::string_view exe_path);

// The module's interface, loaded on the first call. Null on failure, with `error` saying why,
// e.g. "the HTTP server module is missing (looked for /usr/lib/coinone-annotate/http-server.so,
// /usr/bin/lib/coinone-annotate/http-server.so)".
const http_module::Api* load_http_module(std::string& error);

// The same from an explicit path (tests).
const http_module::Api* load_http_module_from(const std::string& path, std::string& error);

}  // namespace coinone
