// The --probe client: URL parsing and status lines (tables), then real exchanges on 127.0.0.1
// against the metrics server and against hand-made sockets that answer badly, slowly or not at
// all. Every case is bounded by the probe's own time-out, well under 2 s each.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "coinone_annotate/report/http_probe.h"
#include "coinone_annotate/report/metrics.h"
#include "coinone_annotate/report/metrics_server.h"
#include "report/http_client.h"

using namespace coinone;
using namespace std::chrono_literals;

namespace {

// A listening socket on 127.0.0.1 and a free port; `answer` (if any) is sent to the first
// connection after its request arrived, then the connection is closed.
class FakeServer {
 public:
  explicit FakeServer(std::string answer, bool respond = true)
      : answer_(std::move(answer)), respond_(respond) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeServer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;
  int port() const { return port_; }
  const std::string& request() const { return request_; }

 private:
  void serve() {
    const int client = ::accept(fd_, nullptr, nullptr);
    if (client < 0) return;
    char buffer[4096];
    while (request_.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::recv(client, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      request_.append(buffer, static_cast<size_t>(n));
    }
    if (respond_) {
      ::send(client, answer_.data(), answer_.size(), MSG_NOSIGNAL);
    } else {
      while (::recv(client, buffer, sizeof(buffer), 0) > 0) {
      }  // silent until the probe gives up and closes
    }
    ::close(client);
  }

  std::string answer_;
  bool respond_;
  int fd_ = -1;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

ProbeTarget target_of(const std::string& url) {
  std::string error;
  auto target = parse_probe_url(url, error);
  REQUIRE_MESSAGE(target.has_value(), error);
  return *target;
}

}  // namespace

TEST_SUITE("http_probe") {
  TEST_CASE("URLs: host, port, path, authority") {
    struct Case {
      const char* url;
      const char* host;
      int port;
      const char* path;
      const char* authority;
    };
    const Case cases[] = {
        {"http://127.0.0.1:9464/healthz", "127.0.0.1", 9464, "/healthz", "127.0.0.1:9464"},
        {"HTTP://localhost/healthz", "localhost", 80, "/healthz", "localhost"},
        {"http://localhost", "localhost", 80, "/", "localhost"},
        {"http://[::1]:9464/metrics?x=1#top", "::1", 9464, "/metrics?x=1", "[::1]:9464"},
        {"http://[::1]", "::1", 80, "/", "[::1]"},
        {"http://pod:1?probe", "pod", 1, "/?probe", "pod:1"},
        {"http://h:65535/", "h", 65535, "/", "h:65535"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.url);
      const ProbeTarget target = target_of(c.url);
      CHECK(target.host == c.host);
      CHECK(target.port == c.port);
      CHECK(target.path == c.path);
      CHECK(target.authority == c.authority);
    }
  }

  TEST_CASE("URLs that are refused, with the reason") {
    struct Case {
      const char* url;
      const char* error;
    };
    const Case cases[] = {
        {"https://127.0.0.1:9464/healthz", "only http:// URLs can be probed"},
        {"127.0.0.1:9464/healthz", "only http:// URLs can be probed"},
        {"http://", "no host in ''"},
        {"http://:9464/healthz", "no host in ':9464'"},
        {"http://user@host/", "no host in 'user@host'"},
        {"http://host:0/", "bad port in 'host:0' (1..65535)"},
        {"http://host:65536/", "bad port in 'host:65536'"},
        {"http://host:/", "bad port in 'host:'"},
        {"http://host:9x/", "bad port in 'host:9x'"},
        {"http://[::1/", "expected [IPV6] or [IPV6]:PORT"},
        {"http://[::1]x/", "expected [IPV6] or [IPV6]:PORT"},
        {"http://h/a b", "no spaces or control characters"},
        {"http://h/a\r\nX-Injected: 1", "no spaces or control characters"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.url);
      std::string error;
      CHECK_FALSE(parse_probe_url(c.url, error).has_value());
      CHECK(error.find(c.error) != std::string::npos);
      CAPTURE(error);
    }
  }

  TEST_CASE("status lines") {
    struct Case {
      const char* response;
      int status;
    };
    const Case cases[] = {
        {"HTTP/1.1 200 OK\r\n", 200},    {"HTTP/1.0 503 Service Unavailable\r\n", 503},
        {"HTTP/1.1 204\r\n", 204},       {"HTTP/1.1 200", 200},
        {"HTTP/2 200 OK\r\n", -1},       {"HTTP/1.1 20 OK\r\n", -1},
        {"HTTP/1.1 2000 OK\r\n", -1},    {"HTTP/1.1 099 X\r\n", -1},
        {"SSH-2.0-OpenSSH_9.2\r\n", -1}, {"", -1},
    };
    for (const Case& c : cases) {
      CAPTURE(c.response);
      CHECK(parse_status_code(c.response) == c.status);
    }
  }

  TEST_CASE("the metrics server: /healthz 200, then 503 with the reason, /metrics 200") {
    Metrics metrics(std::vector<CodeLabel>{});
    std::string error;
    auto server = MetricsServer::start("127.0.0.1:0", metrics, error);
    REQUIRE_MESSAGE(server != nullptr, error);
    const std::string base = "http://127.0.0.1:" + std::to_string(server->port());
    ProbeResult result = probe(target_of(base + "/healthz"), 1500ms);
    CHECK(result.healthy);
    CHECK(result.status == 200);
    CHECK(result.message == "HTTP 200: ok");
    CHECK(probe(target_of(base + "/metrics"), 1500ms).healthy);
    result = probe(target_of(base + "/nowhere"), 1500ms);
    CHECK_FALSE(result.healthy);
    CHECK(result.message == "HTTP 404: not found");
    metrics.set_health(false, "/var/log/bot/bot.log: Permission denied");
    result = probe(target_of(base + "/healthz"), 1500ms);
    CHECK_FALSE(result.healthy);
    CHECK(result.status == 503);
    CHECK(result.message == "HTTP 503: unhealthy: /var/log/bot/bot.log: Permission denied");
  }

  TEST_CASE("the request: GET, HTTP/1.0, the Host header, the path with its query") {
    FakeServer server("HTTP/1.0 204 No Content\r\n\r\n");
    const std::string authority = "127.0.0.1:" + std::to_string(server.port());
    const ProbeResult result = probe(target_of("http://" + authority + "/healthz?x=1"), 1500ms);
    CHECK(result.healthy);
    CHECK(result.message == "HTTP 204");
    CHECK(server.request().starts_with("GET /healthz?x=1 HTTP/1.0\r\nHost: " + authority + "\r\n"));
  }

  TEST_CASE("unhealthy answers: not HTTP, a 500 with a long binary body") {
    {
      FakeServer server("SSH-2.0-OpenSSH_9.2\r\n");
      const ProbeResult result =
          probe(target_of("http://127.0.0.1:" + std::to_string(server.port())), 1500ms);
      CHECK_FALSE(result.healthy);
      CHECK(result.status == 0);
      CHECK(result.message == "not an HTTP answer: 'SSH-2.0-OpenSSH_9.2'");
    }
    {
      FakeServer server("HTTP/1.1 500 Oops\r\nX: y\r\n\r\n" + std::string("bad\x01\xff") +
                        std::string(5000, 'z'));
      const ProbeResult result =
          probe(target_of("http://127.0.0.1:" + std::to_string(server.port())), 1500ms);
      CHECK_FALSE(result.healthy);
      CHECK(result.status == 500);
      CHECK(result.message == "HTTP 500: bad??" + std::string(195, 'z'));
    }
  }

  TEST_CASE("no server, and a server that never answers: unhealthy within the time-out") {
    int port = 0;
    {
      FakeServer gone("");  // a port that was free a moment ago
      port = gone.port();
      coinone::test::connect_to(port);  // lets its accept() return
    }
    auto start = std::chrono::steady_clock::now();
    ProbeResult result = probe(target_of("http://127.0.0.1:" + std::to_string(port)), 1500ms);
    CHECK_FALSE(result.healthy);
    CHECK(result.message ==
          "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
    CHECK(std::chrono::steady_clock::now() - start < 500ms);

    FakeServer silent("", false);
    start = std::chrono::steady_clock::now();
    result = probe(target_of("http://127.0.0.1:" + std::to_string(silent.port())), 300ms);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK_FALSE(result.healthy);
    CHECK(result.message == "no answer within the time-out");
    CHECK(took >= 290ms);
    CHECK(took < 1000ms);
  }
}
