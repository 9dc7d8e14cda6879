#!/usr/bin/env bash
# The report's times (#13): first and last seen by timestamp rather than by file order, --tz and
# the machine's zone for timestamps without one, offsets on every time printed, and --sort=time.
# Every run fixes TZ, so the results do not depend on the machine's zone.
#   report_times.sh BINARY
set -u
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
skipped=0
cd "$work" || exit 2

# json_get FILE EXPR: a value of the JSON report in FILE, EXPR being Python over `r`.
json_get() {
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

# One incident, 09:00:01 in Seoul, logged by a JSON logger in UTC and by Python's logging in
# local time (KST, no zone): the two lines must land at the same instant.
printf '{"ts":"2026-11-28T00:00:01Z","level":"error","body":{"result":"error","error_code":"131"}}\n' \
  >json.log
printf '2026-11-28 09:00:01,250 ERROR place_order {"result":"error","error_code":"131"}\n' >py.log
same='["2026-11-28T09:00:01+09:00", "2026-11-28T09:00:01+09:00"]'
TZ=Asia/Seoul "$bin" --summary=json --only-errors json.log py.log 2>incident.json >/dev/null
expect "incident, TZ=Asia/Seoul: one instant" \
  "$(json_get incident.json '[r["codes"][0]["first"]["time"], r["codes"][0]["last"]["time"]]')" \
  "['2026-11-28T09:00:01+09:00', '2026-11-28T09:00:01+09:00']"
expect "incident, TZ=Asia/Seoul: the zone is named" "$(json_get incident.json 'r["time_zone"]')" \
  "Asia/Seoul"
expect "incident, TZ=Asia/Seoul: one timeline bucket" \
  "$(json_get incident.json '[r["timeline"]["start"], r["timeline"]["lines"]]')" \
  "['2026-11-28T09:00:01+09:00', [2]]"
TZ=UTC "$bin" --tz Asia/Seoul --summary=json --only-errors json.log py.log 2>incident.json >/dev/null
expect "incident, --tz Asia/Seoul over TZ=UTC: one instant" \
  "$(json_get incident.json '[r["codes"][0]["first"]["time"], r["codes"][0]["last"]["time"]]')" \
  "['2026-11-28T09:00:01+09:00', '2026-11-28T09:00:01+09:00']"
# Read as UTC, the Python line is nine hours later; both are printed with +00:00, not "Z".
TZ=Asia/Seoul "$bin" --tz UTC --summary=json --only-errors json.log py.log 2>incident.json >/dev/null
expect "incident, --tz UTC: nine hours apart" \
  "$(json_get incident.json '[(c["file"], c["time"]) for c in (r["codes"][0]["first"], r["codes"][0]["last"])]')" \
  "[('json.log', '2026-11-28T00:00:01+00:00'), ('py.log', '2026-11-28T09:00:01+00:00')]"

# logrotate's names, as the shell lists them: bot.log (newest) before bot.log.1.
printf '2026-11-28 10:00:00,000 ERROR new {"result":"error","error_code":"103"}\n' >bot.log
printf '2026-11-28 08:00:00,000 ERROR old {"result":"error","error_code":"103"}\n' >bot.log.1
TZ=Asia/Seoul "$bin" --summary=json --only-errors bot.log bot.log.1 2>rotated.json >/dev/null
expect "rotated: first and last seen by time" \
  "$(json_get rotated.json '[(c["file"], c["time"]) for c in (r["codes"][0]["first"], r["codes"][0]["last"])]')" \
  "[('bot.log.1', '2026-11-28T08:00:00+09:00'), ('bot.log', '2026-11-28T10:00:00+09:00')]"
expect "rotated: file rows by time" \
  "$(json_get rotated.json '[(f["name"], f["first"]) for f in r["files"]]')" \
  "[('bot.log.1', '2026-11-28T08:00:00+09:00'), ('bot.log', '2026-11-28T10:00:00+09:00')]"
TZ=Asia/Seoul "$bin" --summary=text --only-errors bot.log bot.log.1 2>rotated.txt >/dev/null
expect "rotated, text: first and last seen with offsets" "$(grep '^   103  ' rotated.txt)" \
  "   103  bot.log.1:1 (2026-11-28 08:00:00+09:00)  bot.log:1 (2026-11-28 10:00:00+09:00)"
expect "rotated, text: timeline ends with offsets" "$(tail -n 1 rotated.txt)" \
  "                        2026-11-28 08:00:00+09:00 .. 2026-11-28 10:05:00+09:00"
expect "rotated, text: no time ends in Z" "$(grep -c '[0-9]Z' rotated.txt)" 0

# Zone names: an unknown one is an argument error; an unknown TZ is a warning, read as UTC.
out=$("$bin" --tz Nope/Zone json.log 2>&1 >/dev/null)
expect "unknown --tz: status" "$?" 2
expect "unknown --tz: message" "$out" \
  "coinone-annotate: --tz: Nope/Zone: unknown time zone (not in /usr/share/zoneinfo)"
TZ=Nope/Zone "$bin" --summary=json --only-errors py.log 2>unknown_tz.out >/dev/null
expect "unknown TZ: status" "$?" 0
expect "unknown TZ: warning" "$(head -n 1 unknown_tz.out)" \
  "coinone-annotate: TZ=Nope/Zone: unknown time zone (not in /usr/share/zoneinfo); times without a zone are read as UTC (--tz sets the zone)"
tail -n 1 unknown_tz.out >unknown_tz.json
expect "unknown TZ: read as UTC" "$(json_get unknown_tz.json 'r["codes"][0]["first"]["time"]')" \
  "2026-11-28T09:00:01+00:00"

# A machine without the time zone database (an image without tzdata): an empty directory
# mounted over it, in a mount namespace of our own.
no_tzdata() {  # no_tzdata ARGS...: runs the binary with an empty /usr/share/zoneinfo
  unshare "$how" sh -c 'mount -t tmpfs -o size=1m tmpfs /usr/share/zoneinfo || exit 97
    shift; exec "$@"' sh "$@"
}
how=""
for flags in "-m" "-Urm"; do
  if unshare $flags sh -c "mount -t tmpfs -o size=1m tmpfs /usr/share/zoneinfo" 2>/dev/null; then
    how=$flags
    break
  fi
done
if [ -z "$how" ]; then
  echo "SKIP: no tzdata: unshare or mount of a tmpfs is not permitted here"
  skipped=$((skipped + 1))
else
  out=$(no_tzdata x "$bin" --tz Asia/Seoul py.log 2>&1 >/dev/null)
  expect "no tzdata, --tz Asia/Seoul: status" "$?" 2
  expect "no tzdata, --tz Asia/Seoul: message" "$out" \
    "coinone-annotate: --tz: Asia/Seoul: no time zone database in /usr/share/zoneinfo (Debian package tzdata)"
  no_tzdata x env TZ=Asia/Seoul "$bin" --tz UTC --summary=json --only-errors py.log \
    2>no_tzdata.json >/dev/null
  expect "no tzdata, --tz UTC: status" "$?" 0
  expect "no tzdata, --tz UTC: built in" "$(json_get no_tzdata.json 'r["codes"][0]["first"]["time"]')" \
    "2026-11-28T09:00:01+00:00"
fi

# --sort=time: oldest first by the first timestamp, read through gzip and zstd; a file without
# timestamps by its modification time (07:00 in Seoul); stdin keeps its place after the files.
printf 'no timestamp here {"result":"error","error_code":"104"}\n' >notime.log
touch -d '2026-11-27T22:00:00Z' notime.log
printf 'starting\n2026-11-28 06:00:00,000 ERROR\n' | gzip >bot.log.2.gz
printf '2026-11-28 04:00:00,000 ERROR\n' | zstd -q >bot.log.3.zst
out=$(printf 'from stdin\n' |
  TZ=Asia/Seoul "$bin" --sort=time bot.log - bot.log.1 notime.log bot.log.2.gz bot.log.3.zst |
  cut -c 1-30)
expect "sort=time, TZ=Asia/Seoul: oldest first" "$out" "2026-11-28 04:00:00,000 ERROR
starting
2026-11-28 06:00:00,000 ERROR
no timestamp here {\"result\":\"e
2026-11-28 08:00:00,000 ERROR 
2026-11-28 10:00:00,000 ERROR 
from stdin"
# Read as UTC, the logs start nine hours later: the file placed by its mtime goes first.
out=$(TZ=Asia/Seoul "$bin" --tz UTC --sort=time bot.log bot.log.1 notime.log | cut -c 1-19)
expect "sort=time, --tz UTC: mtime first" "$out" "no timestamp here {
2026-11-28 08:00:00
2026-11-28 10:00:00"
out=$("$bin" --sort=time --follow bot.log 2>&1)
expect "sort=time with --follow: status" "$?" 2
expect "sort=time with --follow: message" "$out" \
  "coinone-annotate: --sort=time orders files to read; it does not apply to --follow"

echo "report_times: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
