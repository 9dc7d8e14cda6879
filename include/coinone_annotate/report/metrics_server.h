// MetricsServer: serves a Metrics object over HTTP for Prometheus, on a thread of its own.
//
//   GET /metrics  200, Content-Type "text/plain; version=0.0.4; charset=utf-8", the text
//                 exposition of render_prometheus() (prometheus_text.h)
//   GET /healthz  200 "ok\n" while Metrics::healthy(), else 503 "unhealthy\n"
//   HEAD          as GET, without the body
//   other methods on those two paths: 405 with "Allow: GET, HEAD"; any other path: 404
//
// The port sits on a pod network next to a trading bot, and the orchestrator restarts the
// sidecar when /healthz stops answering, so hostile or merely slow clients must cost nothing:
//   - One event loop (epoll) serves every connection: an idle or trickling client holds no
//     thread, and /healthz answers in well under a millisecond with hundreds of them open.
//   - A request body is never read. The answer is queued as soon as the request head is
//     complete, and a connection whose request announced a body is closed after the answer.
//   - The request head (request line and headers) is capped by the per-connection memory limit
//     (ServerLimits::connection_memory): a bigger one gets 431 and the connection is closed.
//   - A connection lives at most ServerLimits::connection_deadline from its accept, whatever
//     it sends (slowloris), and at most ServerLimits::idle_seconds without any traffic.
//   - At most ServerLimits::max_connections connections are open. A new one beyond that closes
//     the oldest rather than being refused: the oldest is the one that has had its chance, and
//     so a probe still gets in while an attacker holds the cap.
//
// Why libmicrohttpd (Debian's libmicrohttpd12): it is an HTTP server library made for exactly
// this, with an epoll mode, connection limits, an idle timeout and a fixed memory pool per
// connection, and it hands the request to the application before reading any body. The
// alternatives in Debian 12 fall short: cpp-httplib (used before) queues connections to a
// fixed thread pool, so that six idle or two slowloris connections starved /healthz, and it
// pulls OpenSSL, zlib and Brotli into every start of the binary; libevent 2.1's evhttp calls
// its handler only once it has read the body (up to a size limit, then 413), and its
// connection limit came in 2.2. What libmicrohttpd lacks is a deadline for a whole connection (its
// timeout restarts with every byte received): the module adds it by shutting down overdue sockets
// from the loop (see close_overdue() in http_server_mhd.cpp). libmicrohttpd links GnuTLS, whose
// loading costs about 1.5 ms of CPU: so that only --metrics pays for it, the libmicrohttpd code
// sits in a module loaded on the first start() (http_module.h, http_module_loader.h). This file
// opens the socket, answers the requests (the routing below), and drives the module.
//
// Addresses: see listen_socket.h ("HOST:PORT", ":PORT", "PORT", "[::1]:PORT"; 127.0.0.1 by
// default; port 0 picks a free port, which port() tells).
//
// Threads and lifetime. start() binds and listens before it returns, so an error such as
// "cannot listen on 127.0.0.1:9464: Address already in use" comes back from start() and a
// client may connect as soon as it returns. One thread runs the loop and the handlers, which
// only read the Metrics (which must outlive the server). stop() wakes the loop, joins it, and
// closes the listening socket and every connection: it takes well under a millisecond, whatever
// the clients do. Sockets are written with MSG_NOSIGNAL, so a client that hangs up raises no
// SIGPIPE. Not copyable or movable; the destructor calls stop().
#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "coinone_annotate/report/listen_socket.h"
#include "coinone_annotate/report/metrics.h"
#include "coinone_annotate/report/server_limits.h"

namespace coinone {

class MetricsServer {
 public:
  // Parses `host_port`, binds, loads the HTTP server module, and starts serving `metrics`. Null on
  // failure, with `error` set, e.g. "cannot listen on 127.0.0.1:9464: Address already in use" or
  // "the HTTP server module is missing (looked for ...)".
  static std::unique_ptr<MetricsServer> start(const std::string& host_port, const Metrics& metrics,
                                              std::string& error, const ServerLimits& limits = {});

  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Stops the loop, closes the socket and every connection, and joins the thread. Idempotent.
  void stop();

  // The port actually bound (the chosen one when 0 was asked for).
  int port() const;
  // The address bound, e.g. "127.0.0.1:9464" or "[::1]:9464".
  const std::string& address() const;

 private:
  struct Impl;
  explicit MetricsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace coinone
