#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each one for SECONDS.
#
#   tests/fuzz/run.sh SECONDS [TARGET...]      (targets: pipeline codes pattern decompress; default all)
#
# Environment:
#   FUZZ_BUILD_DIR   build directory (default: build-fuzz at the top of the tree)
#   FUZZ_CXX, FUZZ_CC  compilers (default clang++-14, clang-14, else clang++, clang)
#   FUZZ_WORK_DIR    where new corpus entries, crashes and logs go (default: BUILD_DIR/fuzz-work)
#   FUZZ_ARGS        extra libFuzzer flags, e.g. "-jobs=2 -workers=2"
#
# Each target starts from its saved corpus (tests/fuzz/corpus/TARGET, read only) and writes
# what it discovers to FUZZ_WORK_DIR/TARGET/corpus, crashing inputs to FUZZ_WORK_DIR/TARGET/ as
# crash-*, leak-*, timeout-* or oom-*. A target fails when libFuzzer exits non-zero (a failed
# check, a sanitizer report, a leak, a timeout of 10 s on one input, or more than 2 GiB).
# Prints "fuzz: N passed, M failed" and exits 1 when something failed.
#
# To keep what a run found: minimise the new entries into the saved corpus with
#   BUILD_DIR/tests/fuzz/fuzz_TARGET -merge=1 tests/fuzz/corpus/TARGET FUZZ_WORK_DIR/TARGET/corpus
# and copy a crashing input to tests/fuzz/corpus/TARGET/crash-WHAT.bin as a regression test.
set -u

usage() { echo "usage: $0 SECONDS [pipeline|codes|pattern|decompress]..." >&2; exit 2; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || usage
seconds=$1
shift
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(pipeline codes pattern decompress)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
work=${FUZZ_WORK_DIR:-$build/fuzz-work}

pick() {  # pick VAR CANDIDATE... : the first candidate on PATH
  local var=$1
  shift
  [[ -n ${!var:-} ]] && return
  for candidate in "$@"; do
    if command -v "$candidate" > /dev/null; then
      printf -v "$var" '%s' "$candidate"
      return
    fi
  done
  echo "fuzz: no clang found (tried $*)" >&2
  exit 2
}
pick FUZZ_CXX clang++-14 clang++
pick FUZZ_CC clang-14 clang

# Inputs longer than the 4 KiB default reach lines longer than FieldExtractor::kCarry.
declare -A max_len=([pipeline]=8192 [codes]=4096 [pattern]=4096 [decompress]=16384)

echo "fuzz: building in $build with $FUZZ_CXX"
mkdir -p "$build"
CC=$FUZZ_CC CXX=$FUZZ_CXX cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOINONE_FUZZ=ON -DCOINONE_BUILD_TESTS=ON \
  -DCOINONE_BUILD_BENCH=OFF > "$build/fuzz-configure.log" 2>&1 \
  || { cat "$build/fuzz-configure.log" >&2; echo "fuzz: configure failed" >&2; exit 2; }
fuzz_binaries=()
for target in "${targets[@]}"; do fuzz_binaries+=("fuzz_$target"); done
cmake --build "$build" --target "${fuzz_binaries[@]}" || { echo "fuzz: build failed" >&2; exit 2; }

passed=0 failed=0
for target in "${targets[@]}"; do
  binary=$build/tests/fuzz/fuzz_$target
  [[ -x $binary ]] || { echo "fuzz: no $binary" >&2; failed=$((failed + 1)); continue; }
  mkdir -p "$work/$target/corpus"
  dict=()
  [[ -f $here/$target.dict ]] && dict=("-dict=$here/$target.dict")
  log=$work/$target/fuzz.log
  echo "fuzz: $target for ${seconds}s (log: $log)"
  # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="${max_len[$target]:-4096}" -print_final_stats=1 \
    -artifact_prefix="$work/$target/" "${dict[@]}" ${FUZZ_ARGS:-} \
    "$work/$target/corpus" "$here/corpus/$target" > "$log" 2>&1
  status=$?
  grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -2
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log"
  if [[ $status -eq 0 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $target (libFuzzer status $status); the end of its log:"
    grep -vE '^#[0-9]+' "$log" | tail -40
    ls "$work/$target"/crash-* "$work/$target"/leak-* "$work/$target"/timeout-* \
      "$work/$target"/oom-* 2> /dev/null
  fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
