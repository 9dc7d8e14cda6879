#!/usr/bin/env bash
# A 256 MiB line with no newline before its end and an error field at its very end: it must pass
# through byte for byte, be annotated, and keep the peak RSS under 64 MiB.
#   long_line.sh BINARY [MiB] [sanitized]
# Under ASan the shadow memory makes RSS meaningless, so only the bytes are checked then.
set -euo pipefail
bin=$1 mib=${2:-256} build=${3:-plain}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
field=' {"result":"error","error_code":"103"}'
note=' [coinone 103 Order / Balance: Lack of balance -> check-funds]'
size=$((mib * 1024 * 1024))

{ head -c "$size" /dev/zero | tr '\0' x; printf '%s' "$field"; } |
  /usr/bin/time -f '%M' -o "$work/rss" "$bin" | tee >(tail -c 200 > "$work/tail") | wc -c > "$work/count"
sleep 0.2  # let the process substitution finish writing
rss_kib=$(tail -n 1 "$work/rss")
count=$(cat "$work/count")
want=$((size + ${#field} + ${#note}))
echo "long line: ${mib} MiB, output $count bytes (want $want), peak RSS $((rss_kib / 1024)) MiB"
[ "$count" -eq "$want" ] || { echo "FAIL: byte count"; exit 1; }
[ "$(tail -c ${#note} "$work/tail")" = "$note" ] || { echo "FAIL: annotation missing"; exit 1; }
if [ "$build" != sanitized ] && [ "$rss_kib" -ge $((64 * 1024)) ]; then
  echo "FAIL: peak RSS over 64 MiB"
  exit 1
fi
echo "long line: 1 passed, 0 failed"
