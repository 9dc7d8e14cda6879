#include "coinone_annotate/report/listen_socket.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <system_error>

namespace coinone {

namespace {

constexpr std::string_view kDefaultHost = "127.0.0.1";

std::optional<int> parse_port(std::string_view text) {
  int port = -1;
  const char* end = text.data() + text.size();
  auto [at, ec] = std::from_chars(text.data(), end, port);
  if (text.empty() || text.size() > 5 || ec != std::errc() || at != end || port < 0 ||
      port > 65535) {
    return std::nullopt;
  }
  return port;
}

std::string errno_text(int number) {
  return std::error_code(number, std::generic_category()).message();
}

// One resolved address: a bound, listening socket, or -1 with errno set.
int bind_and_listen(const addrinfo& ai) {
  const int fd =
      ::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol);
  if (fd < 0) return -1;
  const int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  if (::bind(fd, ai.ai_addr, ai.ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

int bound_port(int fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) return -1;
  if (local.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error) {
  std::string_view host;
  std::string_view port = text;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close < 2 || text.substr(close + 1, 1) != ":") {
      error = fmt::format("expected [IPV6]:PORT, got '{}'", text);
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      error = fmt::format("IPv6 addresses go in brackets, as in [::1]:9464; got '{}'", text);
      return std::nullopt;
    }
  }
  const std::optional<int> number = parse_port(port);
  if (!number) {
    error =
        fmt::format("bad port in '{}' (expected HOST:PORT, :PORT or PORT, port 0..65535)", text);
    return std::nullopt;
  }
  return ListenAddress{std::string(host.empty() ? kDefaultHost : host), *number};
}

std::string format_listen_address(const ListenAddress& address) {
  if (address.host.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", address.host, address.port);
  }
  return fmt::format("{}:{}", address.host, address.port);
}

int open_listen_socket(const ListenAddress& address, ListenAddress& bound, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(address.port);
  const std::string where = format_listen_address(address);
  if (int rc = ::getaddrinfo(address.host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    error = fmt::format("cannot listen on {}: {}", where,
                        rc == EAI_SYSTEM ? errno_text(errno) : ::gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  int first_errno = 0;  // the first address's reason is the one worth telling
  for (const addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = bind_and_listen(*ai);
    if (fd < 0 && first_errno == 0) first_errno = errno;
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    error = fmt::format("cannot listen on {}: {}", where,
                        first_errno != 0 ? errno_text(first_errno) : "no address to bind");
    return -1;
  }
  bound = ListenAddress{address.host, bound_port(fd)};
  return fd;
}

}  // namespace coinone
