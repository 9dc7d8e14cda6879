#!/usr/bin/env python3
"""Start-up time of coinone-annotate on empty input, against cat in the same run.

    scripts/bench_startup.py [--runs N] [--max-ratio R] [ANNOTATE [ARGS...]]

Runs `cat` and `ANNOTATE` (default build/coinone-annotate) in turn, N times each (default 200),
each with standard input from /dev/null and standard output to /dev/null, started with
posix_spawn (no shell in between) and timed from the spawn to the end of waitpid. Prints a
Markdown table: the median and 10th percentile of the wall time and the median CPU time
(user + system, from wait4) of each, and the ratios of the medians. Round-robin and medians keep
a busy machine's noise out of the ratio: both commands see the same load.

With --max-ratio R the exit status is 1 when the ratio of the median CPU times exceeds R (the CI
check: tests/CMakeLists.txt, perf.startup); 2 on bad usage or when a run fails. CPU time, not
wall time: on a loaded machine (several builds on 2 cores) the wall time of a 1 ms process is
mostly waiting for a core, and its median moved between 1x and 7x cat's from one run to the next,
while the CPU time (the kernel's per-task accounting) stays put.
"""
import argparse
import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_once(argv, devnull):
    """Wall and CPU seconds of one run; raises on a non-zero exit status."""
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0),
                                       (os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter_ns() - t0) / 1e9
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--max-ratio", type=float)
    parser.add_argument("command", nargs="*")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs wants a positive number")
    annotate = args.command or [os.path.join(REPO, "build", "coinone-annotate")]
    cat = ["/bin/cat"]
    for argv in (annotate, cat):
        if not os.access(argv[0], os.X_OK):
            print(f"bench_startup.py: not executable: {argv[0]}", file=sys.stderr)
            return 2
    devnull = os.open(os.devnull, os.O_RDWR)
    samples = {"cat": ([], []), "annotate": ([], [])}
    try:
        for _ in range(args.runs):
            for key, argv in (("cat", cat), ("annotate", annotate)):
                wall, cpu = run_once(argv, devnull)
                samples[key][0].append(wall)
                samples[key][1].append(cpu)
    except (OSError, RuntimeError) as e:
        print(f"bench_startup.py: {e}", file=sys.stderr)
        return 2
    med = {k: statistics.median(w) for k, (w, _) in samples.items()}
    cpu = {k: statistics.median(c) for k, (_, c) in samples.items()}
    shown = {"cat": "cat < /dev/null", "annotate": f"{os.path.basename(annotate[0])} < /dev/null"}
    print(f"### Start-up on empty input, {args.runs} runs each, round-robin\n")
    print("| command | median wall (ms) | p10 wall (ms) | median CPU (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for key in ("cat", "annotate"):
        print(f"| `{shown[key]}` | {med[key] * 1e3:.2f} | {percentile(samples[key][0], 0.1) * 1e3:.2f}"
              f" | {cpu[key] * 1e3:.2f} |")
    ratio = med["annotate"] / med["cat"]
    cpu_ratio = cpu["annotate"] / cpu["cat"] if cpu["cat"] > 0 else float("nan")
    print(f"\nratio of the medians: CPU {cpu_ratio:.2f}x cat, wall {ratio:.2f}x\n")
    if args.max_ratio is not None and not cpu_ratio <= args.max_ratio:
        print(f"bench_startup.py: start-up takes {cpu_ratio:.2f}x cat's CPU time, more than "
              f"{args.max_ratio}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
