// MetricsServer: serves a Metrics object over HTTP for Prometheus, on threads of its own.
//
//   GET /metrics  200, Content-Type "text/plain; version=0.0.4; charset=utf-8", the text
//                 exposition of render_prometheus() (prometheus_text.h)
//   GET /healthz  200 "ok\n" while Metrics::healthy(), else 503 "unhealthy\n"
//   anything else 404 (HEAD works like GET)
//
// Addresses: "HOST:PORT", ":PORT" or "PORT"; no host means 127.0.0.1, because counters of a
// trading bot's errors are nobody else's business: write 0.0.0.0:PORT or [::]:PORT to listen on
// every interface. IPv6 hosts go in brackets, "[::1]:9464". Port 0 picks a free port; port()
// tells which.
//
// Threads and lifetime. start() binds and listens before it returns, so an error such as
// "cannot listen on 127.0.0.1:9464: Address already in use" comes back from start() and a
// client may connect as soon as it returns. One thread accepts; two workers answer (scrapes are
// rare and tiny; the library's default pool would start max(8, cores - 1) idle threads). The
// handlers only read the Metrics, which must outlive the server. Each connection serves one
// request and is closed, and an idle connection is dropped after one second, so that stop()
// returns promptly: it joins every thread, measured at 0.7 ms with no client connected. A client
// that has connected and not yet sent a whole request holds its worker, and so stop(), for up to
// that second (measured 0.95 s): cpp-httplib 0.11 offers no way to cut such a connection short,
// and one second is its shortest keep-alive wait.
//
// The socket is bound with SO_REUSEADDR but not SO_REUSEPORT (which cpp-httplib sets by
// default): with SO_REUSEPORT a second instance would bind the same port and Prometheus would
// scrape either of them at random.
//
// cpp-httplib writes to sockets without MSG_NOSIGNAL: a scraper that hangs up mid-response
// raises SIGPIPE, so the program must ignore SIGPIPE (app.cpp does).
//
// Not copyable or movable; the destructor calls stop().
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coinone_annotate/report/metrics.h"

namespace coinone {

struct ListenAddress {
  std::string host;  // without brackets: "127.0.0.1", "::1", "localhost"
  int port = 0;      // 0..65535; 0: any free port
};

// Parses "HOST:PORT", ":PORT", "PORT" or "[IPV6]:PORT". Empty on failure, with `error` saying
// why, e.g. "bad port in 'x:70000' (0..65535)".
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error);

// "host:port", or "[host]:port" when the host has a colon.
std::string format_listen_address(const ListenAddress& address);

class MetricsServer {
 public:
  // Parses `host_port`, binds, and starts serving `metrics`. Null on failure, with `error` set,
  // e.g. "cannot listen on 127.0.0.1:9464: Address already in use".
  static std::unique_ptr<MetricsServer> start(const std::string& host_port, const Metrics& metrics,
                                              std::string& error);

  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Stops accepting, closes the socket and joins the threads. Idempotent.
  void stop();

  // The port actually bound (the chosen one when 0 was asked for).
  int port() const;
  // The address bound, e.g. "127.0.0.1:9464" or "[::1]:9464".
  const std::string& address() const;

 private:
  struct Impl;  // keeps <httplib.h> out of every other translation unit
  explicit MetricsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace coinone
