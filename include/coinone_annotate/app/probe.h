// --probe URL: the health check of the image, which has no shell, curl or wget. One HTTP GET
// (report/http_probe.h) with a time-out of kProbeTimeout; exit status 0 on a 2xx answer, else 1
// with "coinone-annotate: --probe URL: reason" on stderr. Never 2, also for a bad URL: Docker
// reserves exit status 2 of a HEALTHCHECK command.
#pragma once
#include <chrono>
#include <string>

namespace coinone {

// Connecting, sending and reading together; name resolution is cut off by an alarm at 3 s.
// Below the samples' probe time-outs (Compose's 3 s, the Kubernetes sample's 2 s), so the
// probe reports its own reason before the orchestrator gives up on it.
inline constexpr std::chrono::milliseconds kProbeTimeout{1500};

inline constexpr int kExitUnhealthy = 1;

int run_probe(const std::string& url);

}  // namespace coinone
