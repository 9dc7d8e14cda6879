#!/usr/bin/env python3
"""--probe URL, the health check for images without a shell, and the HTTP server module.

  probe.py BINARY

Against a real follower serving --metrics on a loopback port: healthy (exit 0, nothing
printed), unhealthy while the followed path cannot be read (exit 1 and /healthz's reason),
nothing listening, a server that never answers (exit 1 within the time-out), bad URLs (exit 1,
never 2: Docker reserves 2 for health checks). Then the module: a copy of the binary without
lib/coinone-annotate/ next to it filters as before but refuses --metrics with a message, and the
plain filter never maps libmicrohttpd or GnuTLS. Prints "probe: N passed, M failed".
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from e2e_common import Checks, free_port, wait_open

BIN = os.path.abspath(sys.argv[1])
check = Checks()


def probe(url, timeout=10):
    begin = time.monotonic()
    p = subprocess.run([BIN, "--probe", url], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.strip(), time.monotonic() - begin


def wait_healthy(url, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe(url)[0] == 0:
            return True
        time.sleep(0.05)
    return False


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


with tempfile.TemporaryDirectory() as tmp:
    log = os.path.join(tmp, "bot.log")
    with open(log, "w") as f:
        f.write('{"result":"error","error_code":"103"}\n')
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    follower = subprocess.Popen([BIN, "--follow", log, "--metrics", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_open(follower.pid, log)
        check("a follower with --metrics becomes healthy", wait_healthy(url))
        code, out, err, _ = probe(url)
        check("healthy: exit 0, nothing printed", (code, out, err) == (0, "", ""), f"{code} {out!r} {err!r}")
        code, _, err, _ = probe(f"http://localhost:{port}/metrics")
        check("/metrics through the name localhost: exit 0", code == 0, err)
        code, _, err, _ = probe(f"http://127.0.0.1:{port}/nowhere")
        check("404: exit 1 with the status", (code, err) == (1, f"coinone-annotate: --probe "
              f"http://127.0.0.1:{port}/nowhere: HTTP 404: not found"), f"{code} {err!r}")
    finally:
        stop(follower)

    # A follower whose path cannot be read: /healthz says 503 with the reason.
    os.mkdir(os.path.join(tmp, "a-dir"))
    follower = subprocess.Popen([BIN, "--follow", os.path.join(tmp, "a-dir"), "--metrics",
                                 f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    try:
        deadline, code, err = time.monotonic() + 10, 0, ""
        while time.monotonic() < deadline:
            code, _, err, _ = probe(url)
            if "HTTP 503" in err:
                break
            time.sleep(0.05)
        check("followed path unreadable: exit 1, HTTP 503 and the reason",
              (code, err) == (1, f"coinone-annotate: --probe {url}: HTTP 503: unhealthy: "
                                 f"{tmp}/a-dir: Is a directory"), f"{code} {err!r}")
    finally:
        stop(follower)

    # Nothing listens on the port any more.
    code, out, err, took = probe(url)
    check("nothing listening: exit 1, connection refused, at once",
          (code, err) == (1, f"coinone-annotate: --probe {url}: cannot connect to 127.0.0.1:{port}: "
                             "Connection refused") and took < 1.0, f"{code} {err!r} {took:.2f}s")

    # A server that accepts and never answers: bounded by the time-out (1.5 s).
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        silent_url = f"http://127.0.0.1:{silent.getsockname()[1]}/healthz"
        code, _, err, took = probe(silent_url)
        check("no answer: exit 1 within 1.5-3 s", code == 1 and 1.4 < took < 3.0 and
              err.endswith("no answer within the time-out"), f"{code} {err!r} {took:.2f}s")

    for bad, why in (("https://127.0.0.1:9464/healthz", "only http:// URLs can be probed"),
                     ("http://127.0.0.1:0/healthz", "bad port"),
                     ("127.0.0.1:9464", "only http:// URLs can be probed")):
        code, _, err, _ = probe(bad)
        check(f"bad URL {bad}: exit 1 (not 2) and why", code == 1 and why in err, f"{code} {err!r}")

    # The module: the binary alone, without lib/coinone-annotate/ beside it.
    alone = os.path.join(tmp, "bin", "coinone-annotate")
    os.makedirs(os.path.dirname(alone))
    shutil.copy2(BIN, alone)
    p = subprocess.run([alone], input=b'{"error_code":"103"}\n', capture_output=True, timeout=10)
    check("without the module: the filter works", p.returncode == 0 and b"[coinone 103 " in p.stdout,
          repr(p))
    p = subprocess.run([alone, "--metrics", "127.0.0.1:0"], input=b"", capture_output=True,
                       timeout=10)
    want = (f"coinone-annotate: --metrics: the HTTP server module is missing (looked for "
            f"{tmp}/bin/../lib/coinone-annotate/http-server.so, "
            f"{tmp}/bin/lib/coinone-annotate/http-server.so)")
    check("without the module: --metrics fails with status 2 and says where it looked",
          (p.returncode, p.stderr.decode().strip()) == (2, want), repr(p))
    # Installed layout: bin/ and lib/coinone-annotate/ side by side.
    module_dir = os.path.join(os.path.dirname(BIN), "lib", "coinone-annotate")
    shutil.copytree(module_dir, os.path.join(tmp, "lib", "coinone-annotate"))
    p = subprocess.run([alone, "--metrics", "127.0.0.1:0"], input=b"", capture_output=True,
                       timeout=10)
    check("installed layout: --metrics finds ../lib/coinone-annotate", p.returncode == 0, repr(p))

# Which libraries a run maps: the plain filter none of the HTTP server's, --metrics those too.
def mapped_libraries(args):
    proc = subprocess.Popen([BIN, *args], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(0.3)  # started and blocked reading stdin
    with open(f"/proc/{proc.pid}/maps") as f:
        maps = f.read()
    proc.stdin.close()
    proc.wait(timeout=10)
    return maps


plain = mapped_libraries([])
check("plain filter: no libmicrohttpd, GnuTLS or module mapped",
      not any(name in plain for name in ("libmicrohttpd", "libgnutls", "http-server.so")))
served = mapped_libraries(["--metrics", "127.0.0.1:0"])
check("--metrics: the module and libmicrohttpd mapped",
      "http-server.so" in served and "libmicrohttpd" in served)

sys.exit(check.report("probe"))
