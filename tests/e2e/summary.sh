#!/usr/bin/env bash
# --summary end to end: the hand-written golden report, and the JSON report's counts against
# what the corpus generator says it wrote.
#   summary.sh BINARY MAKE_CORPUS GOLDEN_SUMMARY_DIR
set -u
bin=$(realpath "$1") make_corpus=$(realpath "$2") golden=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

for log in "$golden"/*.log; do
  name=$(basename "$log" .log)
  # The report names the file as given on the command line: run from its directory. The logs
  # are Python's, in Seoul's local time without a zone: TZ says so, whatever the machine's zone.
  (cd "$golden" &&
    TZ=Asia/Seoul "$bin" --summary --only-errors "$name.log" 2>"$work/$name.report" >/dev/null)
  if cmp -s "$work/$name.report" "$golden/$name.expected"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: golden summary $name"
    diff -u "$golden/$name.expected" "$work/$name.report" | head -30
  fi
done

# The generator counts the error lines it writes per code; every one of them must be annotated
# once, and nothing else (success responses, other exchanges' errors) may be counted.
"$make_corpus" --size 8M --seed 7 --counts "$work/counts" -o "$work/corpus.log"
"$bin" --summary=json --only-errors "$work/corpus.log" 2>"$work/summary.json" >"$work/annotated"
if python3 - "$work/counts" "$work/summary.json" "$work/annotated" <<'PY'
import json, sys
want = {}
for line in open(sys.argv[1]):
    code, count = line.split()
    want[code] = int(count)
report = json.loads(open(sys.argv[2]).read())
annotated = sum(1 for _ in open(sys.argv[3], "rb"))
problems = []
if report["by_code"] != want:
    problems.append(f"by_code differs: {sorted(set(report['by_code'].items()) ^ set(want.items()))[:6]}")
if report["annotated"] != sum(want.values()) or annotated != sum(want.values()):
    problems.append(f"annotated {report['annotated']} (printed {annotated}), want {sum(want.values())}")
if report["lines"] != sum(f["lines"] for f in report["files"]):
    problems.append("lines do not add up over files")
for problem in problems:
    print("FAIL:", problem)
print(f"summary json: {sum(want.values())} error lines, {len(want)} codes checked")
sys.exit(1 if problems else 0)
PY
then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
