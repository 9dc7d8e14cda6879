#!/usr/bin/env bash
# The alert rules: `promtool check rules`, and `promtool test rules` on their unit tests
# (tests/prometheus/alerts_test.yaml).
# Usage: promtool.sh SOURCE_DIR. Without promtool (Debian package prometheus) the test is skipped
# (status 77), except under CI=true, where it fails: CI installs it (scripts/install-deps.sh).
set -u
src=$1
if ! command -v promtool > /dev/null; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL: promtool is missing (scripts/install-deps.sh installs the package prometheus)"
    exit 1
  fi
  echo "skip: promtool is missing (Debian package prometheus; scripts/install-deps.sh)"
  exit 77
fi
status=0
promtool check rules "$src/samples/prometheus/alerts.yaml" || status=1
promtool test rules "$src/tests/prometheus/alerts_test.yaml" || status=1
exit "$status"
