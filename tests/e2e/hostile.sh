#!/usr/bin/env bash
# Hostile and degenerate input, end to end: nothing is lost, nothing hangs, memory stays bounded.
#   hostile.sh BINARY [plain|sanitized] [CASE...]
# Cases: full_tmp template_width no_threads summary_distinct (all when none is named). Each is bounded in
# time (timeout) and, outside sanitizer builds, in peak RSS (/usr/bin/time -v).
set -u
bin=$(realpath "$1") build=${2:-plain}
shift 2 2>/dev/null || shift $#
cases=${*:-full_tmp template_width no_threads summary_distinct}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
skipped=0


peak_rss_kib() { sed -n 's/^\tMaximum resident set size (kbytes): //p' "$1"; }

# --only-errors with a 10 MiB tmpfs as the spool's directory: a short error line, a 40 MiB error
# line (longer than the tmpfs) and another error line all come out, with a note on stderr.
full_tmp() {
  local small="$work/small-tmp" input="$work/full_tmp.in"
  mkdir -p "$small"
  local line='x' field=' {"result":"error","error_code":"103"}'
  local note=' [coinone 103 Order / Balance: Lack of balance -> check-funds]'
  {
    printf 'first error_code=103\n'
    head -c $((40 * 1024 * 1024)) /dev/zero | tr '\0' x
    printf '%s\n' "$field"
    printf 'last error_code=103\n'
  } >"$input"
  # A mount namespace of our own (as root), else a user namespace too (unprivileged), else skip.
  local how=""
  for flags in "-m" "-Urm"; do
    if unshare $flags true 2>/dev/null &&
      unshare $flags sh -c "mount -t tmpfs -o size=10m tmpfs '$small'" 2>/dev/null; then
      how=$flags
      break
    fi
  done
  if [ -z "$how" ]; then
    echo "SKIP: full_tmp: unshare or mount of a tmpfs is not permitted here"
    skipped=$((skipped + 1))
    return
  fi
  timeout 120 unshare $how sh -c '
    mount -t tmpfs -o size=10m tmpfs "$1" || exit 97
    TMPDIR="$1" "$2" --only-errors "$3" >"$4.out" 2>"$4.err"
    echo $? >"$4.status"' sh "$small" "$bin" "$input" "$work/full_tmp"
  expect "full_tmp: status" "$(cat "$work/full_tmp.status")" 0
  local want_size=$(($(stat -c %s "$input") + ${#note} * 3))
  expect "full_tmp: output size" "$(stat -c %s "$work/full_tmp.out")" "$want_size"
  expect "full_tmp: first line" "$(head -n 1 "$work/full_tmp.out")" "first error_code=103$note"
  expect "full_tmp: long line's end" "$(sed -n 2p "$work/full_tmp.out" | tail -c 100)" \
    "$(printf '%s%s\n' "$field" "$note" | tail -c 100)"
  expect "full_tmp: last line" "$(tail -n 1 "$work/full_tmp.out")" "last error_code=103$note"
  expect "full_tmp: long line intact" \
    "$(sed -n 2p "$work/full_tmp.out" | head -c $((40 * 1024 * 1024)) | tr -d x | wc -c)" 0
  local said=no
  grep -q '^coinone-annotate: .*No space left on device' "$work/full_tmp.err" && said=yes
  expect "full_tmp: says so on stderr ($(head -c 300 "$work/full_tmp.err"))" "$said" yes
  echo "full_tmp: stderr: $(head -c 300 "$work/full_tmp.err")"
}

# --template widths and precisions above the limit (4096) fail at start, at once, with status 2.
template_width() {
  local tmpl status
  for tmpl in '{code:>2147483647}' '{meaning:.10000000}' '<{code:x^4097}>'; do
    echo 'error_code=103' | timeout 10 /usr/bin/time -v -o "$work/template.time" \
      "$bin" --template "$tmpl" >"$work/template.out" 2>"$work/template.err"
    status=$?
    expect "template_width $tmpl: status" "$status" 2
    expect "template_width $tmpl: nothing written" "$(wc -c <"$work/template.out")" 0
    expect "template_width $tmpl: message" "$(head -c 300 "$work/template.err")" \
      "coinone-annotate: --template: bad template '$tmpl': width or precision $(
        echo "$tmpl" | grep -o '[0-9]*' | head -n 1) is over the limit of 4096"
    if [ "$build" != sanitized ] && [ -s "$work/template.time" ]; then
      local rss
      rss=$(peak_rss_kib "$work/template.time")
      [ "${rss:-0}" -lt $((64 * 1024)) ]
      expect "template_width $tmpl: peak RSS ${rss:-?} KiB under 64 MiB" "$?" 0
    fi
  done
  echo 'error_code=103' | "$bin" --template '[{code:>4096}]' >"$work/template.out"
  expect "template_width: 4096 is allowed" "$(wc -c <"$work/template.out")" $((15 + 2 + 4096 + 1))
}

# No thread can start (RLIMIT_NPROC as an unprivileged user, like a container's pids limit): a
# gzip input dense with errors, which would use the decoder thread, and the same plain, which
# would use the scan-ahead thread, are decoded and scanned on the one thread instead, byte for
# byte, status 0 (both aborted with 134).
no_threads() {
  local note=' [coinone 103 Order / Balance: Lack of balance -> check-funds]'
  yes 'ts=1 msg="order" error_code=103' | head -n 200000 >"$work/dense.log"
  gzip -c "$work/dense.log" >"$work/dense.log.gz"
  sed "s|\$|$note|" "$work/dense.log" >"$work/dense.want"
  # Root is exempt from RLIMIT_NPROC: drop to nobody first. Then check that a fork really fails.
  local drop=()
  [ "$(id -u)" -eq 0 ] && drop=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  local probe
  # A shell that cannot fork gives up at once: "started" alone means the limit holds.
  probe=$(prlimit --nproc=0:0 "${drop[@]}" sh -c 'echo started; (true); echo forks' 2>/dev/null)
  if [ "$probe" != started ]; then
    echo "SKIP: no_threads: RLIMIT_NPROC cannot stop new threads here (${probe:-no shell})"
    skipped=$((skipped + 1))
    return
  fi
  # LeakSanitizer needs a thread of its own at exit: not to be had here.
  local input status asan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
  for input in dense.log.gz dense.log; do  # the decoder thread and the scan-ahead thread
    ASAN_OPTIONS=$asan timeout 60 prlimit --nproc=0:0 "${drop[@]}" \
      "$bin" <"$work/$input" >"$work/dense.out" 2>"$work/dense.err"
    status=$?
    expect "no_threads $input: status ($(head -c 300 "$work/dense.err"))" "$status" 0
    cmp -s "$work/dense.out" "$work/dense.want"
    expect "no_threads $input: output byte for byte" "$?" 0
  done
}

# --summary over 2 million distinct unknown codes: peak RSS at most 64 MiB, a report of bounded
# size that lists the 100 most frequent unknown codes and counts the others.
summary_distinct() {
  local count=${SUMMARY_CODES:-2000000}
  seq 10000000 $((10000000 + count - 1)) |
    sed 's/.*/{"result":"error","error_code":"&"}/' >"$work/distinct.log"
  printf '{"result":"error","error_code":"99"}\n%.0s' $(seq 1 5000) >>"$work/distinct.log"
  timeout 300 /usr/bin/time -v -o "$work/distinct.time" \
    "$bin" --summary=json --only-errors "$work/distinct.log" >/dev/null 2>"$work/distinct.json"
  local status=$?
  expect "summary_distinct: status" "$status" 0
  local rss
  rss=$(peak_rss_kib "$work/distinct.time")
  echo "summary_distinct: $count distinct unknown codes, peak RSS ${rss:-?} KiB," \
    "$(sed -n 's/^\tElapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/distinct.time") s," \
    "report $(wc -c <"$work/distinct.json") bytes"
  if [ "$build" != sanitized ]; then
    [ "${rss:-999999999}" -le $((64 * 1024)) ]
    expect "summary_distinct: peak RSS ${rss:-?} KiB at most 64 MiB" "$?" 0
  fi
  python3 - "$work/distinct.json" "$count" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
count = int(sys.argv[2])
problems = []
if len(text) > 64 * 1024:
    problems.append(f"report of {len(text)} bytes")
report = json.loads(text)
unknown = report["unknown"]
if report["annotated"] != count + 5000:
    problems.append(f"annotated {report['annotated']}")
if unknown.get("99") != 5000 or list(unknown)[0] != "99":
    problems.append(f"the frequent code 99 is not first with 5000: {list(unknown.items())[:3]}")
if len(unknown) != 100:
    problems.append(f"{len(unknown)} unknown codes listed, want 100")
if sum(unknown.values()) + report.get("unknown_others", 0) != count + 5000:
    problems.append("listed unknown codes and others do not add up")
for problem in problems:
    print("FAIL: summary_distinct:", problem)
sys.exit(1 if problems else 0)
PY
  expect "summary_distinct: report" "$?" 0
}

for case in $cases; do "$case"; done
echo "hostile: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
