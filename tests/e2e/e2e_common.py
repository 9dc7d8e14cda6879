"""Shared by the Python end-to-end tests: the tally of checks that ends each script with
"NAME: N passed, M failed", a free loopback port, and waiting until a process has a file open.
Each script imports it from its own folder (sys.path[0])."""
import os
import socket
import time


class Checks:
    """check(name, ok, detail) records one check and prints the failures as they happen (and
    the passes too when verbose, for scripts whose details are figures worth reading)."""

    def __init__(self, verbose=False):
        self.passed = self.failed = 0
        self.verbose = verbose

    def __call__(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print(f"ok: {name} {detail}")
        else:
            self.failed += 1
            print(f"FAIL: {name} {detail}")

    def report(self, name):
        """Prints the closing line and returns the exit status."""
        print(f"{name}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


def free_port():
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_open(pid, path, timeout=30.0):
    """Waits until process pid has path open (a follower is up and reading: a sanitizer build on
    a busy machine takes a while to start); exits the script when it does not within timeout."""
    target = os.path.realpath(path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                        return
                except OSError:
                    pass
        except OSError:
            pass
        time.sleep(0.01)
    raise SystemExit(f"the process did not open {path} within {timeout} s")
