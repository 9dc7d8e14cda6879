#!/usr/bin/env python3
"""Follow mode with several files and a glob in one follower (-F 'logs/*.log' other.log -H).

  follow_many.py BINARY

Writers append numbered lines to logs/a.log, logs/b.log and other.log, each line in three
write() calls a moment apart (so that a follower that passed on partial lines would interleave
them). While they write, logs/c.log appears (picked up by the glob, read from its start), the
follower is stopped with SIGTERM and restarted with the same state file, and logs/b.log is
deleted once it has been read (let go, its checkpoint dropped). Checks: every line of every file
comes out exactly once, in order per file, whole, behind its "FILE:" prefix; lines with an error
code are annotated; the messages; the state file at the end. About 10 s.
"""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

BIN = sys.argv[1]
LINES = 400
failures = []


def check(name, ok, detail=""):
    if not ok:
        failures.append(f"{name} {detail}")
        print(f"FAIL: {name} {detail}")


def content(tag, n):
    code = '{"error_code":"103"}' if n % 10 == 0 else ""
    return f"{tag} {n:06d} {'x' * 40}{code}"


def writer(path, tag, count, pause):
    with open(path, "ab", buffering=0) as out:
        for n in range(1, count + 1):
            line = (content(tag, n) + "\n").encode()
            third = len(line) // 3
            for piece in (line[:third], line[third:2 * third], line[2 * third:]):
                out.write(piece)
                time.sleep(pause)


def start(work, state, out, err):
    return subprocess.Popen([BIN, "-F", "-H", "--state", state, "logs/*.log", "other.log"],
                            cwd=work, stdout=out, stderr=err)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        return "timeout"


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


with tempfile.TemporaryDirectory() as work:
    os.mkdir(f"{work}/logs")
    for name in ("logs/a.log", "logs/b.log", "other.log"):
        open(f"{work}/{name}", "w").close()
    state = f"{work}/state"
    out_path, err_path = f"{work}/out", f"{work}/err"
    out, err = open(out_path, "ab"), open(err_path, "ab")

    def output():
        with open(out_path, "rb") as f:
            return f.read().decode()

    proc = start(work, state, out, err)
    time.sleep(0.5)
    files = {"logs/a.log": "a", "logs/b.log": "b", "other.log": "o", "logs/c.log": "c"}
    threads = [threading.Thread(target=writer, args=(f"{work}/{path}", tag, LINES, 0.001))
               for path, tag in files.items() if tag != "c"]
    for t in threads:
        t.start()
    time.sleep(0.5)
    # A new bot starts: its file matches the glob.
    c = threading.Thread(target=writer, args=(f"{work}/logs/c.log", "c", LINES, 0.001))
    c.start()
    threads.append(c)
    time.sleep(0.7)
    check("first run ends with status 0", stop(proc) == 0)
    time.sleep(0.3)
    proc = start(work, state, out, err)
    for t in threads:
        t.join()
    last_b = f"logs/b.log:{content('b', LINES)}"
    check("b.log read to its end", wait_for(lambda: last_b in output(), 10))
    os.unlink(f"{work}/logs/b.log")
    check("deleted b.log let go",
          wait_for(lambda: b"logs/b.log: deleted" in open(err_path, "rb").read(), 5))
    for tag in ("a", "o", "c"):
        name = [p for p, t in files.items() if t == tag][0]
        last = f"{name}:{content(tag, LINES)}"
        check(f"{name} read to its end", wait_for(lambda: last in output(), 10))
    time.sleep(1.2)  # one more state save after the let-go
    check("second run ends with status 0", stop(proc) == 0)
    out.close()
    err.close()

    seen = {tag: 0 for tag in files.values()}
    line_re = re.compile(r"^([^:]+):(\w) (\d{6}) (x{40}(?:\{\"error_code\":\"103\"\})?)(.*)$")
    for number, line in enumerate(output().split("\n")[:-1]):
        m = line_re.match(line)
        if not m:
            check("whole line", False, f"output line {number + 1}: {line[:120]!r}")
            continue
        name, tag, n = m.group(1), m.group(2), int(m.group(3))
        check("prefix names the file", files.get(name) == tag, f"{line[:60]!r}")
        check(f"{name} in order, once", n == seen[tag] + 1, f"line {n} after {seen[tag]}")
        seen[tag] = n
        annotated = m.group(5) != ""
        check("annotation on code lines only", annotated == (n % 10 == 0), f"{line!r}")
    for tag, count in seen.items():
        check(f"all lines of {tag}", count == LINES, f"{count} of {LINES}")
    messages = open(err_path).read()
    check("new file reported", "logs/c.log: new file" in messages, messages)
    saved = open(state).read()
    check("state keeps a, c, other", all(f"{work}/{p}" in saved or f"/{p}" in saved
                                         for p in ("logs/a.log", "logs/c.log", "other.log")),
          saved)
    check("state dropped b", "b.log" not in saved, saved)

# Metrics: lines per file, under a `file` label.
with tempfile.TemporaryDirectory() as work:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    os.mkdir(f"{work}/d")
    for name in ("x", "y"):
        open(f"{work}/d/{name}.log", "w").close()
    proc = subprocess.Popen([BIN, "-F", "--metrics", f"127.0.0.1:{port}", "d/*.log"], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    for name, text in (("x", "x1\nx2\n"), ("y", "y1\n")):
        with open(f"{work}/d/{name}.log", "a") as f:
            f.write(text)
    got = b""
    deadline = time.monotonic() + 5
    while got.count(b"\n") < 3 and time.monotonic() < deadline:
        got += os.read(proc.stdout.fileno(), 4096)
    time.sleep(0.5)  # the per-file counts are handed to the metrics a few times a second
    with open(f"{work}/d/x.log", "a") as f:
        f.write("x3\n")
    got += os.read(proc.stdout.fileno(), 4096)
    want = ('coinone_annotate_follow_lines_total{file="d/x.log"} 3',
            'coinone_annotate_follow_lines_total{file="d/y.log"} 1')
    deadline = time.monotonic() + 3
    while True:  # the output may come a moment before the metrics are updated
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/metrics")
        metrics = conn.getresponse().read().decode()
        conn.close()
        if all(w in metrics for w in want) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    check("metrics: lines of x", want[0] in metrics, metrics[-600:])
    check("metrics: lines of y", want[1] in metrics)
    check("metrics run ends with status 0", stop(proc) == 0)

print(f"follow_many: {len(failures)} failed")
sys.exit(1 if failures else 0)
