#!/usr/bin/env python3
"""The metrics endpoint of the built binary under hostile clients (#16), on 127.0.0.1 only.

  metrics_hostile.py BINARY

The binary filters a pipe (stdin stays open) with --metrics while this script:
1. sends POST /metrics with "Content-Length: 100000000000" and then body bytes: the answer is
   405 at once, the connection is closed within a second, and the filter's RSS stays put;
2. holds 100 idle and 100 slowloris connections (one header byte every 0.5 s each) open, and
   meanwhile times /healthz and the way of an annotated line through the filter, 10 times each:
   every one gets through, the median within 100 ms;
3. sends a 1 MiB request head: refused within a second;
4. asks with wrong methods and paths: 405 and 404;
5. closes stdin with all those connections still open: the filter exits 0 within a second.
Prints "metrics_hostile: N passed, M failed". Takes about 10 s.
"""
import os
import select
import socket
import subprocess
import sys
import threading
import time

from e2e_common import Checks, free_port

BIN = sys.argv[1]
LIMIT_MS = 100
check = Checks(verbose=True)



def connect(port, timeout=2.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s


def request(port, head, timeout=2.0):
    """Sends a request head, returns (status, seconds) with status 0 when no answer came."""
    start = time.monotonic()
    try:
        with connect(port, timeout) as s:
            s.sendall(head.encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        data = b""
    seconds = time.monotonic() - start
    parts = data.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return status, seconds


def get(port, path, method="GET"):
    return request(port, f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Filter:
    def __init__(self, port):
        self.proc = subprocess.Popen([BIN, "--metrics", f"127.0.0.1:{port}", "-"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and get(port, "/healthz")[0] != 200:
            time.sleep(0.05)

    def annotate_seconds(self, number):
        """Writes one error line, returns how long its annotated copy took to come out."""
        line = f'{{"n":{number},"error_code":"103"}}\n'.encode()
        start = time.monotonic()
        self.proc.stdin.write(line)
        self.proc.stdin.flush()
        got = b""
        while not got.endswith(b"\n") and time.monotonic() - start < 5:
            ready, _, _ = select.select([self.proc.stdout], [], [], 5)
            if ready:
                got += os.read(self.proc.stdout.fileno(), 65536)
        seconds = time.monotonic() - start
        return seconds if b"[coinone 103" in got and got.startswith(line[:-1]) else None


def body_never_read(port, pid):
    """The client streams the body as fast as it can (64 MiB at most) while it waits for the
    answer: a server that reads bodies takes it all in (the old one grew to 4.2 GB of RSS)."""
    before = rss_kib(pid)
    s = connect(port)
    start = time.monotonic()
    sent, refused = [0], [None]

    def stream():
        chunk = b"x" * 65536
        try:
            s.sendall(b"POST /metrics HTTP/1.1\r\nHost: localhost\r\n"
                      b"Content-Length: 100000000000\r\n\r\n")
            while sent[0] < 64 << 20 and time.monotonic() - start < 3:
                s.sendall(chunk)
                sent[0] += len(chunk)
        except OSError:
            pass
        refused[0] = time.monotonic() - start

    sender = threading.Thread(target=stream)
    sender.start()
    try:
        answer = s.recv(64)
    except OSError:
        answer = b""
    answered = time.monotonic() - start
    sender.join()
    s.close()
    grown = rss_kib(pid) - before
    check("POST with a 100 GB body: 405 at once", answer.startswith(b"HTTP/1.1 405")
          and answered < 0.5, f"{answer[:20]!r} after {answered * 1000:.1f} ms")
    check("POST with a 100 GB body: the rest refused within 1 s", refused[0] < 1.0,
          f"{refused[0]:.2f} s, {sent[0] >> 10} KiB of body sent")
    check("POST with a 100 GB body: RSS grows by less than 8 MiB", grown < 8192,
          f"{grown} KiB")


def trickle(sockets, stop):
    head = b"GET /healthz HTTP/1.1\r\nX-Slow: "
    i = 0
    while not stop.wait(0.5):
        byte = head[i:i + 1] or b"a"
        i += 1
        for s in sockets:
            try:
                s.send(byte)
            except OSError:
                pass


def starvation(port, filt):
    idle = [connect(port) for _ in range(100)]
    slow = [connect(port) for _ in range(100)]
    stop = threading.Event()
    trickler = threading.Thread(target=trickle, args=(slow, stop))
    trickler.start()
    time.sleep(0.7)
    health, lines = [], []
    for n in range(10):
        status, seconds = get(port, "/healthz")
        health.append(seconds if status == 200 else None)
        lines.append(filt.annotate_seconds(n))
        time.sleep(0.1)
    # Every probe and every line must get through, the typical one within 100 ms; the slowest
    # is only held to a second, since on a shared 2-core machine under a parallel build the
    # scheduler alone can stall a process for a few hundred milliseconds.
    for what, times in (("/healthz", health), ("annotated line", lines)):
        done = sorted(t for t in times if t is not None)
        check(f"{what} with 100 idle and 100 slowloris connections open: 10 of 10",
              len(done) == 10, f"{len(done)} of 10")
        if len(done) == 10:
            median, worst = (done[4] + done[5]) / 2 * 1000, done[-1] * 1000
            check(f"{what}: median under {LIMIT_MS} ms, slowest under 1 s",
                  median < LIMIT_MS and worst < 1000,
                  f"median {median:.1f} ms, slowest {worst:.1f} ms")
    return idle, slow, stop, trickler


def oversized_head(port):
    head = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a" * (1 << 20) + "\r\n\r\n"
    status, seconds = request(port, head)
    check("a 1 MiB request head: refused within 1 s", status != 200 and seconds < 1.0,
          f"status {status} after {seconds * 1000:.1f} ms")


def methods_and_paths(port):
    for method, path, want in (("GET", "/metrics", 200), ("HEAD", "/healthz", 200),
                               ("POST", "/healthz", 405), ("PUT", "/metrics", 405),
                               ("DELETE", "/healthz", 405), ("GET", "/", 404),
                               ("GET", "/metrics/../etc/passwd", 404), ("POST", "/x", 404)):
        status, _ = get(port, path, method)
        check(f"{method} {path}: {want}", status == want, f"got {status}")


def main():
    port = free_port()
    filt = Filter(port)
    body_never_read(port, filt.proc.pid)
    idle, slow, stop, trickler = starvation(port, filt)
    oversized_head(port)
    methods_and_paths(port)
    start = time.monotonic()
    filt.proc.stdin.close()
    try:
        code = filt.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        filt.proc.kill()
        code = "killed after 10 s"
    seconds = time.monotonic() - start
    check("end of input with 200 hostile connections open: status 0 within 1 s",
          code == 0 and seconds < 1.0, f"status {code} after {seconds:.2f} s")
    stop.set()
    trickler.join()
    for s in idle + slow:
        s.close()
    return check.report("metrics_hostile")


if __name__ == "__main__":
    sys.exit(main())
