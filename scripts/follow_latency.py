#!/usr/bin/env python3
"""Follow-mode latency benchmark: time from write() of a line to its annotated output.

  scripts/follow_latency.py [--lines 1000] [--files N] [BINARY]

Appends lines at random intervals (1-20 ms, seeded) to a fresh file while
`coinone-annotate --follow FILE` runs, reads its stdout through a pipe, and reports the median
and p99 of write-to-output latency. `tail -F FILE | cat` is measured the same way in the same run,
for comparison.

With --files N (N > 1), N files are followed at once through a glob (`--follow 'DIR/*.log'`,
and `tail -q -n0 -F` on the N files), and each line goes to the next file in turn.
"""
import argparse
import os
import random
import select
import statistics
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser(description="write-to-output latency of follow mode")
parser.add_argument("--lines", type=int, default=1000)
parser.add_argument("--files", type=int, default=1)
parser.add_argument("binary", nargs="?",
                    default=os.path.join(os.path.dirname(__file__), "..", "build", "coinone-annotate"))
arguments = parser.parse_args()
BIN, LINES, FILES = arguments.binary, arguments.lines, arguments.files


def measure(command, logs):
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, shell=True)
    time.sleep(0.5)  # let it open and watch the file
    rng = random.Random(42)
    pending = b""
    latencies = []
    writers = [open(log, "ab", buffering=0) for log in logs]
    for n in range(LINES):
        writer = writers[n % len(writers)]
        time.sleep(rng.uniform(0.001, 0.020))
        sent = time.monotonic()
        writer.write(b'line %d {"result":"error","error_code":"103"}\n' % n)
        while b"\n" not in pending:
            ready, _, _ = select.select([proc.stdout], [], [], 2.0)
            if not ready:
                raise SystemExit(f"no output from {command!r} within 2 s")
            got = os.read(proc.stdout.fileno(), 65536)
            if not got:
                raise SystemExit(f"{command!r} ended early (status {proc.wait()})")
            pending += got
        latencies.append(time.monotonic() - sent)
        pending = pending[pending.index(b"\n") + 1:]
    for writer in writers:
        writer.close()
    proc.terminate()
    proc.wait()
    latencies.sort()
    return statistics.median(latencies) * 1000, latencies[int(len(latencies) * 0.99) - 1] * 1000


with tempfile.TemporaryDirectory() as work:
    results = {}
    for prefix in ("a", "b"):
        os.mkdir(f"{work}/{prefix}")
        for i in range(FILES):
            open(f"{work}/{prefix}/{i:03d}.log", "w").close()
    a_logs = [f"{work}/a/{i:03d}.log" for i in range(FILES)]
    b_logs = [f"{work}/b/{i:03d}.log" for i in range(FILES)]
    if FILES == 1:
        runs = (("coinone-annotate --follow", f"exec {BIN} --follow {a_logs[0]}", a_logs),
                ("tail -F | cat", f"tail -n0 -F {b_logs[0]} | cat", b_logs))
    else:
        runs = ((f"coinone-annotate --follow 'DIR/*.log' ({FILES} files)",
                 f"exec {BIN} --follow '{work}/a/*.log'", a_logs),
                (f"tail -q -F ({FILES} files) | cat", f"tail -q -n0 -F {work}/b/*.log | cat",
                 b_logs))
    for name, command, logs in runs:
        results[name] = measure(command, logs)
print(f"| command | median (ms) | p99 (ms) |\n| --- | ---: | ---: |")
for name, (median, p99) in results.items():
    print(f"| `{name}` | {median:.2f} | {p99:.2f} |")
print(f"\n{LINES} lines at random 1-20 ms intervals (seed 42)")
