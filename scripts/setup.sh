#!/usr/bin/env bash
# Quick start: installs what is missing, builds coinone-annotate in build/, and runs it on a
# bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build
echo "--- build/coinone-annotate samples/mixed.log (annotated lines only) ---"
build/coinone-annotate --only-errors samples/mixed.log
