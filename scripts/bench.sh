#!/usr/bin/env bash
# Throughput benchmark of coinone-annotate against cat and ripgrep, printed as Markdown.
#
#   scripts/bench.sh [--size MiB] [--rounds N] [--long-size MiB] [--no-long]
#
# Environment:
#   ANNOTATE     the filter to measure          (default: build/coinone-annotate)
#   MAKE_CORPUS  the corpus generator           (default: build/make_corpus)
#   BENCH_DIR    where the corpora are kept     (default: /tmp/coinone-bench)
# Relative paths are taken from the repository root. ANNOTATE may also be a command on PATH
# (ANNOTATE=cat tries the script without the filter).
#
# What it does:
#   1. makes, unless already there at the right size, four corpora of --size MiB (make_corpus,
#      seed 42): 1% and 50% error lines; 50% error lines with short lines (--mix short, at most
#      128 bytes a line on average); and 1% error lines in a second mix (--mix second: other line
#      shapes and lengths, 35% success lines carrying error code 0). Unless --no-long, also one
#      single line of --long-size MiB (make_corpus --long-line). It reads them once so they are
#      in the page cache;
#   2. for each corpus runs five commands round-robin, --rounds times each, through bash -c,
#      timing the wall clock of each run:
#        cat FILE | wc -c                                     read baseline
#        $ANNOTATE FILE | wc -c                               the filter, file path
#        rg --passthru -N 'error_?[cC]ode' FILE | wc -c       ripgrep doing a similar pass-through
#        cat FILE | cat | wc -c                               pipe baseline
#        cat FILE | $ANNOTATE | wc -c                         the filter, stdin path
#      and prints per corpus a table of median throughput in MB/s (1 MB = 10^6 bytes), the
#      ratios annotate/cat, annotate/rg and stdin-annotate/(cat|cat), the average line length
#      and the annotated lines per second of `$ANNOTATE FILE | wc -c` (annotated lines, counted
#      once with grep -c '[coinone ', over its median wall time);
#   3. prints the peak RSS of `$ANNOTATE FILE > /dev/null` for each corpus and the long line
#      (GNU time -v, "Maximum resident set size"), in MiB;
#   4. checks that every run of the filter wrote at least as many bytes as it read, and counts the
#      annotated lines ('[coinone ') in the 1% corpus;
#   5. times start-up on empty input against cat, 200 runs each (scripts/bench_startup.py).
# The report goes to standard output, progress to standard error. Exit status 1 when a check
# fails, 2 on bad usage, 3 when a tool is missing.
set -euo pipefail

prog=bench.sh
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  cat <<EOF
usage: scripts/bench.sh [--size MiB] [--rounds N] [--long-size MiB] [--no-long]

  --size MiB        size of each corpus (default 256)
  --rounds N        timed runs of each command, round-robin (default 5)
  --long-size MiB   size of the single-line file for the RSS check (default 1024)
  --no-long         skip the single-line file

environment: ANNOTATE (default build/coinone-annotate), MAKE_CORPUS (default
build/make_corpus), BENCH_DIR (default /tmp/coinone-bench)
EOF
}

die() { echo "$prog: $*" >&2; exit 1; }
bad_usage() { echo "$prog: $*" >&2; usage >&2; exit 2; }
note() { echo "$prog: $*" >&2; }

size_mib=256
rounds=5
long_mib=1024
do_long=1
while (($# > 0)); do
  case $1 in
    --size) (($# >= 2)) || bad_usage "--size needs a value"; size_mib=$2; shift 2 ;;
    --size=*) size_mib=${1#*=}; shift ;;
    --rounds) (($# >= 2)) || bad_usage "--rounds needs a value"; rounds=$2; shift 2 ;;
    --rounds=*) rounds=${1#*=}; shift ;;
    --long-size) (($# >= 2)) || bad_usage "--long-size needs a value"; long_mib=$2; shift 2 ;;
    --long-size=*) long_mib=${1#*=}; shift ;;
    --no-long) do_long=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) bad_usage "unknown argument: $1" ;;
  esac
done
for pair in "--size:$size_mib" "--rounds:$rounds" "--long-size:$long_mib"; do
  [[ ${pair#*:} =~ ^[1-9][0-9]*$ ]] || bad_usage "${pair%%:*} wants a positive integer, not '${pair#*:}'"
done

# --- tools -------------------------------------------------------------------------------------
missing=0
need() {  # need COMMAND DEBIAN-PACKAGE
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "$prog: missing tool '$1': install it with: apt-get install $2" >&2
    missing=1
  fi
}
need rg ripgrep
need /usr/bin/time time
need python3 python3
need wc coreutils
need cat coreutils
need grep grep
((missing == 0)) || exit 3

# A path with a slash is taken from the repository root when relative; a bare name is looked up
# on PATH. Prints the absolute path.
resolve() {  # resolve WHAT VALUE HINT
  local what=$1 value=$2 hint=$3 path
  if [[ $value == */* ]]; then
    [[ $value == /* ]] && path=$value || path=$repo_root/$value
    [[ -x $path && ! -d $path ]] || { echo "$prog: $what not found or not executable: $path ($hint)" >&2; exit 3; }
  else
    path=$(command -v "$value" 2>/dev/null) || { echo "$prog: $what not found on PATH: $value ($hint)" >&2; exit 3; }
  fi
  printf '%s\n' "$path"
}

build_hint="build it with: cmake -S . -B build && cmake --build build, or set"
annotate=$(resolve ANNOTATE "${ANNOTATE:-build/coinone-annotate}" "$build_hint ANNOTATE")
make_corpus_value=${MAKE_CORPUS:-build/make_corpus}  # resolved only if a corpus must be made
bench_dir=${BENCH_DIR:-/tmp/coinone-bench}
[[ $bench_dir == /* ]] || bench_dir=$repo_root/$bench_dir
mkdir -p "$bench_dir" || die "cannot create BENCH_DIR $bench_dir"

# --- corpora -----------------------------------------------------------------------------------
seed=42
corpus_bytes=$((size_mib * 1048576))
long_bytes=$((long_mib * 1048576))
corpus1=$bench_dir/corpus-err1-${size_mib}MiB-seed$seed.log
corpus50=$bench_dir/corpus-err50-${size_mib}MiB-seed$seed.log
corpus_short=$bench_dir/corpus-short-err50-${size_mib}MiB-seed$seed.log
corpus_second=$bench_dir/corpus-second-err1-${size_mib}MiB-seed$seed.log
longfile=$bench_dir/longline-${long_mib}MiB-seed$seed.log

tmp_files=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() { ((${#tmp_files[@]} == 0)) || rm -f -- "${tmp_files[@]}"; }
trap cleanup EXIT

file_size() { stat -c %s -- "$1" 2>/dev/null || echo -1; }

ensure_corpus() {  # ensure_corpus FILE BYTES MAKE_CORPUS-ARGS...
  local file=$1 bytes=$2
  shift 2
  if [[ $(file_size "$file") == "$bytes" ]]; then
    note "using $file"
    return
  fi
  local gen
  gen=$(resolve MAKE_CORPUS "$make_corpus_value" "$build_hint MAKE_CORPUS")
  note "making $file ($bytes bytes): make_corpus --size $bytes $*"
  local tmp=$file.tmp.$$
  tmp_files+=("$tmp")
  "$gen" --size "$bytes" "$@" -o "$tmp" || die "make_corpus failed for $file"
  [[ $(file_size "$tmp") == "$bytes" ]] || die "make_corpus wrote $(file_size "$tmp") bytes to $tmp, wanted $bytes"
  mv -f -- "$tmp" "$file"
}

ensure_corpus "$corpus1" "$corpus_bytes" --error-rate 0.01 --seed "$seed"
ensure_corpus "$corpus50" "$corpus_bytes" --error-rate 0.5 --seed "$seed"
ensure_corpus "$corpus_short" "$corpus_bytes" --mix short --error-rate 0.5 --seed "$seed"
ensure_corpus "$corpus_second" "$corpus_bytes" --mix second --error-rate 0.01 --seed "$seed"
((do_long == 0)) || ensure_corpus "$longfile" "$long_bytes" --long-line --seed "$seed"

note "warming the page cache"
cat -- "$corpus1" "$corpus50" "$corpus_short" "$corpus_second" >/dev/null
((do_long == 0)) || cat -- "$longfile" >/dev/null

# --- timing ------------------------------------------------------------------------------------
# argv: label file rounds annotate-path. Runs the five commands round-robin, prints a Markdown
# section, and exits 1 when a command failed or the filter wrote fewer bytes than it read.
read -r -d '' timer_py <<'PY' || true
import os, shlex, statistics, subprocess, sys, time

label, path, rounds, annotate = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
size = os.path.getsize(path)
f, a = shlex.quote(path), shlex.quote(annotate)
name = "$ANNOTATE"

# (key, shown, command, expected output size: "eq" = exactly the input, "ge" = at least)
cmds = [
    ("cat", "cat FILE | wc -c", f"cat {f} | wc -c", "eq"),
    ("ann", f"{name} FILE | wc -c", f"{a} {f} | wc -c", "ge"),
    ("rg", "rg --passthru -N 'error_?[cC]ode' FILE | wc -c",
     f"rg --passthru -N 'error_?[cC]ode' {f} | wc -c", "eq"),
    ("catcat", "cat FILE | cat | wc -c", f"cat {f} | cat | wc -c", "eq"),
    ("stdin", f"cat FILE | {name} | wc -c", f"cat {f} | {a} | wc -c", "ge"),
]
env = dict(os.environ)
env.pop("RIPGREP_CONFIG_PATH", None)
times = {k: [] for k, *_ in cmds}
failures = []
for r in range(rounds):
    for key, shown, cmd, expect in cmds:
        t0 = time.perf_counter()
        p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        t1 = time.perf_counter()
        times[key].append(t1 - t0)
        # rg exits 1 when nothing matched, which is no failure here.
        if p.returncode != 0 and not (key == "rg" and p.returncode == 1):
            err = p.stderr.decode(errors="replace").strip()[:300]
            failures.append(f"`{shown}` exited {p.returncode}" + (f": {err}" if err else ""))
            continue
        try:
            out = int(p.stdout.split()[0])
        except (IndexError, ValueError):
            failures.append(f"`{shown}`: no byte count from wc")
            continue
        if expect == "eq" and out != size:
            failures.append(f"`{shown}` wrote {out} bytes, expected {size}")
        if expect == "ge" and out < size:
            failures.append(f"`{shown}` wrote {out} bytes, fewer than the {size} it read")
        if key in ("ann", "stdin") and r == 0:
            print(f"{label}: `{shown}` wrote {out} bytes for {size} read "
                  f"(+{out - size})", file=sys.stderr)
    print(f"{label}: round {r + 1}/{rounds} done", file=sys.stderr)

def mbps(t):
    return size / t / 1e6

med = {k: statistics.median(v) for k, v in times.items()}
rate = {k: mbps(t) for k, t in med.items()}
best = {k: mbps(min(v)) for k, v in times.items()}

def cell(s):
    return "`" + s.replace("|", "\\|") + "`"

print(f"### {label}: {size / 1048576:g} MiB ({size:,} bytes), {rounds} rounds round-robin\n")
print("| command | median wall (s) | median MB/s | best MB/s |")
print("| --- | ---: | ---: | ---: |")
for key, shown, *_ in cmds:
    print(f"| {cell(shown)} | {med[key]:.3f} | {rate[key]:,.0f} | {best[key]:,.0f} |")
print()
print("| ratio of median MB/s (> 1: annotate is faster) | value |")
print("| --- | ---: |")
print(f"| annotate FILE / cat FILE | {rate['ann'] / rate['cat']:.2f} |")
print(f"| annotate FILE / rg --passthru | {rate['ann'] / rate['rg']:.2f} |")
print(f"| cat FILE \\| annotate / cat FILE \\| cat | {rate['stdin'] / rate['catcat']:.2f} |")
print()
# Annotated lines, counted once, over the median wall time of the file path.
count = subprocess.run(["bash", "-o", "pipefail", "-c",
                        f"{a} {f} | grep -c -F '[coinone '; exit ${{PIPESTATUS[0]}}"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
annotated = int(count.stdout.split()[0]) if count.stdout.split() else 0
if count.returncode != 0:
    failures.append(f"counting annotated lines: exit {count.returncode}")
with open(path, "rb") as fh:
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
print(f"- {lines:,} lines, {size / max(lines, 1):.1f} bytes a line on average; "
      f"{annotated:,} annotated ({100 * annotated / max(lines, 1):.1f}%)")
print(f"- annotated lines per second (`{name} FILE \\| wc -c`, median): "
      f"{annotated / med['ann']:,.0f}")
print()
if failures:
    print(f"**{label}: {len(failures)} check(s) failed:**\n")
    for msg in failures[:20]:
        print(f"- {msg}")
    print()
    sys.exit(1)
print(f"Output size check ({label}): every run of the filter wrote at least the {size:,} bytes "
      "it read; cat and rg wrote exactly that.\n")
PY

status=0

echo "## coinone-annotate throughput"
echo
echo "- filter: ANNOTATE=\`$annotate\`"
version=$("$annotate" --version 2>/dev/null </dev/null | head -n 1) || true
[[ -z $version ]] || echo "- version: $version"
echo "- ripgrep: $(rg --version | head -n 1)"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo unknown CPU), $(uname -sr)"
echo "- corpora: \`$corpus1\`, \`$corpus50\`, \`$corpus_short\`, \`$corpus_second\` (make_corpus --seed $seed), page cache warm"
echo "- MB/s is 10^6 bytes of input per second of wall time, from the median of $rounds runs"
echo

python3 -c "$timer_py" "1% error lines" "$corpus1" "$rounds" "$annotate" || status=1
python3 -c "$timer_py" "50% error lines" "$corpus50" "$rounds" "$annotate" || status=1
python3 -c "$timer_py" "50% error lines, short lines (--mix short)" "$corpus_short" "$rounds" "$annotate" || status=1
python3 -c "$timer_py" "1% error lines, second mix (--mix second)" "$corpus_second" "$rounds" "$annotate" || status=1

# --- start-up ----------------------------------------------------------------------------------
# Empty input, cat in the same run (scripts/bench_startup.py; CI checks the ratio: perf.startup).
note "measuring start-up on empty input"
python3 "$repo_root/scripts/bench_startup.py" --runs 200 "$annotate" || status=1

# --- peak RSS ----------------------------------------------------------------------------------
echo "### Peak RSS of \`\$ANNOTATE FILE > /dev/null\`"
echo
echo "| input | size (MiB) | peak RSS (MiB) | wall (s) |"
echo "| --- | ---: | ---: | ---: |"
rss_row() {  # rss_row LABEL FILE
  local label=$1 file=$2 report rc kib wall
  report=$(mktemp)
  tmp_files+=("$report")
  note "measuring peak RSS on $file"
  rc=0
  /usr/bin/time -v -o "$report" "$annotate" "$file" >/dev/null || rc=$?
  kib=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$report")
  wall=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): *//p' "$report")
  if ((rc != 0)) || [[ -z $kib ]]; then
    echo "| $label | $(($(file_size "$file") / 1048576)) | failed (exit $rc) | |"
    note "$annotate $file exited $rc: $(grep -v '^[[:space:]]' "$report" | head -n 3 | tr '\n' ' ')"
    status=1
    return
  fi
  # m:ss.ss or h:mm:ss -> seconds
  wall=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }')
  echo "| $label | $(($(file_size "$file") / 1048576)) | $(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }') | $wall |"
}
rss_row "1% error lines" "$corpus1"
rss_row "50% error lines" "$corpus50"
if ((do_long)); then
  rss_row "one line, no newline" "$longfile"
else
  echo "| one line, no newline | skipped (--no-long) | | |"
fi
echo

# --- annotated lines ---------------------------------------------------------------------------
note "counting annotated lines"
set +e
annotated=$("$annotate" "$corpus1" | grep -c '\[coinone '; exit "${PIPESTATUS[0]}")
rc=$?
set -e
if ((rc != 0)); then
  note "$annotate $corpus1 exited $rc while counting annotated lines"
  status=1
fi
# Lines whose error-code field holds a non-zero number: what the filter should annotate, roughly.
with_code=$(rg -c -i 'error_?code\W{0,6}[1-9]' -- "$corpus1" || true)
total_lines=$(wc -l <"$corpus1")
echo "### Annotated lines, 1% corpus"
echo
echo "- lines: ${total_lines}"
echo "- lines with a non-zero error-code field (rg -i 'error_?code\\W{0,6}[1-9]'): ${with_code:-0}"
echo "- lines annotated by the filter (grep -c '\\[coinone '): ${annotated:-0}"
echo

if ((status != 0)); then
  note "some checks failed (see above)"
fi
exit "$status"
