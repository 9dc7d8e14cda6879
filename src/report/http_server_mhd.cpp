// The HTTP server module (lib/coinone-annotate/http-server.so): libmicrohttpd in epoll mode on a
// socket the binary opened, with the deadlines and the connection cap of ServerLimits. Only
// MetricsServer::start() loads it (http_module.h says why); the answers come from the binary's
// handler. Built as a MODULE target of its own, not part of the report library.
#include <microhttpd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <list>
#include <system_error>
#include <thread>

#include "coinone_annotate/report/http_module.h"

namespace coinone::http_module {

namespace {

using Clock = std::chrono::steady_clock;

// Room above max_connections for connections already shut down but not yet reaped by
// libmicrohttpd (that happens in its next pass); past it, libmicrohttpd refuses new ones itself.
constexpr unsigned kReapSlack = 64;

struct Responder {
  Handler handler;
  const void* context;
};

// libmicrohttpd's request handler, called once the request head is complete and before any
// body is read. Queuing the answer at once makes libmicrohttpd skip the body and close the
// connection after the answer (its "discard_request"), so a body is never read.
MHD_Result answer(void* cls, MHD_Connection* connection, const char* url, const char* method,
                  const char* /*version*/, const char* /*upload_data*/,
                  size_t* /*upload_data_size*/, void** /*request_context*/) {
  const auto& responder = *static_cast<const Responder*>(cls);
  const Reply reply = responder.handler(responder.context, url, method);
  MHD_Response* response = MHD_create_response_from_buffer(
      reply.body.size(), const_cast<char*>(reply.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;  // out of memory: libmicrohttpd closes the connection
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, reply.type);
  if (reply.status == 405) MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
  const MHD_Result queued = MHD_queue_response(connection, reply.status, response);
  MHD_destroy_response(response);
  return queued;
}

// A connection as the deadline keeper sees it. The list of them is in accept order, so the
// oldest, which is the first to be overdue or evicted, is at the front.
struct Tracked {
  int fd = -1;
  Clock::time_point accepted;
  bool cut = false;  // shut down; libmicrohttpd reaps it in its next pass
};

bool add_to_loop(int loop_fd, int fd) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = fd;
  return ::epoll_ctl(loop_fd, EPOLL_CTL_ADD, fd, &event) == 0;
}

}  // namespace

struct Server {
  Server(int fd, const ServerLimits& l, Handler handler, const void* context)
      : limits(l), responder{handler, context}, listen_fd(fd) {}
  ~Server() {
    if (daemon != nullptr) MHD_stop_daemon(daemon);  // closes listen_fd and every connection
    if (daemon == nullptr && listen_fd >= 0) ::close(listen_fd);
    if (wake_fd >= 0) ::close(wake_fd);
    if (loop_fd >= 0) ::close(loop_fd);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const ServerLimits limits;
  const Responder responder;
  MHD_Daemon* daemon = nullptr;
  int listen_fd = -1;
  int loop_fd = -1;  // epoll over libmicrohttpd's epoll descriptor and wake_fd
  int wake_fd = -1;  // eventfd: stop() writes it
  std::list<Tracked> connections;
  size_t live = 0;  // connections not cut
  std::atomic<bool> stopping{false};
  std::thread thread;

  // The socket is shut down, not closed: libmicrohttpd owns the descriptor, sees end of file on
  // its next read and closes it then. Everything runs on the loop thread, so the descriptor
  // cannot have been closed and reused meanwhile (the CLOSED notice removes it from the list).
  void cut(Tracked& connection) {
    if (connection.cut) return;
    ::shutdown(connection.fd, SHUT_RDWR);
    connection.cut = true;
    --live;
  }

  void close_overdue() {
    const Clock::time_point now = Clock::now();
    for (Tracked& connection : connections) {
      if (connection.accepted + limits.connection_deadline > now) break;
      cut(connection);
    }
  }

  void evict_beyond_cap() {
    for (auto it = connections.begin(); live > limits.max_connections; ++it) cut(*it);
  }

  // How long the loop may sleep: until libmicrohttpd's next timeout or the oldest deadline.
  int wait_ms() const {
    long long wait = -1;
    MHD_UNSIGNED_LONG_LONG mhd_ms = 0;
    if (MHD_get_timeout(daemon, &mhd_ms) == MHD_YES) {
      wait = static_cast<long long>(std::min<MHD_UNSIGNED_LONG_LONG>(mhd_ms, INT_MAX));
    }
    for (const Tracked& connection : connections) {
      if (connection.cut) continue;
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(
          connection.accepted + limits.connection_deadline - Clock::now());
      const long long left_ms = std::max<long long>(0, left.count());
      wait = wait < 0 ? left_ms : std::min(wait, left_ms);
      break;
    }
    return static_cast<int>(std::min<long long>(wait, INT_MAX));
  }

  static void notify(void* cls, MHD_Connection* connection, void** socket_context,
                     MHD_ConnectionNotificationCode code) {
    auto& server = *static_cast<Server*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      const MHD_ConnectionInfo* info =
          MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      server.connections.push_back({info != nullptr ? info->connect_fd : -1, Clock::now()});
      ++server.live;
      *socket_context = new std::list<Tracked>::iterator(std::prev(server.connections.end()));
      server.evict_beyond_cap();
      return;
    }
    auto* at = static_cast<std::list<Tracked>::iterator*>(*socket_context);
    if (at == nullptr) return;
    if (!(*at)->cut) --server.live;
    server.connections.erase(*at);
    delete at;
    *socket_context = nullptr;
  }

  // libmicrohttpd without a thread of its own (the loop here runs it), in epoll mode, on our
  // socket. No MHD_USE_ERROR_LOG: it would write to stderr, which is the filter's diagnostics.
  MHD_Daemon* start_daemon() {
    return MHD_start_daemon(MHD_USE_EPOLL, 0, nullptr, nullptr, &answer,
                            const_cast<Responder*>(&responder), MHD_OPTION_LISTEN_SOCKET, listen_fd,
                            MHD_OPTION_CONNECTION_LIMIT, limits.max_connections + kReapSlack,
                            MHD_OPTION_CONNECTION_TIMEOUT, limits.idle_seconds,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, limits.connection_memory,
                            MHD_OPTION_NOTIFY_CONNECTION, &notify, this, MHD_OPTION_END);
  }

  void run() {
    epoll_event events[2];
    while (!stopping.load(std::memory_order_acquire)) {
      ::epoll_wait(loop_fd, events, 2, wait_ms());  // EINTR: just go round
      if (stopping.load(std::memory_order_acquire)) break;
      MHD_run(daemon);
      close_overdue();
    }
  }

  // Everything but the thread; false with `error` set on failure.
  bool set_up(std::string& error) {
    loop_fd = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (loop_fd < 0 || wake_fd < 0 || !add_to_loop(loop_fd, wake_fd)) {
      error = std::error_code(errno, std::generic_category()).message();
      return false;
    }
    daemon = start_daemon();
    const MHD_DaemonInfo* info =
        daemon == nullptr ? nullptr : MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_EPOLL_FD);
    if (info == nullptr || !add_to_loop(loop_fd, info->epoll_fd)) {
      error = "the HTTP server did not start";
      return false;
    }
    return true;
  }
};

namespace {

Server* start(int listen_fd, const ServerLimits& limits, Handler handler, const void* context,
              std::string& error) {
  auto* server = new Server(listen_fd, limits, handler, context);
  if (!server->set_up(error)) {
    delete server;
    return nullptr;
  }
  server->thread = std::thread([server] { server->run(); });
  return server;
}

void stop(Server* server) {
  server->stopping.store(true, std::memory_order_release);
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(server->wake_fd, &one, sizeof(one));
  server->thread.join();
  delete server;  // stops libmicrohttpd: closes the listening socket and every connection
}

constexpr Api kApi{kAbiVersion, &start, &stop};

}  // namespace

}  // namespace coinone::http_module

extern "C" __attribute__((visibility("default"))) const coinone::http_module::Api*
coinone_http_module() {
  return &coinone::http_module::kApi;
}
