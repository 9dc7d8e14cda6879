#include "coinone_annotate/app/probe.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstring>

#include "coinone_annotate/app/config.h"
#include "coinone_annotate/report/http_probe.h"

namespace coinone {

namespace {

// getaddrinfo() has no time-out of its own (a DNS server that does not answer holds it for
// resolv.conf's timeout times attempts): the alarm ends the process instead.
void on_alarm(int) {
  constexpr char kMessage[] = "coinone-annotate: --probe: no answer within the time-out\n";
  [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
  ::_exit(kExitUnhealthy);
}

}  // namespace

int run_probe(const std::string& url) {
  std::string error;
  const auto target = parse_probe_url(url, error);
  if (!target) {
    spdlog::error("--probe {}", error);
    return kExitUnhealthy;
  }
  struct sigaction action {};
  action.sa_handler = &on_alarm;
  ::sigaction(SIGALRM, &action, nullptr);
  ::alarm(static_cast<unsigned>(kProbeTimeout.count() / 1000 + 2));
  const ProbeResult result = probe(*target, kProbeTimeout);
  ::alarm(0);
  if (result.healthy) return kExitOk;
  spdlog::error("--probe {}: {}", url, result.message);
  return kExitUnhealthy;
}

}  // namespace coinone
