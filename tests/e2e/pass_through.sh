#!/usr/bin/env bash
# Pass-through by splice: when the input is a regular file and the output a pipe, spans without
# errors move from the file to the pipe by splice(2) instead of being copied. The output must be
# the same, byte for byte, whichever way the bytes go: a file given by name, standard input
# redirected from the file (also from the middle of it), a pipe in (no splice), a file out (no
# splice), several files in one run (descriptor numbers reused). With the annotations taken out,
# the output must be the input itself; under strace, splice must really have been used.
#   pass_through.sh BINARY MAKE_CORPUS
set -euo pipefail
bin=$(realpath "$1") make_corpus=$(realpath "$2")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=expect.sh
source "$here/expect.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$make_corpus" --size 6M --seed 5 -o "$work/one.log"
"$make_corpus" --size 5M --seed 6 --mix second -o "$work/second.log"
"$make_corpus" --size 3M --seed 7 --mix short --error-rate 0.5 -o "$work/short.log"

# Lines with ' [coinone ' annotations lose them (every annotation runs to the end of its line).
strip() { sed -E 's/ \[coinone [^]]*\]( \[coinone [^]]*\])*(\r?)$/\2/'; }

for name in one second short; do
  f=$work/$name.log
  cat "$f" | "$bin" >"$work/want"  # a pipe in: read and written from memory
  expect "$name: lines annotated" "$(grep -c -F '[coinone ' "$work/want" | awk '$1 > 0 {print "yes"}')" yes
  expect "$name: the rest is the input" "$(strip <"$work/want" | cmp - "$f" && echo same)" same
  expect "$name: file to pipe" "$("$bin" "$f" | cat | cmp - "$work/want" && echo same)" same
  expect "$name: stdin from the file to pipe" "$("$bin" <"$f" | cat | cmp - "$work/want" && echo same)" same
  "$bin" "$f" >"$work/out"
  expect "$name: file to file" "$(cmp "$work/out" "$work/want" && echo same)" same
  expect "$name: three inputs" "$("$bin" "$f" - "$f" <"$f" | cat | cmp - <(cat "$work/want" "$work/want" "$work/want") && echo same)" same
  # Standard input left at byte 1000 of the file by another program.
  expect "$name: stdin from the middle of the file" \
    "$({ dd bs=1000 count=1 of=/dev/null status=none; "$bin"; } <"$f" | cat | cmp - <(tail -c +1001 "$f" | "$bin") && echo same)" same
done

# A last line of 100 KB without a newline, after 4 MB of lines: it is moved to the front of the
# read buffer by the read that finds the end of the file, and must not be spliced from where
# its bytes were before.
{ seq -f 'line %g ok' 1 300000; head -c 100000 /dev/zero | tr '\0' y; } >"$work/last.log"
expect "a long last line without a newline" "$("$bin" "$work/last.log" | cat | cmp - "$work/last.log" && echo same)" same

if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
  strace -f -e trace=splice -o "$work/trace" "$bin" "$work/one.log" | cat >/dev/null
  expect "splice used from a file to a pipe" "$(grep -c 'splice(' "$work/trace" | awk '$1 > 0 {print "yes"}')" yes
  strace -f -e trace=splice -o "$work/trace" "$bin" "$work/one.log" >"$work/out"
  expect "no splice into a file" "$(grep -c 'splice(' "$work/trace" || true)" 0
else
  echo "pass_through: no strace that can trace here, the splice checks are skipped"
fi

echo "pass_through: $passed passed, $failed failed"
((failed == 0))
