#!/usr/bin/env bash
# Fails when a C++ source or header is not formatted as .clang-format says, listing the files
# and the first lines clang-format would change. Usage: check_format.sh REPO_ROOT [CLANG_FORMAT]
set -euo pipefail
root=$1
clang_format=${2:-clang-format}
command -v "$clang_format" >/dev/null || { echo "check_format: $clang_format not found" >&2; exit 1; }
cd "$root"
bad=0
count=0
while IFS= read -r -d '' file; do
  count=$((count + 1))
  if ! "$clang_format" --style=file "$file" | cmp -s - "$file"; then
    echo "not formatted: $file" >&2
    "$clang_format" --style=file "$file" | diff -u "$file" - | sed -n '3,12p' >&2 || true
    bad=$((bad + 1))
  fi
done < <(find src include tests -type f \( -name '*.cpp' -o -name '*.h' \) -print0 | sort -z)
echo "check_format: $count files, $bad not formatted"
[ "$count" -gt 0 ] && [ "$bad" -eq 0 ]
