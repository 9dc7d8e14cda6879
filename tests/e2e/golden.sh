#!/usr/bin/env bash
# Golden end-to-end tests: runs the binary on every tests/golden case and every sample, at
# several line-buffer capacities and with the prefilter off, and compares byte for byte.
#   golden.sh BINARY GOLDEN_DIR SAMPLES_DIR
set -u
bin=$1 golden=$2 samples=$3
failures=0 runs=0
# Every case again at tiny capacities (every line becomes a "long" line streamed in pieces),
# at a page, and with every line given to the full matcher.
variants=("" "--buffer-size=1" "--buffer-size=7" "--buffer-size=4096" "--no-prefilter")

check() {  # check NAME EXPECTED_FILE INPUT_FILE ARGS...
  local name=$1 expected=$2 input=$3
  shift 3
  local actual
  actual=$(mktemp)
  "$bin" "$@" < "$input" > "$actual" 2>/dev/null
  runs=$((runs + 1))
  if ! cmp -s "$actual" "$expected"; then
    failures=$((failures + 1))
    echo "FAIL: $name (args: $*)"
    diff -u --label expected --label actual <(cat -A "$expected") <(cat -A "$actual") | head -20
  fi
  rm -f "$actual"
}

for input in "$golden"/*.in; do
  case=${input%.in}
  mapfile -t args < "$case.args"
  for variant in "${variants[@]}"; do
    check "$(basename "$case")" "$case.out" "$input" ${variant:+"$variant"} "${args[@]}"
  done
done

# Samples: NAME.expected (defaults), NAME.json.expected, NAME.only-errors.expected, NAME.ko.expected.
for expected in "$samples"/*.expected; do
  base=$(basename "$expected" .expected)
  name=${base%%.*}
  args=()
  case $base in
    *.json) args=(--format json) ;;
    *.only-errors) args=(--only-errors) ;;
    *.ko) args=(--lang ko) ;;
  esac
  for variant in "${variants[@]}"; do
    check "samples/$base" "$expected" "$samples/$name.log" ${variant:+"$variant"} "${args[@]}"
  done
  # The same through a path argument rather than stdin.
  check "samples/$base (path)" "$expected" /dev/null "${args[@]}" "$samples/$name.log"
done

echo "golden: $((runs - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
