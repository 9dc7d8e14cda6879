#!/usr/bin/env bash
# Throughput on compressed archives: coinone-annotate against each format's own tool, in one run.
#   scripts/bench_compressed.sh [--size MiB] [--rounds N] [--formats LIST]
#     defaults: 64 MiB, 5 rounds, all of gz,zst,xz,xz-mt,xz-mt4,bz2,lz4
# Env: ANNOTATE (build/coinone-annotate), MAKE_CORPUS (build/make_corpus), BENCH_DIR
# (/tmp/coinone-bench). Makes the 1% corpus if needed and compresses it with gzip -6, zstd -3,
# xz -6 (one block), xz -6 -T2 (blocks of 3x the 8 MiB dictionary: 3 blocks of a 64 MiB log,
# uneven, so that a thread per CPU leaves one idle at the end), xz -6 -T2 --block-size=4MiB
# (16 blocks, as a larger log has), bzip2 -9 and lz4 -1, warms the page cache, then times each
# command round-robin and prints median MB/s (of the
# uncompressed bytes, 1 MB = 10^6 bytes) and the ratios the archive issues set targets for, each
# against the format's own tool decoding to `wc -c` in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
size=64 rounds=5 formats=gz,zst,xz,xz-mt,xz-mt4,bz2,lz4
while (($#)); do
  case $1 in
    --size) size=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --formats) formats=$2; shift 2 ;;
    *) echo "usage: $0 [--size MiB] [--rounds N] [--formats gz,zst,xz,xz-mt,xz-mt4,bz2,lz4]" >&2; exit 2 ;;
  esac
done
annotate=$(realpath "${ANNOTATE:-build/coinone-annotate}")
make_corpus=$(realpath "${MAKE_CORPUS:-build/make_corpus}")
dir=${BENCH_DIR:-/tmp/coinone-bench}
mkdir -p "$dir"
log=$dir/corpus-err1-${size}MiB-seed42.log
[ "$(stat -c %s "$log" 2>/dev/null || echo 0)" = $((size * 1048576)) ] ||
  "$make_corpus" --size $((size * 1048576)) --error-rate 0.01 --seed 42 -o "$log"
compress() {  # compress SUFFIX COMMAND... : $log.SUFFIX from COMMAND < $log, unless up to date
  local out=$log.$1
  shift
  [ -s "$out" ] && [ "$out" -nt "$log" ] || "$@" < "$log" > "$out"
}
compress gz gzip -6 -c
compress zst zstd -3 -q -c
compress xz xz -6 -c
compress mt.xz xz -6 -T2 -c
compress mt4.xz xz -6 -T2 --block-size=4MiB -c
compress bz2 bzip2 -9 -c
compress lz4 lz4 -1 -q -c
cat "$log".* > /dev/null
python3 - "$annotate" "$log" "$rounds" "$formats" <<'PY'
import os, statistics, subprocess, sys, time
annotate, log, rounds, formats = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
size = os.path.getsize(log)
# format: (suffix, the tool's command, target ratio of coinone-annotate to it, label)
table = {
    "gz": ("gz", "igzip -dc", 1.3, "`.gz`"),
    "zst": ("zst", "zstd -dcq", 0.9, "`.zst`"),
    "xz": ("xz", "xz -dc", 1.0, "`.xz`, one block (`xz -6`)"),
    "xz-mt": ("mt.xz", "xz -dc", 1.6, "`.xz`, 3 blocks (`xz -T2`)"),
    "xz-mt4": ("mt4.xz", "xz -dc", 1.6, "`.xz`, 16 blocks (`xz -T2 --block-size=4MiB`)"),
    "bz2": ("bz2", "bzip2 -dc", 1.0, "`.bz2`"),
    "lz4": ("lz4", "lz4 -dc", 0.9, "`.lz4`"),
}
cmds = []
for f in formats:
    suffix, tool, _, _ = table[f]
    cmds.append((f + ":tool", f"{tool} {log}.{suffix} | wc -c"))
    cmds.append((f + ":ann", f"{annotate} {log}.{suffix} | wc -c"))
times = {k: [] for k, _ in cmds}
for _ in range(rounds):
    for key, cmd in cmds:
        t0 = time.perf_counter()
        out = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, check=True)
        times[key].append(time.perf_counter() - t0)
        if int(out.stdout.split()[0]) < size:
            sys.exit(f"{cmd} wrote fewer bytes than the {size} of the log")
mbs = {k: size / statistics.median(v) / 1e6 for k, v in times.items()}
print("| input | compressed bytes | tool | tool MB/s | coinone-annotate MB/s | ratio | target |")
print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
for f in formats:
    suffix, tool, target, label = table[f]
    ratio = mbs[f + ":ann"] / mbs[f + ":tool"]
    mark = "" if ratio >= target else " (missed)"
    print(f"| {label} | {os.path.getsize(log + '.' + suffix):,} | `{tool}` | {mbs[f + ':tool']:,.0f}"
          f" | {mbs[f + ':ann']:,.0f} | {ratio:.2f}×{mark} | ≥ {target}× |")
print(f"\n{size:,} bytes uncompressed (1% error lines); median of {rounds} rounds, round-robin; "
      "each command writes to `| wc -c`")
PY
