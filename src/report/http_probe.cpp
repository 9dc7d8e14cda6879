#include "coinone_annotate/report/http_probe.h"

#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <system_error>

#include "coinone_annotate/base/syscalls.h"

namespace coinone {

namespace {

using Clock = std::chrono::steady_clock;

// Enough for a status line, the headers and the first line of a short body.
constexpr size_t kMaxResponse = 4096;
// The most of the body quoted in a message.
constexpr size_t kMaxQuoted = 200;

std::string errno_text(int number) {
  return std::error_code(number, std::generic_category()).message();
}

bool is_http_scheme(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.size() < kScheme.size()) return false;
  return std::equal(kScheme.begin(), kScheme.end(), url.begin(),
                    [](char a, char b) { return a == (b | 0x20); });
}

// "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT" into the target; false with `error` set.
bool parse_authority(std::string_view authority, ProbeTarget& target, std::string& error) {
  std::string_view host = authority, port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    const std::string_view rest =
        close == std::string_view::npos ? "" : authority.substr(close + 1);
    if (close == std::string_view::npos || close < 2 || (!rest.empty() && rest[0] != ':')) {
      error = fmt::format("expected [IPV6] or [IPV6]:PORT, got '{}'", authority);
      return false;
    }
    host = authority.substr(1, close - 1);
    has_port = !rest.empty();
    port = has_port ? rest.substr(1) : rest;
  } else if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    has_port = true;
  }
  if (host.empty() || host.find_first_of("@ ") != std::string_view::npos) {
    error = fmt::format("no host in '{}'", authority);
    return false;
  }
  if (has_port) {
    int number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || number < 1 ||
        number > 65535) {
      error = fmt::format("bad port in '{}' (1..65535)", authority);
      return false;
    }
    target.port = number;
  }
  target.host = std::string(host);
  target.authority = std::string(authority);
  return true;
}

// The body's first line, printable ASCII only, at most kMaxQuoted bytes.
std::string quote_body(std::string_view response) {
  const size_t head_end = response.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return {};
  std::string_view body = response.substr(head_end + 4);
  body = body.substr(0, std::min(body.find_first_of("\r\n"), kMaxQuoted));
  std::string quoted(body);
  for (char& c : quoted)
    if (c < 0x20 || c > 0x7e) c = '?';
  return quoted;
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 60'000));
}

// Waits for `events` on `fd` until the deadline: true when ready, false with errno set (ETIMEDOUT
// when time ran out).
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int n = sys::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) {
      errno = ETIMEDOUT;
      return false;
    }
    if (errno != EINTR) return false;
  }
}

// A connected socket to one of the host's addresses, or -1 with `error` set.
int connect_to(const ProbeTarget& target, Clock::time_point deadline, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(target.port);
  if (const int rc = ::getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    error = fmt::format("cannot resolve {}: {}", target.host, ::gai_strerror(rc));
    return -1;
  }
  int fd = -1, last_errno = 0;
  for (const addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    int so_error = 0;
    socklen_t length = sizeof(so_error);
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 &&
        (errno != EINPROGRESS || !wait_for(fd, POLLOUT, deadline) ||
         ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length) != 0 || so_error != 0)) {
      last_errno = so_error != 0 ? so_error : errno;
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0)
    error = fmt::format(
        "cannot connect to {}: {}", target.authority,
        last_errno == ETIMEDOUT ? "no connection within the time-out" : errno_text(last_errno));
  return fd;
}

// Sends the request and reads the answer up to end of file or kMaxResponse bytes; false with
// `error` set.
bool exchange(int fd, const ProbeTarget& target, Clock::time_point deadline, std::string& response,
              std::string& error) {
  const std::string request = fmt::format(
      "GET {} HTTP/1.0\r\nHost: {}\r\nUser-Agent: coinone-annotate-probe\r\n"
      "Connection: close\r\n\r\n",
      target.path, target.authority);
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR && (errno != EAGAIN || !wait_for(fd, POLLOUT, deadline))) {
      error = fmt::format("cannot send the request: {}", errno_text(errno));
      return false;
    }
  }
  char buffer[kMaxResponse];
  while (response.size() < kMaxResponse) {
    if (!wait_for(fd, POLLIN, deadline)) {
      if (errno == ETIMEDOUT && parse_status_code(response) > 0) return true;  // slow body
      error = errno == ETIMEDOUT ? "no answer within the time-out"
                                 : fmt::format("cannot read the answer: {}", errno_text(errno));
      return false;
    }
    const ssize_t n = sys::read(fd, buffer, kMaxResponse - response.size());
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) continue;
    if (n < 0) {
      error = fmt::format("cannot read the answer: {}", errno_text(errno));
      return false;
    }
    response.append(buffer, static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::optional<ProbeTarget> parse_probe_url(std::string_view url, std::string& error) {
  if (!is_http_scheme(url)) {
    error = fmt::format("only http:// URLs can be probed, not '{}'", url);
    return std::nullopt;
  }
  const std::string_view rest = url.substr(7);
  if (rest.find_first_of(std::string_view("\0\r\n\t ", 5)) != std::string_view::npos) {
    error = fmt::format("a URL has no spaces or control characters: '{}'", url);
    return std::nullopt;
  }
  const size_t path_at = std::min(rest.find_first_of("/?#"), rest.size());
  ProbeTarget target;
  if (!parse_authority(rest.substr(0, path_at), target, error)) return std::nullopt;
  std::string_view path = rest.substr(path_at);
  path = path.substr(0, path.find('#'));
  if (!path.empty())
    target.path = path.starts_with('/') ? std::string(path) : "/" + std::string(path);
  return target;
}

int parse_status_code(std::string_view response) {
  // "HTTP/1.0 200" or "HTTP/1.1 200", then a space or the end of the line.
  if (response.size() < 12 || !response.starts_with("HTTP/1.") || response[8] != ' ') return -1;
  int code = 0;
  const auto [end, ec] = std::from_chars(response.data() + 9, response.data() + 12, code);
  if (ec != std::errc() || end != response.data() + 12 || code < 100) return -1;
  if (response.size() > 12 && response[12] != ' ' && response[12] != '\r') return -1;
  return code;
}

ProbeResult probe(const ProbeTarget& target, std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  ProbeResult result;
  const int fd = connect_to(target, deadline, result.message);
  if (fd < 0) return result;
  std::string response;
  const bool answered = exchange(fd, target, deadline, response, result.message);
  ::close(fd);
  if (!answered) return result;
  result.status = parse_status_code(response);
  if (result.status < 0) {
    result.status = 0;
    result.message = fmt::format("not an HTTP answer: '{}'",
                                 quote_body("\r\n\r\n" + response.substr(0, kMaxQuoted)));
    return result;
  }
  result.healthy = result.status >= 200 && result.status <= 299;
  const std::string body = quote_body(response);
  result.message = body.empty() ? fmt::format("HTTP {}", result.status)
                                : fmt::format("HTTP {}: {}", result.status, body);
  return result;
}

}  // namespace coinone
