#include "coinone_annotate/report/metrics_server.h"

#include <unistd.h>

#include <string_view>

#include "coinone_annotate/report/http_module.h"
#include "coinone_annotate/report/http_module_loader.h"
#include "coinone_annotate/report/prometheus_text.h"

namespace coinone {

namespace {

constexpr const char* kMetricsType = "text/plain; version=0.0.4; charset=utf-8";

// The whole routing table: two paths, two methods. Runs on the server's thread.
http_module::Reply route(const void* context, std::string_view path, std::string_view method) {
  const auto& metrics = *static_cast<const Metrics*>(context);
  if (path != "/metrics" && path != "/healthz") return {404, "not found\n"};
  if (method != "GET" && method != "HEAD") return {405, "method not allowed\n"};
  if (path == "/metrics") return {200, render_prometheus(metrics.snapshot()), kMetricsType};
  if (metrics.healthy()) return {200, "ok\n"};
  const std::string reason = metrics.health_reason();  // follow mode: why no file can be read
  return {503, reason.empty() ? "unhealthy\n" : "unhealthy: " + reason + "\n"};
}

}  // namespace

struct MetricsServer::Impl {
  const http_module::Api* api = nullptr;
  http_module::Server* server = nullptr;
  int port = 0;
  std::string address;
};

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() { stop(); }

std::unique_ptr<MetricsServer> MetricsServer::start(const std::string& host_port,
                                                    const Metrics& metrics, std::string& error,
                                                    const ServerLimits& limits) {
  std::optional<ListenAddress> wanted = parse_listen_address(host_port, error);
  if (!wanted) return nullptr;
  auto impl = std::make_unique<Impl>();
  // Loaded before the socket is opened, so that a missing module leaves no port bound.
  impl->api = load_http_module(error);
  if (impl->api == nullptr) return nullptr;
  ListenAddress bound;
  const int listen_fd = open_listen_socket(*wanted, bound, error);
  if (listen_fd < 0) return nullptr;
  std::string why;
  impl->server = impl->api->start(listen_fd, limits, &route, &metrics, why);
  if (impl->server == nullptr) {
    error = "cannot serve " + host_port + ": " + why;
    return nullptr;
  }
  impl->port = bound.port;
  impl->address = format_listen_address(bound);
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

void MetricsServer::stop() {
  if (!impl_ || impl_->server == nullptr) return;
  impl_->api->stop(impl_->server);
  impl_->server = nullptr;
}

int MetricsServer::port() const { return impl_->port; }

const std::string& MetricsServer::address() const { return impl_->address; }

}  // namespace coinone
