// Listening addresses for the metrics server: parsing "HOST:PORT" and opening the socket.
//
// Addresses: "HOST:PORT", ":PORT" or "PORT"; no host means 127.0.0.1, because counters of a
// trading bot's errors are nobody else's business: write 0.0.0.0:PORT or [::]:PORT to listen on
// every interface. IPv6 hosts go in brackets, "[::1]:9464". Port 0 picks a free port.
//
// The socket is opened here rather than by the HTTP library so that a failure says why ("Address
// already in use"), and so that it is bound with SO_REUSEADDR but never SO_REUSEPORT: with
// SO_REUSEPORT a second instance would bind the same port and Prometheus would scrape either of
// them at random. Plain functions, no state; safe from any thread.
#pragma once
#include <optional>
#include <string>
#include <string_view>

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

// A listening, non-blocking, close-on-exec TCP socket bound to `address` (the first of its
// resolved addresses that binds). Returns the descriptor, which the caller owns, and sets
// `bound` to the address with the port actually bound; -1 on failure with `error` set, e.g.
// "cannot listen on 127.0.0.1:9464: Address already in use".
int open_listen_socket(const ListenAddress& address, ListenAddress& bound, std::string& error);

}  // namespace coinone
