#!/usr/bin/env bash
# A real Prometheus server scrapes a running coinone-annotate, and its HTTP API must show the
# expected values.
#   tests/container/prometheus_scrape.sh HOST:PORT QUERY VALUE [QUERY VALUE ...]
# HOST:PORT is the metrics address of a running coinone-annotate (the sidecar container of
# tests/container/run.sh on the host network, or the plain binary in the CTest test
# prometheus.scrape). Each QUERY is PromQL for /api/v1/query and must give exactly one sample
# whose value is VALUE (compared as numbers), for example
#   'coinone_annotate_errors_total{code="103"}' 1
# Starts Debian's `prometheus` (package prometheus, scripts/install-deps.sh) with a configuration
# and storage of its own in a temporary directory, a 1 s scrape interval and its web server on a
# free loopback port, polls the queries until all agree or 30 s have passed, then stops it.
# Prints one ok:/FAIL: line per query (and the time until they agreed); exit status 0 when all
# agreed, 1 when not, 2 on a usage error or when prometheus is missing or does not start.
set -u
[ $# -ge 3 ] && [ $((($# - 1) % 2)) -eq 0 ] || {
  echo "usage: $0 HOST:PORT QUERY VALUE [QUERY VALUE ...]" >&2
  exit 2
}
target=$1
shift
command -v prometheus > /dev/null || {
  echo "prometheus_scrape: prometheus is missing (Debian package prometheus)" >&2
  exit 2
}
command -v python3 > /dev/null || { echo "prometheus_scrape: python3 is missing" >&2; exit 2; }

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2> /dev/null
    # Prometheus flushes its head block on SIGTERM; a temporary store needs no care beyond 5 s.
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

web_port=$(python3 -c \
  'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: coinone-annotate
    static_configs:
      - targets: ['$target']
CONF
t0=$(date +%s%N)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$web_port" --storage.tsdb.retention.time=1h \
  --log.level=warn > "$work/prometheus.log" 2>&1 &
pid=$!

# Polls every 0.2 s until every query gives its value, or 30 s have passed; then one line per
# query. One python3 for the whole loop: a python3 start-up per query took 0.1 to 0.3 s here.
python3 - "$web_port" "$pid" 30 "$@" <<'PY'
import json, os, sys, time, urllib.parse, urllib.request

port, pid, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
pairs = list(zip(sys.argv[4::2], sys.argv[5::2]))

def value_of(query):
    """The value of the single sample `query` gives now, or a note saying what came instead."""
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": query})
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body = json.load(response)
    except Exception as e:  # not up yet, or an error status
        return f"(no answer: {e})"
    result = body.get("data", {}).get("result", [])
    if body.get("status") != "success":
        return f"(error: {body.get('error')})"
    if len(result) != 1:
        return f"({len(result)} samples: {json.dumps(result)[:300]})"
    return result[0]["value"][1]

def agrees(got, wanted):
    try:
        return float(got) == float(wanted)
    except ValueError:
        return False

start = time.monotonic()
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        print("FAIL: prometheus exited")
        sys.exit(2)
    got = [value_of(query) for query, _ in pairs]
    done = all(agrees(g, w) for g, (_, w) in zip(got, pairs))
    if done or time.monotonic() - start > timeout:
        break
    time.sleep(0.2)
for g, (query, wanted) in zip(got, pairs):
    if agrees(g, wanted):
        print(f"ok:   prometheus: {query} = {wanted}")
    else:
        print(f"FAIL: prometheus: {query} = {wanted}, got {g}")
if not done:
    print(f"  up: {value_of('up')}")
sys.exit(0 if done else 1)
PY
status=$?
if [ "$status" = 0 ]; then
  echo "prometheus: scraped $target, all values in $((($(date +%s%N) - t0) / 1000000)) ms"
else
  tail -5 "$work/prometheus.log"
fi
[ "$status" -le 1 ] || status=2
exit "$status"
