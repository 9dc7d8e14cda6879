#!/usr/bin/env bash
# -j N end to end: several files at once give stdout, stderr, --summary and the exit status of
# one file after the other, on small and large, plain and compressed, missing and unreadable
# files and stdin; the golden outputs in argument order; bounded memory while a later file is
# huge; a reader that goes away.
#   jobs.sh BINARY MAKE_CORPUS TESTS_DIR [plain|sanitized]
# "sanitized" (an ASan build) skips the peak-RSS bound: ASan's shadow memory makes RSS meaningless.
set -u
bin=$(realpath "$1") make_corpus=$(realpath "$2") tests=$(realpath "$3") mode=${4:-plain}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/expect.sh"

# The inputs: every golden case that takes no arguments, the fixtures (gzip, zstd, corrupt,
# truncated, empty), two corpora of 3 and 9 MiB (one gzipped), a missing file and a directory.
cd "$work"
golden=()
for args in "$tests"/golden/*.args; do
  [ -s "$args" ] && continue
  name=$(basename "$args" .args)
  cp "$tests/golden/$name.in" "$name.log"
  golden+=("$name.log")
done
"$make_corpus" --size 3M --error-rate 0.05 --seed 11 -o small.log
"$make_corpus" --size 9M --error-rate 0.01 --seed 12 -o big.log
gzip -c big.log > big.log.gz
cp "$tests"/fixtures/*.gz "$tests"/fixtures/*.zst "$tests"/fixtures/empty.log .
mixed=(small.log "${golden[@]:0:5}" big.log.gz missing.log corrupt.log.gz plain.log.zst
       "${golden[@]:5:5}" / truncated.log.gz big.log empty.log multi-member.log.gz
       "${golden[@]:10}")
# Files that end without a newline, next to files that cannot be opened, empty files and
# archives cut inside a line: -j1 ends such a last line with '\n' when another file is opened
# after it, whichever worker searched either file.
printf 'a 1' >a.log
printf 'b {"error_code":"103"}' >b.log
printf 'c\n' >c.log
unended=(a.log missing.log b.log empty.log truncated.log.gz / c.log a.log corrupt.log.gz
         "${golden[@]}" b.log missing.log)

# Runs the binary with ARGS at -j1 and at each other N, and compares everything it gives.
same_as_j1() {  # same_as_j1 NAME ARGS...
  local name=$1 j
  shift
  "$bin" -j1 "$@" >want.out 2>want.err
  local want_status=$?
  for j in 2 3 8; do
    "$bin" -j$j "$@" >got.out 2>got.err
    expect "$name -j$j: exit status" "$?" "$want_status"
    expect "$name -j$j: stdout" "$(cmp want.out got.out 2>&1 && echo same)" same
    expect "$name -j$j: stderr" "$(cmp want.err got.err 2>&1 && echo same)" same
  done
}

same_as_j1 "mixed files" "${mixed[@]}"
same_as_j1 "files ending without a newline" "${unended[@]}"
same_as_j1 "without a newline, --only-errors" --only-errors "${unended[@]}"
same_as_j1 "without a newline, 1-byte spools" --spool-limit 1 "${unended[@]}"
# Many small files into a pipe: a spool goes out by sendfile(), which hands the pipe references
# to its pages, and a spool reused before the reader has read them must not change what it reads.
mkdir -p pieces && head -c 1000000 big.log | split -b 2048 -a 4 -d - pieces/p
"$bin" -j1 pieces/p* >want.out
for j in 2 4; do
  for round in 1 2 3; do
    "$bin" -j$j pieces/p* | cat >got.out
    expect "small pieces into a pipe -j$j, round $round" "$(cmp want.out got.out 2>&1 && echo same)" same
  done
done
for j in 1 2 3; do
  expect "newline between files -j$j" "$("$bin" -j$j a.log missing.log empty.log a.log 2>/dev/null |
    od -An -c | tr -s ' ')" " a 1 \\n a 1"
done
"$bin" a.log b.log c.log >default.out
expect "default -j: as -j1" "$("$bin" -j1 a.log b.log c.log | cmp - default.out && echo same)" same
same_as_j1 "mixed, --only-errors" --only-errors "${mixed[@]}"
same_as_j1 "mixed, --format json" --format json "${mixed[@]}"
same_as_j1 "mixed, --summary=json" --summary=json "${mixed[@]}"
same_as_j1 "mixed, --summary text" --summary --only-errors "${mixed[@]}"
same_as_j1 "mixed, 7-byte buffer" --buffer-size 7 "${golden[@]}" small.log
same_as_j1 "spool limit 1 (jobs wait)" --spool-limit 1 "${mixed[@]}"
same_as_j1 "spool limit 4096" --spool-limit 4096 --summary=json "${mixed[@]}"
same_as_j1 "one file" big.log.gz
same_as_j1 "only missing files" missing1 missing2 missing3
for j in 1 4; do
  "$bin" -j$j small.log - big.log.gz <big.log >"stdin-$j.out" 2>"stdin-$j.err"
  expect "stdin in the middle -j$j: exit status" "$?" 0
done
expect "stdin in the middle: stdout" "$(cmp stdin-1.out stdin-4.out && echo same)" same
expect "stdin in the middle: stderr" "$(cat stdin-4.err)" ""

# Not only the same as -j1: the golden cases' hand-checked outputs, one after the other, with
# a newline where one ended without it and another follows.
: >want-golden.out
for log in "${golden[@]}"; do
  [ -s want-golden.out ] && [ -n "$(tail -c 1 want-golden.out)" ] && echo >>want-golden.out
  cat "$tests/golden/${log%.log}.out" >>want-golden.out
done
"$bin" -j4 "${golden[@]}" >got-golden.out
expect "golden cases, -j4: their outputs in argument order" \
  "$(cmp want-golden.out got-golden.out && echo same)" same

# A reader that goes away ends the run quietly, as without -j.
"$bin" -j2 big.log big.log.gz small.log big.log 2>epipe.err | head -c 1000 >/dev/null
expect "reader goes away: exit status" "${PIPESTATUS[0]}" 0
expect "reader goes away: stderr" "$(cat epipe.err)" ""

# Memory: the first file is a pipe that dribbles its lines for a second; the second is 96 MiB,
# searched meanwhile. Its output waits in the spool (a temporary file), not in memory, and with
# a small spool limit it waits for its turn: peak RSS stays near that of one file.
"$make_corpus" --size 96M --error-rate 0.01 --seed 13 -o huge.log
head -n 6000 small.log >slow.log
split -n 5 slow.log part.
"$bin" -j1 slow.log huge.log >memory-want.out
mkfifo slow.fifo
for limit in 1073741824 1048576; do
  (for part in part.*; do cat "$part"; sleep 0.2; done) >slow.fifo &
  feeder=$!
  /usr/bin/time -f %M -o rss "$bin" -j2 --spool-limit $limit slow.fifo huge.log >memory.out
  expect "slow first file, huge second, limit $limit: exit status" "$?" 0
  wait $feeder
  rss_kib=$(tail -n 1 rss)
  [ "$mode" = sanitized ] ||
    expect "limit $limit: peak RSS under 48 MiB (got $rss_kib KiB)" "$((rss_kib < 49152))" 1
  expect "limit $limit: stdout" "$(cmp memory-want.out memory.out && echo same)" same
done

echo "jobs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
