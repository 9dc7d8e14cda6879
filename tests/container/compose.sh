#!/usr/bin/env bash
# samples/compose.yaml run for real with Debian 12's podman-compose (1.0.3).
#   tests/container/compose.sh IMAGE     (called by tests/container/run.sh)
#
# The file is used as written except for the image names (IMAGE for the sidecar, so that nothing
# is built; the local debootstrapped debian:bookworm-slim for the bot), the published host port
# (a free one instead of 9464) and a project name of its own. Checks: both services come up with
# the sample's hardening (read-only root, uid 10001); the bot's error line is
# annotated in the sidecar's log; /healthz through the published port from the host, and with
# `coinone-annotate --probe` inside the container (what the HEALTHCHECK runs); `podman-compose
# stop` ends the sidecar with status 0 and its checkpoint on the named volume.
#
# Not checked: the healthcheck as podman-compose 1.0.3 hands it to podman. It turns the sample's
# exec form ["CMD", "coinone-annotate", "--probe", URL] into a `/bin/sh -c` command line
# (podman-compose issue 23, fixed in podman-compose 1.5), which cannot run in an image without a
# shell; Docker Compose runs the exec form as written. Nothing here would run it on a schedule
# anyway (podman's healthcheck timers need systemd), so the same command runs with podman exec.
#
# Prints ok:/FAIL: lines and `compose: N passed, M failed`; exit status 0 only when nothing failed.
set -u
cd "$(dirname "$0")/../.."
image=${1:?usage: compose.sh IMAGE}
base=docker.io/library/debian:bookworm-slim
project=coinone-compose-$$
sidecar=${project}_coinone-annotate_1
work=$(mktemp -d)

label="compose"
source tests/container/pod_checks.sh
http_status() {  # http_status PORT PATH, with bash's /dev/tcp (no curl needed)
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" "$2" >&3
    head -n 1 <&3' _ "$1" "$2" 2>/dev/null | tr -d '\r' | awk '{ print $2 }'
}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

sed -e "s#image: coinone-annotate:0.1.0#image: $image#" \
    -e "s#image: debian:bookworm-slim#image: $base#" \
    -e "s#127.0.0.1:9464:9464#127.0.0.1:$port:9464#" \
    -e "s#context: \.\.#context: $PWD#" \
    samples/compose.yaml > "$work/compose.yaml"
compose=(podman-compose -f "$work/compose.yaml" -p "$project")
cleanup() {
  timeout 60 "${compose[@]}" down -v > /dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

if timeout 120 "${compose[@]}" up -d > "$work/up.log" 2>&1; then
  pass "podman-compose up -d"
else
  grep -v 'unable to get systemd connection' "$work/up.log" | tail -20
  fail "podman-compose up -d"
  finish
fi
expect "the sidecar's root is read-only, uid 10001" \
  "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}' "$sidecar")" "true 10001:10001"

note103=' [coinone 103 Order / Balance: Lack of balance -> check-funds]'
annotated_103() { podman logs "$sidecar" 2>/dev/null | grep -qF "$note103"; }
if wait_until 20 annotated_103; then
  pass "the bot's error line annotated in the sidecar's log"
else
  fail "the bot's error line annotated in the sidecar's log"; podman logs "$sidecar" 2>&1 | tail -5
fi
healthz_ok() { [ "$(http_status "$port" /healthz)" = 200 ]; }
if wait_until 10 healthz_ok; then
  pass "GET /healthz through the published port 127.0.0.1:$port: 200"
else
  fail "GET /healthz through the published port 127.0.0.1:$port: 200"
fi
podman exec "$sidecar" coinone-annotate --probe http://127.0.0.1:9464/healthz > "$work/probe.out" 2>&1
expect "the HEALTHCHECK's command (podman exec): exit 0" "$?:$(cat "$work/probe.out")" "0:"

timeout 60 "${compose[@]}" stop > /dev/null 2>&1
expect "podman-compose stop: the sidecar exits 0" "$(podman inspect --format '{{.State.ExitCode}}' "$sidecar")" 0
state=$(podman volume inspect --format '{{.Mountpoint}}' "${project}_annotate-state")/bot.state
if [ -s "$state" ]; then pass "the checkpoint is saved on the named volume"; else fail "the checkpoint is saved on the named volume"; fi
finish
