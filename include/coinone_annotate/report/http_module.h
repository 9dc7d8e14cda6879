// The HTTP server module: the interface between the binary and lib/coinone-annotate/http-server.so.
//
// Why a module. The metrics server runs on libmicrohttpd, and Debian's libmicrohttpd12 links
// GnuTLS, which links nettle, hogweed, gmp, p11-kit, libtasn1, libidn2 and libunistring. Linked
// into the executable, the loader maps and relocates all of them at every start, also for the
// plain filter that never opens a port: on empty input that tripled the start-up time against
// `cat` (README, Performance). The libmicrohttpd code therefore lives in a small shared module
// that only MetricsServer::start() loads (dlopen), so that only `--metrics` pays for it.
// Alternatives weighed: GNU ld has no lazy loading of DT_NEEDED libraries (Solaris' -z lazyload);
// a hand-written HTTP server would give up libmicrohttpd's bounds on hostile clients
// (metrics_server.h); cpp-httplib starved /healthz with a few idle connections.
//
// Contract. The module is built from the same sources by the same compiler as the binary and
// installed with it, so the interface may pass C++ types (std::string, ServerLimits); kAbiVersion
// guards against a stale module next to a new binary all the same. The module exports one C
// symbol, kEntryPoint, a function returning the Api table. The module keeps no global state: every
// server is an independent object behind Api::start/Api::stop.
//
// Threads. Api::start() starts one thread that runs the event loop and calls the handler for each
// request head; Api::stop() joins it. The handler must be safe to call from that thread.
#pragma once
#include <string>
#include <string_view>

#include "coinone_annotate/report/server_limits.h"

namespace coinone::http_module {

// Raised whenever Api or anything it passes changes shape.
inline constexpr int kAbiVersion = 1;
// The exported function: `const Api* coinone_http_module()`.
inline constexpr const char* kEntryPoint = "coinone_http_module";
// The module's path relative to the directory of the installed executable, and its file name.
inline constexpr const char* kInstalledDir = "../lib/coinone-annotate";
inline constexpr const char* kBuildTreeDir = "lib/coinone-annotate";
inline constexpr const char* kFileName = "http-server.so";

// What the handler answers. `type` must point to a string that outlives the server (a literal).
struct Reply {
  unsigned status = 200;
  std::string body;
  const char* type = "text/plain";
};

// Called once per request, when its head is complete and before any body is read.
using Handler = Reply (*)(const void* context, std::string_view path, std::string_view method);

struct Server;  // opaque, owned by the module

struct Api {
  int abi_version;
  // Serves HTTP on `listen_fd`, a listening, non-blocking socket, which the server then owns
  // (stop() closes it; on failure start() closes it too). Null on failure, with `error` set.
  Server* (*start)(int listen_fd, const ServerLimits& limits, Handler handler, const void* context,
                   std::string& error);
  // Stops the loop, closes the socket and every connection, joins the thread and frees `server`.
  void (*stop)(Server* server);
};

using EntryPoint = const Api* (*)();

}  // namespace coinone::http_module
