#!/usr/bin/env bash
# Scaling per thread: coinone-annotate -j N over several gzip archives, N = 1, 2, ... in one run.
#   scripts/bench_threads.sh [--size MiB] [--files N] [--rounds N] [--threads "1 2 4"]
#   (defaults 64, 4, 7 and "1 2")
# Env: ANNOTATE (build/coinone-annotate), MAKE_CORPUS (build/make_corpus), BENCH_DIR
# (/tmp/coinone-bench). Makes the archives if needed (1% corpus, one seed per file, gzip -6),
# warms the page cache, then times each -j N in turn, round after round (so that a noisy
# machine slows every variant alike), and prints the median MB/s (uncompressed bytes, 1 MB =
# 10^6 bytes) and its ratio to -j1. Output goes to /dev/null: only the filter is timed.
set -euo pipefail
cd "$(dirname "$0")/.."
size=64 files=4 rounds=7 threads="1 2"
while (($#)); do
  case $1 in
    --size) size=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "usage: $0 [--size MiB] [--files N] [--rounds N] [--threads \"1 2 ...\"]" >&2; exit 2 ;;
  esac
done
annotate=$(realpath "${ANNOTATE:-build/coinone-annotate}")
make_corpus=$(realpath "${MAKE_CORPUS:-build/make_corpus}")
dir=${BENCH_DIR:-/tmp/coinone-bench}
mkdir -p "$dir"
archives=()
for ((i = 1; i <= files; i++)); do
  log=$dir/corpus-err1-${size}MiB-seed$((100 + i)).log
  if [ ! -s "$log.gz" ]; then
    "$make_corpus" --size $((size * 1048576)) --error-rate 0.01 --seed $((100 + i)) -o "$log"
    gzip -6 -c "$log" >"$log.gz" && rm "$log"
  fi
  archives+=("$log.gz")
done
cat "${archives[@]}" >/dev/null
python3 - "$annotate" "$rounds" "$threads" "${archives[@]}" <<'PY'
import gzip, os, statistics, subprocess, sys, time
annotate, rounds, threads, archives = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4:]
size = 0
for path in archives:  # the uncompressed size: gzip's ISIZE trailer is mod 2^32, so decode
    with gzip.open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            size += len(chunk)
times = {j: [] for j in threads}
for _ in range(rounds):
    for j in threads:
        t0 = time.perf_counter()
        subprocess.run([annotate, f"-j{j}", *archives], stdout=subprocess.DEVNULL, check=True)
        times[j].append(time.perf_counter() - t0)
base = size / statistics.median(times[threads[0]])
print(f"| command | median s | median MB/s | vs -j{threads[0]} |\n| --- | ---: | ---: | ---: |")
for j in threads:
    rate = size / statistics.median(times[j])
    print(f"| `coinone-annotate -j{j} {len(archives)} x .gz > /dev/null` | "
          f"{statistics.median(times[j]):.3f} | {rate / 1e6:,.0f} | {rate / base:.2f} |")
print(f"\n{len(archives)} archives, {size:,} bytes uncompressed, "
      f"{sum(os.path.getsize(a) for a in archives):,} gzip -6; median of {rounds} rounds, "
      f"round-robin; {os.cpu_count()} CPUs")
PY
