#include "coinone_annotate/base/signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>

#include "coinone_annotate/base/syscalls.h"

namespace coinone {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};
int g_pipe[2] = {-1, -1};

void write_wake_byte() {
  const char byte = 1;
  // The one system call not made through the seam (syscalls.h): a handler may run only
  // async-signal-safe code, and a test's fake write need not be.
  if (g_pipe[1] >= 0) {
    const ssize_t ignored = ::write(g_pipe[1], &byte, 1);  // a full pipe already wakes the poll
    (void)ignored;
  }
}

void on_signal(int signal_number) {
  if (signal_number == SIGHUP)
    g_reload.store(true, std::memory_order_relaxed);
  else
    g_stop.store(true, std::memory_order_relaxed);
  write_wake_byte();
}

}  // namespace

bool SignalEvents::install() {
  if (g_pipe[0] < 0 && ::pipe2(g_pipe, O_NONBLOCK | O_CLOEXEC) != 0) return false;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (const int signal_number : {SIGTERM, SIGINT, SIGHUP})
    ::sigaction(signal_number, &action, nullptr);
  return true;
}

int SignalEvents::wake_fd() { return g_pipe[0]; }

void SignalEvents::drain() {
  char buffer[64];
  while (g_pipe[0] >= 0 && sys::read(g_pipe[0], buffer, sizeof buffer) > 0) {
  }
}

bool SignalEvents::stop_requested() { return g_stop.load(std::memory_order_relaxed); }

bool SignalEvents::take_reload_request() {
  return g_reload.exchange(false, std::memory_order_relaxed);
}

void SignalEvents::wake() { write_wake_byte(); }

void SignalEvents::raise_for_test(int signal_number) { on_signal(signal_number); }

}  // namespace coinone
