#!/usr/bin/env python3
"""Follow mode against the real logrotate, with restarts while it rotates.

  follow_logrotate.py BINARY [--table]

Needs python3 and logrotate (scripts/install-deps.sh). For each of six logrotate schemes (the five of #12, and olddir), a
writer appends numbered lines at a steady rate (each line one write with O_APPEND, reopening the
path every time, as a bot that reopens its log does). logrotate runs once while the follower
runs; then the follower is stopped with SIGTERM and restarted three times, with one, two and
three rotations while it is down. Every line must come out exactly once, in order, except the
two losses no follower can avoid, which must be reported on stderr and counted in /metrics:
  - lines written between logrotate's copy and its truncate (copytruncate): the lines written
    while logrotate ran are the only ones that may be missing for that reason;
  - lines of rotated files that logrotate deleted (rotate N) before the follower read them:
    the test snapshots every rotated file before and after each logrotate run.
Prints one row per scheme (scheme, lines, lost, allowed losses, repeated) and
"follow_logrotate: N passed, M failed". --table prints the rows as a Markdown table.
"""
import gzip
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

from e2e_common import Checks, free_port

BIN = sys.argv[1]
LOGROTATE = "/usr/sbin/logrotate"
INTERVAL = 0.002  # seconds between two lines of the writer
SCHEMES = {
    "create": "create\nrotate 20\n",
    "create + compress + delaycompress": "create\ncompress\ndelaycompress\nrotate 20\n",
    "create + compress + dateext": "create\ncompress\ndateext\ndateformat -%Y%m%d-%s\nrotate 20\n",
    "copytruncate + compress + delaycompress": "copytruncate\ncompress\ndelaycompress\nrotate 20\n",
    "create + rotate 2 (files dropped)": "create\nrotate 2\n",
    "create + compress + olddir": "create\ncompress\nolddir {work}/old\nrotate 20\n",
}
check = Checks()
LINE = re.compile(rb"^line (\d+) ", re.M)


def line(n):
    code = (103, 131, 0, 104)[n % 4]
    return f'line {n} {{"result":"{"error" if code else "success"}","error_code":"{code}"}}\n'


class Writer(threading.Thread):
    def __init__(self, log):
        super().__init__(daemon=True)
        self.log, self.written, self.running = log, 0, True

    def run(self):
        while self.running:
            fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            os.write(fd, line(self.written + 1).encode())
            os.close(fd)
            self.written += 1
            time.sleep(INTERVAL)


def numbers_in(path):
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            return {int(m.group(1)) for m in LINE.finditer(f.read())}
    except (OSError, EOFError):
        return set()


def rotated_files(work):
    files = {}
    for directory in (work, f"{work}/old"):
        if os.path.isdir(directory):
            files.update({f"{directory}/{name}": numbers_in(f"{directory}/{name}")
                          for name in os.listdir(directory)
                          if name.startswith("bot.log") and name != "bot.log"})
    return files



def scrape(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/metrics")
        body = conn.getresponse().read().decode()
        conn.close()
    except OSError:
        return {}
    return {m.group(1): int(float(m.group(2)))
            for m in re.finditer(r"^coinone_annotate_(follow_\w+) (\S+)$", body, re.M)}


class Follower:
    def __init__(self, work, out, err, extra=()):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [BIN, "--follow", f"{work}/bot.log", "--state", f"{work}/state",
             "--metrics", f"127.0.0.1:{self.port}", *extra], stdout=out, stderr=err)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # up: it has a log file open
            try:
                if any("/bot.log" in os.readlink(f"/proc/{self.proc.pid}/fd/{fd}")
                       for fd in os.listdir(f"/proc/{self.proc.pid}/fd")):
                    break
            except OSError:
                pass
            time.sleep(0.01)

    def stop(self):
        metrics = scrape(self.port)
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=10), metrics


def run_scheme(name, options):
    with tempfile.TemporaryDirectory() as work:
        conf = f"{work}/logrotate.conf"
        options = options.format(work=work)
        extra = ()
        if "olddir" in options:
            os.mkdir(f"{work}/old")
            extra = ("--olddir", f"{work}/old")
        with open(conf, "w") as f:
            f.write(f"{work}/bot.log {{\n{options}missingok\n}}\n")
        gap = 1.1 if "dateext" in options else 0.25  # dateext names have 1 s resolution
        windows, deleted = [], set()

        def rotate():
            before = rotated_files(work)
            start = writer.written
            subprocess.run([LOGROTATE, "-f", "-s", f"{work}/logrotate.state", conf], check=True)
            if "copytruncate" in options:
                windows.append((start + 1, writer.written))
            after = rotated_files(work)
            deleted.update(set().union(*before.values()) - set().union(*after.values()))
            time.sleep(gap)

        out, err = open(f"{work}/out", "ab"), open(f"{work}/err", "ab")
        writer = Writer(f"{work}/bot.log")
        writer.start()
        follower = Follower(work, out, err, extra)
        statuses, reported = [], {}
        time.sleep(0.3)
        rotate()  # while running
        for down in (1, 2, 3):
            status, metrics = follower.stop()
            statuses.append(status)
            for key, value in metrics.items():
                reported[key] = reported.get(key, 0) + value
            for _ in range(down):
                rotate()
            follower = Follower(work, out, err, extra)
            time.sleep(0.4)
        writer.running = False
        writer.join()
        total = writer.written
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and total not in numbers_in(f"{work}/out"):
            time.sleep(0.02)
        status, metrics = follower.stop()
        statuses.append(status)
        for key, value in metrics.items():
            reported[key] = reported.get(key, 0) + value
        out.close()
        err.close()
        with open(f"{work}/out", "rb") as f:
            got = [int(m.group(1)) for m in LINE.finditer(f.read())]
        with open(f"{work}/err") as f:
            stderr = f.read()
    lost = set(range(1, total + 1)) - set(got)
    in_window = {n for n in lost if any(a <= n <= b for a, b in windows)}
    allowed = in_window | (lost & deleted)
    repeated = len(got) - len(set(got))
    check(f"{name}: clean stops", all(s == 0 for s in statuses), f"statuses {statuses}")
    check(f"{name}: no line lost outside the allowed losses", lost <= allowed,
          f"lost {sorted(lost - allowed)[:10]} ({len(lost - allowed)})")
    check(f"{name}: no line repeated", repeated == 0, f"{repeated} repeated")
    check(f"{name}: in order", got == sorted(got), "")
    if in_window:
        check(f"{name}: copytruncate loss reported", "copytruncate" in stderr, stderr[-500:])
        check(f"{name}: copytruncate counted", reported.get("follow_truncations_total", 0) > 0,
              str(reported))
    if "copytruncate" not in options:  # e.g. an inode freed by compress and reused by create
        check(f"{name}: no truncation reported", "copytruncate" not in stderr and
              reported.get("follow_truncations_total", 0) == 0, stderr[-500:])
    if lost & deleted:
        check(f"{name}: deleted files reported", "deleted by rotation" in stderr, stderr[-500:])
        check(f"{name}: deleted files counted",
              reported.get("follow_rotated_files_lost_total", 0) > 0, str(reported))
    if "rotate 2\n" in options:  # the scheme is there to drop files: make sure it did
        check(f"{name}: files were dropped", bool(lost & deleted), "")
    for l in stderr.splitlines():
        if "lost" in l or "error" in l.lower():
            print(f"  stderr: {l}")
    return (name, total, len(lost - allowed), len(allowed), repeated)


rows = [run_scheme(name, options) for name, options in SCHEMES.items()]
if "--table" in sys.argv:
    print("| logrotate scheme | lines | lost | allowed losses (reported) | repeated |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        print("| {} | {:,} | {} | {} | {} |".format(*row))
else:
    for row in rows:
        print("{}: {} lines, {} lost, {} allowed losses, {} repeated".format(*row))
sys.exit(check.report("follow_logrotate"))
