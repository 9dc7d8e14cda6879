// HttpProbe: one HTTP GET with a deadline, for `coinone-annotate --probe URL`, the health check of
// images that have no shell, curl or wget (Compose's HEALTHCHECK, Kubernetes exec probes).
//
// Contract: only http:// URLs (the metrics server speaks plain HTTP); the request is HTTP/1.0
// with `Connection: close`, so the answer is the bytes up to end of file, never chunked. The
// probe is healthy when the status is 2xx; anything else (refused, no answer in time, not HTTP,
// another status) is unhealthy, with a one-line reason that quotes the start of the body, e.g.
// "HTTP 503: unhealthy: /var/log/bot/bot.log: Permission denied".
//
// Why a few dozen lines of sockets rather than a library: the probe needs one status code from a
// server on the same host or pod. Debian's HTTP clients (libcurl, libsoup, neon) bring TLS,
// HTTP/2, IDN, Kerberos and LDAP libraries -- libcurl4 alone needs about 20 -- into an image that
// must stay under 20 MB and a binary that must start fast; cpp-httplib was dropped for pulling
// OpenSSL, zlib and Brotli into every start.
//
// Time: connecting, sending and reading together take at most `timeout`; each wait is a poll()
// on the remaining time. Resolving a host name (getaddrinfo) cannot be bounded from here: use an
// IP address (127.0.0.1, as the samples do), or let the caller set an alarm (app/probe.cpp does).
//
// Plain functions, no state; safe from any thread. SIGPIPE cannot be raised (MSG_NOSIGNAL).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace coinone {

struct ProbeTarget {
  std::string host;        // without brackets: "127.0.0.1", "::1", "localhost"
  int port = 80;           // 1..65535
  std::string path = "/";  // with the query, if any; no fragment
  std::string authority;   // for the Host header: "127.0.0.1:9464", "[::1]:9464"
};

// Parses "http://HOST[:PORT][/PATH]". Empty on failure with `error` saying why, e.g.
// "only http:// URLs can be probed, not 'https://...'".
std::optional<ProbeTarget> parse_probe_url(std::string_view url, std::string& error);

// The status code of "HTTP/1.x NNN ..." at the start of `response`; -1 when it is not that.
int parse_status_code(std::string_view response);

struct ProbeResult {
  bool healthy = false;
  int status = 0;       // the HTTP status, 0 when none was received
  std::string message;  // why it is unhealthy, or "HTTP 200" when healthy
};

ProbeResult probe(const ProbeTarget& target, std::chrono::milliseconds timeout);

}  // namespace coinone
