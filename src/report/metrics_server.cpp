#include "coinone_annotate/report/metrics_server.h"

#include "coinone_annotate/report/prometheus_text.h"

// Debian's libcpp-httplib is a compiled library (split header), built with OpenSSL, zlib and
// Brotli support; CPPHTTPLIB_OPENSSL_SUPPORT adds members to httplib::Request and the client
// classes, so code compiled without it disagrees with the library about their layout: an ODR
// violation, undefined behaviour even where it happens to work (these handlers do not touch the
// moved members today). `pkg-config --cflags cpp-httplib` supplies the definitions. With a
// header-only cpp-httplib built without OpenSSL, define COINONE_HTTPLIB_WITHOUT_OPENSSL to skip
// this check.
#if !defined(CPPHTTPLIB_OPENSSL_SUPPORT) && !defined(COINONE_HTTPLIB_WITHOUT_OPENSSL)
#error \
    "compile with the flags of `pkg-config --cflags cpp-httplib` (-DCPPHTTPLIB_OPENSSL_SUPPORT ...)"
#endif
#include <fmt/format.h>
#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <system_error>
#include <thread>

namespace coinone {

namespace {

constexpr std::string_view kDefaultHost = "127.0.0.1";
constexpr std::string_view kMetricsType = "text/plain; version=0.0.4; charset=utf-8";
constexpr size_t kWorkers = 2;
// Idle and read timeouts: long enough for any scraper, short enough that stop() is not held up
// long by a client that connects and says nothing.
constexpr time_t kTimeoutSeconds = 1;

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

// cpp-httplib reports a failed bind only as false. To say why, try the same bind again with
// plain sockets and keep the first error (the address may have freed up meanwhile: then the
// reason stays vague).
std::string bind_failure_reason(const ListenAddress& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(address.port);
  if (int rc = ::getaddrinfo(address.host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return rc == EAI_SYSTEM ? errno_text(errno) : ::gai_strerror(rc);
  }
  std::string reason;
  for (const addrinfo* ai = found; ai != nullptr && reason.empty(); ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      reason = errno_text(errno);
      continue;
    }
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 1) != 0) {
      reason = errno_text(errno);
    }
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return reason.empty() ? std::string("bind failed") : reason;
}

// SO_REUSEADDR lets a restarted filter bind while old connections sit in TIME_WAIT; unlike the
// library's default SO_REUSEPORT it does not let two live servers share the port.
void reuse_address_only(socket_t sock) {
  const int yes = 1;
  ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

void add_routes(httplib::Server& server, const Metrics& metrics) {
  server.Get("/metrics", [&metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_prometheus(metrics.snapshot()), std::string(kMetricsType));
  });
  server.Get("/healthz", [&metrics](const httplib::Request&, httplib::Response& res) {
    const bool healthy = metrics.healthy();
    res.status = healthy ? 200 : 503;
    res.set_content(healthy ? "ok\n" : "unhealthy\n", "text/plain");
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404) res.set_content("not found\n", "text/plain");
  });
}

void configure(httplib::Server& server) {
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
  server.set_socket_options(reuse_address_only);
  // One request per connection: a kept-alive connection would hold a worker, and so stop(),
  // for the library's 5 s keep-alive wait.
  server.set_keep_alive_max_count(1);
  server.set_keep_alive_timeout(kTimeoutSeconds);
  server.set_read_timeout(kTimeoutSeconds, 0);
  server.set_write_timeout(kTimeoutSeconds, 0);
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

struct MetricsServer::Impl {
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> finished{false};  // the accept loop has returned
  int port = 0;
  std::string address;
};

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() { stop(); }

std::unique_ptr<MetricsServer> MetricsServer::start(const std::string& host_port,
                                                    const Metrics& metrics, std::string& error) {
  std::optional<ListenAddress> wanted = parse_listen_address(host_port, error);
  if (!wanted) return nullptr;
  auto impl = std::make_unique<Impl>();
  configure(impl->server);
  add_routes(impl->server, metrics);
  const int port = wanted->port == 0 ? impl->server.bind_to_any_port(wanted->host)
                   : impl->server.bind_to_port(wanted->host, wanted->port) ? wanted->port
                                                                           : -1;
  if (port < 0) {
    error = fmt::format("cannot listen on {}: {}", format_listen_address(*wanted),
                        bind_failure_reason(*wanted));
    return nullptr;
  }
  impl->port = port;
  impl->address = format_listen_address({wanted->host, port});
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] {
    raw->server.listen_after_bind();
    raw->finished.store(true);
  });
  // httplib's stop() does nothing until the loop has marked itself running; wait for that (well
  // under a millisecond) so that stop() may follow start() at once.
  while (!raw->server.is_running() && !raw->finished.load()) {
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

void MetricsServer::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
}

int MetricsServer::port() const { return impl_->port; }

const std::string& MetricsServer::address() const { return impl_->address; }

}  // namespace coinone
