// SignalEvents: SIGTERM, SIGINT and SIGHUP turned into flags and a descriptor to poll.
//
// A follower blocks in poll() waiting for its file to grow; the handlers set a flag and write a
// byte to a pipe that the follower polls too, so a signal wakes it at once (the self-pipe trick;
// the handler does nothing but async-signal-safe stores and one write). This matters for PID 1
// in a container, which gets no default action for SIGTERM: without a handler `podman stop`
// waits out its grace period and kills (exit 137).
//
// One per process; install() once from the main thread. Not copyable.
#pragma once

namespace coinone {

class SignalEvents {
 public:
  // Installs the handlers. Returns false (errno set) when the pipe cannot be made.
  static bool install();
  // A descriptor that becomes readable when a signal arrived; drain() empties it.
  static int wake_fd();
  static void drain();
  // SIGTERM or SIGINT arrived: stop reading, flush, save state, exit 0.
  static bool stop_requested();
  // SIGHUP arrived since the last call: reload the --codes table.
  static bool take_reload_request();
  // Makes wake_fd() readable without a signal, e.g. when a table load on another thread is done
  // (async-signal-safe, and a no-op before install()).
  static void wake();
  // For tests: act as if the signal had arrived.
  static void raise_for_test(int signal_number);
};

}  // namespace coinone
