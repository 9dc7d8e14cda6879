#!/usr/bin/env python3
"""Other exchanges' error lines next to Coinone's, end to end.

tests/fixtures/exchanges/other-exchanges.log holds error lines of other exchanges as their
documented bodies (the comments of ccxt's exchange classes) come out of ccxt (`ID {body}`) and
of console, pino, winston, bunyan, log4js, Python logging and logfmt loggers, many with a
number that is in Coinone's table. coinone.log holds Coinone error lines, coinone.codes the code
each must be annotated with. The two are interleaved; every other exchange's line must come out
byte for byte, every Coinone line annotated with its code, at several buffer sizes.
With --no-exchange-check the colliding lines are annotated: the fixtures do test the check.

    other_exchanges.py BINARY FIXTURE_DIR
"""
import subprocess
import sys
from pathlib import Path

# Lines of other-exchanges.log whose error field holds a number of Coinone's table and that
# nothing but the exchange check keeps from being annotated, counted by hand: bitvavo 103, 105,
# 107, 108, 301, 305, 307, 309, 310, 312 (10), hibachi 4, coinex 158 and 107, cryptocom 306,
# 308 and 315, whitebit 10 twice, bithumb 103, kraken 103 and 105, gate 111, delta 103, btse
# 300 and 301 (15). Not counted: ndax 101 and 104 and btcbox 107 (a result of false), stack lines,
# and codes not in the table (216, 3, 500, 2021, 1010, 6105, 400100, 10006, 50011, 2009, 2001,
# 10014, 412, 5600, 400, 1013; -2010).
COLLIDING = 25


def run(binary, data, *args):
    result = subprocess.run([binary, *args], input=data, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=60, check=False)
    if result.returncode != 0:
        sys.exit(f"FAIL: {binary} {' '.join(args)} exited {result.returncode}: "
                 f"{result.stderr.decode(errors='replace')}")
    return result.stdout


def main():
    binary, fixtures = sys.argv[1], Path(sys.argv[2])
    others = (fixtures / "other-exchanges.log").read_bytes().splitlines(keepends=True)
    coinone = (fixtures / "coinone.log").read_bytes().splitlines(keepends=True)
    codes = (fixtures / "coinone.codes").read_text().split()
    assert len(coinone) == len(codes), "one code per Coinone line"
    mixed, kinds = [], []
    for i, line in enumerate(others):
        mixed.append(line)
        kinds.append(None)
        if i % 5 == 4:
            j = (i // 5) % len(coinone)
            mixed.append(coinone[j])
            kinds.append(codes[j])
    failures = 0
    for args in ([], ["--buffer-size=1"], ["--buffer-size=7"], ["--no-prefilter"]):
        out = run(binary, b"".join(mixed), *args).splitlines(keepends=True)
        if len(out) != len(mixed):
            failures += 1
            print(f"FAIL {args}: {len(out)} lines out, {len(mixed)} in")
            continue
        for line, got, code in zip(mixed, out, kinds):
            body = line.rstrip(b"\n")
            want_start = body + b" [coinone " + (code or "").encode() + b" "
            ok = got == line if code is None else got.startswith(want_start)
            if not ok:
                failures += 1
                print(f"FAIL {args}: {got!r}")
    unchecked = run(binary, b"".join(others), "--no-exchange-check")
    annotated = sum(1 for line in unchecked.splitlines() if b" [coinone " in line)
    if annotated != COLLIDING:
        failures += 1
        print(f"FAIL: --no-exchange-check annotated {annotated} lines, expected {COLLIDING}")
    print(f"other_exchanges: {len(others)} other lines, {len(mixed) - len(others)} Coinone lines, "
          f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
