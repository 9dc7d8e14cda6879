#!/usr/bin/env bash
# Throughput on compressed archives: coinone-annotate against zcat and zstd -dc, in one run.
#   scripts/bench_compressed.sh [--size MiB] [--rounds N]      (defaults 256 and 5)
# Env: ANNOTATE (build/coinone-annotate), MAKE_CORPUS (build/make_corpus), BENCH_DIR
# (/tmp/coinone-bench). Makes the 1% corpus if needed, compresses it with gzip -6 and zstd -3,
# warms the page cache, then times each command round-robin and prints median MB/s (of the
# uncompressed bytes, 1 MB = 10^6 bytes) and the two ratios the archive issue sets targets for.
set -euo pipefail
cd "$(dirname "$0")/.."
size=256 rounds=5
while (($#)); do
  case $1 in
    --size) size=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "usage: $0 [--size MiB] [--rounds N]" >&2; exit 2 ;;
  esac
done
annotate=$(realpath "${ANNOTATE:-build/coinone-annotate}")
make_corpus=$(realpath "${MAKE_CORPUS:-build/make_corpus}")
dir=${BENCH_DIR:-/tmp/coinone-bench}
mkdir -p "$dir"
log=$dir/corpus-err1-${size}MiB-seed42.log
[ "$(stat -c %s "$log" 2>/dev/null || echo 0)" = $((size * 1048576)) ] ||
  "$make_corpus" --size $((size * 1048576)) --error-rate 0.01 --seed 42 -o "$log"
[ -s "$log.gz" ] && [ "$log.gz" -nt "$log" ] || gzip -6 -c "$log" > "$log.gz"
[ -s "$log.zst" ] && [ "$log.zst" -nt "$log" ] || zstd -3 -q -f -o "$log.zst" "$log"
cat "$log.gz" "$log.zst" > /dev/null
python3 - "$annotate" "$log" "$rounds" <<'PY'
import os, statistics, subprocess, sys, time
annotate, log, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
size = os.path.getsize(log)
cmds = [("zcat", f"zcat {log}.gz | wc -c"), ("ann-gz", f"{annotate} {log}.gz | wc -c"),
        ("zstd", f"zstd -dcq {log}.zst | wc -c"), ("ann-zst", f"{annotate} {log}.zst | wc -c")]
times = {k: [] for k, _ in cmds}
for _ in range(rounds):
    for key, cmd in cmds:
        t0 = time.perf_counter()
        out = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, check=True)
        times[key].append(time.perf_counter() - t0)
        if int(out.stdout.split()[0]) < size:
            sys.exit(f"{cmd} wrote fewer bytes than the {size} of the log")
mbs = {k: size / statistics.median(v) / 1e6 for k, v in times.items()}
print(f"| command | median MB/s |\n| --- | ---: |")
for key, cmd in cmds:
    shown = cmd.replace(log, "big.log").replace(annotate, "coinone-annotate")
    print(f"| `{shown}` | {mbs[key]:,.0f} |")
print(f"\n| ratio | value | target |\n| --- | ---: | ---: |")
print(f"| annotate big.log.gz / zcat | {mbs['ann-gz'] / mbs['zcat']:.2f} | >= 1.5 |")
print(f"| annotate big.log.zst / zstd -dc | {mbs['ann-zst'] / mbs['zstd']:.2f} | >= 0.9 |")
print(f"\n{size:,} bytes uncompressed, {os.path.getsize(log + '.gz'):,} gzip -6, "
      f"{os.path.getsize(log + '.zst'):,} zstd -3; median of {rounds} rounds, round-robin")
PY
