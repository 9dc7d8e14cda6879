#!/usr/bin/env python3
"""Follow-mode tests with a real rotating writer.

  follow_torture.py BINARY [--lines N]

Needs python3 only (standard library).

1. rotation torture: a writer appends numbered lines and rotates the file every ROTATE lines,
   by rename-and-create most of the time and by copytruncate some of the time; the follower is
   stopped with SIGTERM and restarted with the same --state twice on the way. Every line must
   come out exactly once, in order.
   copytruncate has a race no follower can close: lines the follower has not read yet when the
   file is truncated exist only in the copy. The writer therefore truncates only once the
   follower has caught up (it watches the output), and says so.
2. kill -9: the follower is killed without warning and restarted: no line is lost, and the
   lines repeated are at most those since the last checkpoint (saved once a second).
3. SIGHUP reloads --codes; a bad file keeps the previous table.
4. SIGTERM ends the follower with status 0 within 1 s.
Prints "follow: N passed, M failed".
"""
import os
import re
import urllib.request
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from e2e_common import Checks, free_port, wait_open

BIN = sys.argv[1]
LINES = int(sys.argv[sys.argv.index("--lines") + 1]) if "--lines" in sys.argv else 3000
ROTATE = 250
check = Checks()


class Follower:
    def __init__(self, log, state, out, extra=()):
        self.out = open(out, "ab")
        if not os.path.exists(log):
            open(log, "a").close()
        self.proc = subprocess.Popen([BIN, "--follow", log, "--state", state, *extra],
                                     stdout=self.out, stderr=subprocess.PIPE)
        # Up and reading the log before the writer goes on (a sanitizer build on a busy machine
        # takes a while to start). A restart that misses two rotations cannot know the file in
        # between (see the README): that is not what this tests.
        wait_open(self.proc.pid, log, timeout=20.0)


    def stop(self, sig=signal.SIGTERM):
        start = time.monotonic()
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=10)
        self.out.close()
        return code, time.monotonic() - start


def numbers(path):
    with open(path, "rb") as f:
        return [int(m.group(1)) for m in re.finditer(rb"^line (\d+) ", f.read(), re.M)]


def wait_for(path, count, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(set(numbers(path))) >= count:  # distinct: a restart may repeat some
            return True
        time.sleep(0.005)
    return False


def line(n):
    code = (103, 131, 0, 104)[n % 4]
    return f'line {n} {{"result":"{"error" if code else "success"}","error_code":"{code}"}}\n'


def rotation_torture(work):
    log, state, out = f"{work}/bot.log", f"{work}/state", f"{work}/out"
    follower = Follower(log, state, out)
    restarts = {LINES // 3, 2 * LINES // 3}
    writer = open(log, "a")
    copytruncates = renames = 0
    for n in range(1, LINES + 1):
        writer.write(line(n))
        writer.flush()
        if n in restarts:  # stop and restart in the middle, with the same state
            code, _ = follower.stop()
            check("torture: clean stop status", code == 0, f"status {code}")
            follower = Follower(log, state, out)
        if n % ROTATE == 0:
            if (n // ROTATE) % 3 == 0:
                # copytruncate, once the follower has read everything (see the docstring)
                wait_for(out, n)
                shutil.copyfile(log, f"{log}.{n}")
                writer.truncate(0)
                writer.seek(0)
                copytruncates += 1
            else:
                writer.close()
                os.rename(log, f"{log}.{n}")
                writer = open(log, "a")
                renames += 1
        if n % 50 == 0:
            time.sleep(0.002)  # a bot writes in bursts
    writer.close()
    ok = wait_for(out, LINES)
    code, _ = follower.stop()
    got = numbers(out)
    check("torture: every line once, in order", ok and got == list(range(1, LINES + 1)),
          f"got {len(got)} lines, first differences at "
          f"{next((i for i, (a, b) in enumerate(zip(got, range(1, LINES + 1))) if a != b), None)}")
    annotated = sum(1 for l in open(out, "rb") if b"[coinone " in l)
    check("torture: annotations", annotated == sum(1 for n in range(1, LINES + 1) if n % 4 != 2))
    missing = sorted(set(range(1, LINES + 1)) - set(got))
    if missing:
        print(f"torture: missing lines {missing[0]}..{missing[-1]} ({len(missing)})")
    print(f"torture: {LINES} lines, {renames} renames, {copytruncates} copytruncates, "
          f"2 restarts; {len(got)} lines out, {len(set(got))} distinct")


def kill_nine(work):
    log, state, out = f"{work}/bot.log", f"{work}/state", f"{work}/out"
    follower = Follower(log, state, out)
    with open(log, "a") as w:
        for n in range(1, 501):
            w.write(line(n))
        w.flush()
        wait_for(out, 500)
        time.sleep(1.2)  # at least one checkpoint after these
        for n in range(501, 601):
            w.write(line(n))
        w.flush()
        wait_for(out, 600)
        follower.stop(signal.SIGKILL)
        follower = Follower(log, state, out)
        for n in range(601, 701):
            w.write(line(n))
        w.flush()
    wait_for(out, 700)
    follower.stop()
    got = numbers(out)
    missing = set(range(1, 701)) - set(got)
    repeated = len(got) - len(set(got))
    check("kill -9: nothing lost", not missing, f"missing {sorted(missing)[:5]}")
    check("kill -9: repeats only since the last checkpoint", repeated <= 100, f"{repeated} repeated")
    print(f"kill -9: 700 lines, {len(missing)} lost, {repeated} repeated")



def scrape(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.status, response.read().decode()


def reload(work):
    log, state, out = f"{work}/bot.log", f"{work}/state", f"{work}/out"
    codes = f"{work}/codes.tsv"
    with open(codes, "w") as f:
        f.write("7001\tNew\tretry-later\tyes\tFirst meaning\n")
    port = free_port()
    follower = Follower(log, state, out, ("--codes", codes, "--metrics", f"127.0.0.1:{port}"))
    time.sleep(0.2)
    with open(log, "a") as w:
        w.write("line 1 error_code=7001\n")
        w.flush()
        wait_for(out, 1)
        with open(codes, "w") as f:
            f.write("7001\tNew\tretry-later\tyes\tSecond meaning\n")
        follower.proc.send_signal(signal.SIGHUP)
        time.sleep(0.2)
        w.write("line 2 error_code=7001\n")
        w.flush()
        wait_for(out, 2)
        with open(codes, "w") as f:
            f.write("not a table\n")
        follower.proc.send_signal(signal.SIGHUP)
        time.sleep(0.2)
        w.write("line 3 error_code=7001\n")
        w.flush()
        wait_for(out, 3)
    status, health = scrape(port, "/healthz")
    check("metrics: /healthz answers 200", status == 200 and health == "ok\n", health)
    _, metrics = scrape(port, "/metrics")
    for series in ("coinone_annotate_lines_read_total 3", "coinone_annotate_annotated_lines_total 3",
                   'coinone_annotate_errors_total{code="7001",category="New",advice="retry-later"} 3',
                   "coinone_annotate_table_reloads_total 1",
                   "coinone_annotate_table_reload_failures_total 1"):
        check(f"metrics: {series}", series + "\n" in metrics, metrics[-2000:])
    code, seconds = follower.stop()
    text = open(out).read()
    err = follower.proc.stderr.read().decode()
    check("reload: new meaning after SIGHUP", "line 2 error_code=7001 [coinone 7001 New: Second meaning" in text, text)
    check("reload: bad file keeps the last good table", "line 3 error_code=7001 [coinone 7001 New: Second meaning" in text, text)
    check("reload: bad file reported", "codes.tsv:1:" in err, err)
    check("SIGTERM: status 0", code == 0, f"status {code}")
    check("SIGTERM: within 1 s", seconds < 1.0, f"{seconds:.2f} s")


for test in (rotation_torture, kill_nine, reload):
    with tempfile.TemporaryDirectory() as work:
        test(work)
sys.exit(check.report("follow"))
