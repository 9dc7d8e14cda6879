#!/usr/bin/env bash
# A real Prometheus server scrapes the plain binary (no container): the same script as the
# container test's phase e (tests/container/prometheus_scrape.sh), against
#   coinone-annotate --follow LOG --metrics 127.0.0.1:PORT
# after a few known lines were appended to LOG. Usage: prometheus_scrape.sh BINARY
# Without Debian's prometheus the test is skipped (status 77), except under CI=true, where it
# fails: CI installs it (scripts/install-deps.sh).
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v prometheus > /dev/null; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL: prometheus is missing (scripts/install-deps.sh installs it)"
    exit 1
  fi
  echo "skip: prometheus is missing (Debian package prometheus; scripts/install-deps.sh)"
  exit 77
fi

work=$(mktemp -d)
pid=
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2> /dev/null; wait "$pid" 2> /dev/null; }
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(free_port)
: > "$work/bot.log"
"$bin" --follow "$work/bot.log" --metrics "127.0.0.1:$port" > "$work/out" 2> "$work/err" &
pid=$!
healthz() {  # /healthz answers 200 (bash's /dev/tcp: no curl needed)
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" &&
    printf "GET /healthz HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3' _ "$port" 2> /dev/null |
    grep -q ' 200 '
}
for _ in $(seq 50); do healthz && break; sleep 0.1; done
healthz || {
  echo "FAIL: $bin --metrics 127.0.0.1:$port: no /healthz within 5 s"
  cat "$work/err"
  exit 1
}

# Five lines: code 103 (check-funds) twice, 12 (fix-keys) once, 9999 (not in the table) once,
# one plain line.
cat >> "$work/bot.log" <<'LOG'
{"result":"error","error_code":"103","error_msg":"Lack of balance"}
{"result":"error","error_code":"12","error_msg":"Invalid access token"}
plain line without a code
{"result":"error","error_code":"9999"}
time=2026-11-20T09:15:06Z level=warn svc=router msg="order failed" error_code=103
LOG

bash "$here/../container/prometheus_scrape.sh" "127.0.0.1:$port" \
  'coinone_annotate_errors_total{code="103",category="Order / Balance",advice="check-funds"}' 2 \
  'coinone_annotate_errors_total{code="12",advice="fix-keys"}' 1 \
  'sum(coinone_annotate_errors_total)' 3 \
  'coinone_annotate_errors_by_category_total{category="Order / Balance"}' 2 \
  'coinone_annotate_unknown_code_total{code="9999"}' 1 \
  'coinone_annotate_lines_read_total' 5 \
  'coinone_annotate_healthy' 1 \
  'up{job="coinone-annotate"}' 1
status=$?
[ "$status" = 0 ] || { echo "--- annotated output:"; cat "$work/out"; }
exit "$status"
