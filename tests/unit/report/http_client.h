// A blocking HTTP/1.1 client over plain sockets, for the metrics server's tests: it says
// exactly what is sent (a test may send a broken or hostile request) and reads the answer to
// the end of the connection. Loopback only; every call is bounded by socket timeouts.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace coinone::test {

// An owned socket descriptor.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket();
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Connects to host:port ("127.0.0.1" or "::1"), with send and receive timeouts of `timeout`.
// Invalid on failure.
Socket connect_to(int port, const char* host = "127.0.0.1",
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

// Sends all of `bytes`; false on any error (MSG_NOSIGNAL: a closed peer gives EPIPE).
bool send_all(const Socket& socket, std::string_view bytes);

// Reads until the peer closes, an error, a timeout, or `limit` bytes.
std::string read_to_end(const Socket& socket, size_t limit = 16 << 20);

// True when the peer has closed its side (recv gives 0 or an error other than EAGAIN) without
// waiting.
bool peer_closed(const Socket& socket);

struct HttpReply {
  int status = 0;    // 0: no status line came back
  std::string head;  // status line and headers, CRLFs included
  std::string body;
  std::string header(std::string_view name) const;  // first value, "" when absent
};

// Parses what a server sent back.
HttpReply parse_reply(const std::string& raw);

// One request with "Connection: close"; empty when the connection failed.
std::optional<HttpReply> http_request(int port, std::string_view method, std::string_view path,
                                      const char* host = "127.0.0.1");

// Resident memory of this process, from /proc/self/status, in bytes.
size_t resident_bytes();

}  // namespace coinone::test
