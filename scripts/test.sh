#!/usr/bin/env bash
# The whole test suite: a Release build with warnings as errors, then an ASan+UBSan build, each
# running every unit and end-to-end test through CTest (the fuzz corpora replay there too), then
# a short libFuzzer session per target (COINONE_FUZZ_SECONDS, 60 by default; 0 skips it), then
# the container image built from the Dockerfile and run for real with podman
# (tests/container/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --with-container
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOINONE_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOINONE_WARNINGS_AS_ERRORS=ON -DCOINONE_SANITIZE=ON -DCOINONE_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j "$jobs"
ctest --test-dir build-asan --output-on-failure -j "$jobs"

fuzz_seconds=${COINONE_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  bash tests/fuzz/run.sh "$fuzz_seconds"
fi

bash tests/container/run.sh
