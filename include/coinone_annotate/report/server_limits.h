// ServerLimits: the bounds the metrics server puts on its clients (see metrics_server.h for why).
// A plain value, shared by the binary and the HTTP server module (http_module.h).
#pragma once
#include <chrono>
#include <cstddef>

namespace coinone {

struct ServerLimits {
  // Open connections at most; one more closes the oldest.
  unsigned max_connections = 256;
  // Memory per connection (libmicrohttpd's pool), which bounds the request head: with 16 KiB a
  // head of one long header line may reach about 16 KiB, and one of many short lines about 200
  // of them (the parsed headers share the pool), far above any scraper's few hundred bytes in
  // a handful of lines; 256 connections then hold at most 4 MiB.
  size_t connection_memory = 16 * 1024;
  // Seconds without any traffic before a connection is closed.
  unsigned idle_seconds = 2;
  // Lifetime of a connection from its accept, request and answer included; Prometheus' default
  // scrape timeout is 10 s.
  std::chrono::milliseconds connection_deadline{10000};
};

}  // namespace coinone
