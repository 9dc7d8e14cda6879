#!/usr/bin/env python3
"""Follow mode: whole lines only, bad state files, and paths that cannot be followed.

  follow_failures.py BINARY

Needs python3 only. Each case checks the message, the exit status and, where a follower keeps
running, /healthz (scraped with http.client on 127.0.0.1) and that SIGTERM ends it with status 0
within a second. Prints "follow_failures: N passed, M failed".
"""
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time

from e2e_common import Checks, free_port

BIN = sys.argv[1]
check = Checks()



def healthz(port, timeout=5.0, body=None):
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            status = response.status
            text = response.read().decode()
            conn.close()
            return (status, text) if body else status
        except OSError:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)


def start(args, out=subprocess.PIPE):
    return subprocess.Popen([BIN, "--follow", *args], stdout=out, stderr=subprocess.PIPE)


def stop(proc):
    begin = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    return code, time.monotonic() - begin


def wait_for_stderr_line(proc, timeout=1.0):
    """The first stderr line, or '' if none comes within timeout."""
    os.set_blocking(proc.stderr.fileno(), False)
    deadline = time.monotonic() + timeout
    data = b""
    while time.monotonic() < deadline and b"\n" not in data:
        chunk = proc.stderr.read()
        if chunk:
            data += chunk
        time.sleep(0.01)
    return data.decode(errors="replace")


def whole_lines(work):
    log, state, out = f"{work}/bot.log", f"{work}/state", f"{work}/out"
    with open(log, "w") as f:
        f.write('line 1 {"result":"error","error_code":"131"}\n')
    with open(out, "wb") as o:
        proc = start([log, "--state", state], o)
        time.sleep(0.5)
        with open(log, "a") as f:  # a line still being written at SIGTERM
            f.write('line 2 {"result":"error","error_code":"10')
        time.sleep(0.3)
        code, _ = stop(proc)
    check("whole lines: clean stop", code == 0, f"status {code}")
    text = open(out).read()
    check("whole lines: the partial line is not written", "line 2" not in text, text)
    with open(log, "a") as f:
        f.write('3"}\n')
    with open(out, "ab") as o:
        proc = start([log, "--state", state], o)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and "line 2" not in open(out).read():
            time.sleep(0.02)
        stop(proc)
    text = open(out).read()
    check("whole lines: the restart writes it whole",
          text.count("line 2 ") == 1 and
          'line 2 {"result":"error","error_code":"103"} [coinone 103 ' in text, text)
    plain = subprocess.run([BIN, log], capture_output=True)
    with open(f"{work}/no-newline", "w") as f:
        f.write('tail {"result":"error","error_code":"103"}')
    plain = subprocess.run([BIN, f"{work}/no-newline"], capture_output=True)
    check("whole lines: a plain file's last line without newline is still written",
          plain.stdout.decode().startswith('tail {"result":"error","error_code":"103"} [coinone'),
          plain.stdout)
    piped = subprocess.run([BIN], input=b"last error_code=103", capture_output=True)
    check("whole lines: so is stdin's", piped.stdout.startswith(b"last error_code=103 [coinone"),
          piped.stdout)


def bad_states(work):
    log = f"{work}/bot.log"
    with open(log, "w") as f:
        f.write("line 1\n")
    os.mkdir(f"{work}/dir")
    os.symlink("target", f"{work}/link")
    with open(f"{work}/garbage", "wb") as f:
        f.write(b"coinone-annotate state 2\nfile=/x\noffset=4\n")
    with open(f"{work}/big", "wb") as f:
        f.write(b"x" * (2 << 20))
    cases = [
        ("a directory", f"{work}/dir", f"{work}/dir: Is a directory"),
        ("a symbolic link", f"{work}/link",
         f"{work}/link: a symbolic link, which saving would replace: give its target"),
        ("a missing directory", f"{work}/none/state",
         f"{work}/none/state.tmp: No such file or directory"),
        ("no checksum", f"{work}/garbage",
         f"{work}/garbage: no checksum: the file is incomplete"),
        ("100 MB of garbage (here 2 MiB)", f"{work}/big",
         f"{work}/big: 2097152 bytes, more than a state file ever holds (1048576)"),
    ]
    for name, state, message in cases:
        begin = time.monotonic()
        try:
            run = subprocess.run([BIN, "--follow", log, "--state", state], capture_output=True,
                                 timeout=3)
        except subprocess.TimeoutExpired:
            check(f"state {name}: ends at start", False, "still running after 3 s")
            continue
        err = run.stderr.decode()
        check(f"state {name}: status 2 at start", run.returncode == 2, f"status {run.returncode}")
        check(f"state {name}: message", err == f"coinone-annotate: {message}\n", err)
        check(f"state {name}: nothing read", run.stdout == b"", run.stdout)
        check(f"state {name}: at once", time.monotonic() - begin < 2)
    check("state: the symlink is still a symlink", os.path.islink(f"{work}/link"))
    # A state recorded for another log is not applied: said so, and started afresh.
    other = f"{work}/other.log"
    with open(other, "w") as f:
        f.write("other 1\nother 2\n")
    proc = start([other, "--state", f"{work}/shared"])
    time.sleep(0.5)
    stop(proc)
    with open(log, "a") as f:
        f.write("line 2\n")
    proc = start([log, "--state", f"{work}/shared"])
    time.sleep(0.5)
    code, _ = stop(proc)
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    check("state for another path: said so",
          f"{work}/shared: recorded for {other}, not for {log}: not applied, starting afresh"
          in err, err)
    check("state for another path: starts afresh", out == "line 1\nline 2\n", out)
    check("state for another path: status 0", code == 0, f"status {code}")


def unreadable(work):
    os.mkfifo(f"{work}/fifo")
    os.symlink(f"{work}/fifo", f"{work}/fifo-link")
    os.symlink("/dev/zero", f"{work}/zero-link")
    os.mkdir(f"{work}/a-dir")
    cases = [
        ("a directory", f"{work}/a-dir", "Is a directory"),
        ("a missing directory", f"{work}/missing/bot.log",
         "No such file or directory (its directory)"),
        ("a FIFO behind a symlink", f"{work}/fifo-link", "not a regular file"),
        ("/dev/zero behind a symlink", f"{work}/zero-link", "not a regular file"),
    ]
    for name, path, reason in cases:
        port = free_port()
        proc = start([path, "--metrics", f"127.0.0.1:{port}"])
        line = wait_for_stderr_line(proc, 1.0)
        check(f"{name}: message within a second", line == f"coinone-annotate: {path}: {reason}\n",
              repr(line))
        got = healthz(port, body=True)
        check(f"{name}: /healthz 503 with the reason",
              got == (503, f"unhealthy: {path}: {reason}\n"), str(got))
        time.sleep(0.2)
        check(f"{name}: still running, nothing written", proc.poll() is None)
        code, seconds = stop(proc)
        check(f"{name}: SIGTERM exits 0", code == 0, f"status {code}")
        check(f"{name}: within a second", seconds < 1.0, f"{seconds:.2f} s")
        check(f"{name}: no output", proc.stdout.read() == b"")
    # A path that becomes readable: the follower recovers and /healthz says 200 again.
    port = free_port()
    path = f"{work}/later/bot.log"
    proc = start([path, "--metrics", f"127.0.0.1:{port}"])
    wait_for_stderr_line(proc, 1.0)
    check("recovery: 503 first", healthz(port) == 503)
    os.mkdir(f"{work}/later")
    with open(path, "w") as f:
        f.write("")
    time.sleep(0.3)
    check("recovery: then 200", healthz(port) == 200)
    stop(proc)


FULL_DISK = r"""
set -e
mount -t tmpfs -o size=16k tmpfs "$1/st"
"$2" --follow "$1/bot.log" --state "$1/st/state" > "$1/out" 2> "$1/err" &
pid=$!
sleep 0.5
echo 'line 1 error_code=103' >> "$1/bot.log"
sleep 1.5
cp "$1/st/state" "$1/state-before"
dd if=/dev/zero of="$1/st/fill" bs=1k count=64 2> /dev/null || true
echo 'line 2 error_code=103' >> "$1/bot.log"
sleep 1.5
cp "$1/err" "$1/err-running"
kill -TERM $pid
status=0
wait $pid || status=$?
echo $status > "$1/status"
cmp "$1/st/state" "$1/state-before" && echo same > "$1/state-same"
"""


def full_disk(work):
    """ENOSPC on the state file while running: said at once, status 2, no output lost, the old
    state intact. Needs a tmpfs (unshare -rm: a user and mount namespace); skipped without."""
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0:
        print("full disk: skipped (unshare -rm is not allowed here)")
        return
    os.mkdir(f"{work}/st")
    open(f"{work}/bot.log", "w").close()
    subprocess.run(["unshare", "-rm", "sh", "-c", FULL_DISK, "sh", work, BIN], timeout=30)
    err = open(f"{work}/err-running").read()
    check("full disk: reported while running",
          f"coinone-annotate: {work}/st/state.tmp: No space left on device\n" in err, err)
    check("full disk: status 2", open(f"{work}/status").read().strip() == "2")
    check("full disk: nothing lost up to the fault",
          open(f"{work}/out").read().count("[coinone 103") == 2, open(f"{work}/out").read())
    check("full disk: the last good state stays", os.path.exists(f"{work}/state-same"))


for test in (whole_lines, bad_states, unreadable, full_disk):
    with tempfile.TemporaryDirectory() as work:
        test(work)
sys.exit(check.report("follow_failures"))
