#!/usr/bin/env bash
# The container test: builds the repository's Dockerfile and runs the image for real, without a
# Docker engine (Debian's podman, buildah, runc and debootstrap; see ../shared/container-testing.md).
#   tests/container/run.sh            (as root, on Debian 12, after scripts/install-deps.sh --with-container)
#
#   a. filter mode: stdin and a file argument, read-only root, non-root user, byte for byte
#      against samples/*.expected; the image's user, entrypoint and port.
#   b. sidecar: --follow a file on a volume, lines appended from the host show up in `podman logs`.
#   c. `podman stop` (SIGTERM to PID 1): exit code 0, in under 2 s, state file saved.
#   d. restart on the same state file: only the lines not yet seen (also those written while it
#      was down), then the same across a rotation of the log file.
#   e. /metrics and /healthz over HTTP; a real Prometheus server scrapes the sidecar.
#   f. samples/k8s-sidecar.yaml with `podman kube play` (tests/container/kube_play.sh).
#   g. samples/compose.yaml with podman-compose (tests/container/compose.sh).
# Also: the image's size (at most 20 MB) and that it has no shell.
# b-e need the sidecar options; while the binary does not know --follow they are skipped with a
# message, and --metrics likewise for e.
#
# Environment: COINONE_IMAGE (default localhost/coinone-annotate:test) names the image;
# COINONE_SKIP_BUILD=1 tests an image already built under that name.
# Prints `container: N passed, M failed`; exit status 0 only when nothing failed.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
image=${COINONE_IMAGE:-localhost/coinone-annotate:test}
base=docker.io/library/debian:bookworm-slim
# runc, not crun (podman's default): crun refuses this machine's hybrid cgroups. Explicit ulimits:
# the defaults would raise RLIMIT_NOFILE above the host's, which is not permitted here.
podman=(podman --runtime /usr/sbin/runc)
run=("${podman[@]}" run --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --log-driver k8s-file)
# Read-only root with no tmpfs added (podman would mount /tmp, /var/tmp and /run otherwise), as
# strict as `docker run --read-only`, and the image's non-root user spelled out.
locked=(--read-only --read-only-tmpfs=false --user 10001:10001)

passed=0 failed=0 skipped=0
work=$(mktemp -d)
containers=()
cleanup() {
  local c
  for c in "${containers[@]}"; do "${podman[@]}" rm -f -t 0 "$c" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { passed=$((passed + 1)); echo "ok:   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; }
skip() { skipped=$((skipped + 1)); echo "skip: $1"; }
expect() {  # expect NAME ACTUAL WANTED
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1"; printf '  want: %q\n  got:  %q\n' "$3" "$2"; fi
}
expect_file() {  # expect_file NAME ACTUAL_FILE WANTED_FILE
  if cmp -s "$2" "$3"; then pass "$1"; else
    fail "$1"; diff -u --label wanted --label actual <(cat -A "$3") <(cat -A "$2") | head -20
  fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
phase_start=0
phase() { phase_start=$(now_ms); echo "--- $1"; }
phase_end() { echo "--- $1 took $(( ($(now_ms) - phase_start) / 1000 )) s"; }
finish() {
  [ "$skipped" -eq 0 ] || echo "($skipped skipped: see skip: above)"
  echo "container: $passed passed, $failed failed"
  exit $((failed > 0))
}

# wait_until TIMEOUT_S COMMAND...: polls every 0.1 s; status 0 as soon as COMMAND succeeds.
wait_until() {
  local deadline=$(($(now_ms) + $1 * 1000))
  shift
  while ! "$@"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}
# The container's standard output so far (podman logs gives stderr on its stderr).
logs_of() { "${podman[@]}" logs "$1" 2>/dev/null; }
logs_equal() { [ "$(logs_of "$1")" == "$2" ]; }
# What the image's filter mode makes of some lines: the oracle for the sidecar's output, since
# step a checks filter mode against hand-checked files.
annotate() { "${run[@]}" --rm -i --network=none "${locked[@]}" "$image" <<<"$1"; }
healthz_ok() { [ "$(http_status "$port" /healthz)" = 200 ]; }
state_of() { "${podman[@]}" inspect --format '{{.State.Status}}' "$1" 2>/dev/null; }

# http_get PORT PATH: the response (status line, headers, body) with bash's /dev/tcp, since
# neither the image nor every CI machine has curl.
http_get() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n" "$2" >&3
    cat <&3' _ "$1" "$2" 2>/dev/null
}
http_status() { http_get "$1" "$2" | head -n 1 | tr -d '\r' | awk '{ print $2 }'; }
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null || echo $((20000 + RANDOM % 20000))
}

for tool in podman buildah /usr/sbin/runc debootstrap catatonit podman-compose; do
  command -v "$tool" >/dev/null || { echo "container: $tool is missing (scripts/install-deps.sh --with-container)"; exit 2; }
done

# --- the base image: a local debian:bookworm-slim, since no registry can be reached -------------
phase "base image $base"
if "${podman[@]}" image exists "$base"; then
  echo "cached"
else
  rootfs=$(mktemp -d)
  if ! debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian > "$work/debootstrap.log" 2>&1; then
    tail -20 "$work/debootstrap.log"; rm -rf "$rootfs"; fail "debootstrap"; finish
  fi
  cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/" 2>/dev/null || true
  tar -C "$rootfs" -c . | "${podman[@]}" import - "$base" >/dev/null
  rm -rf "$rootfs"
fi
phase_end "base image"
bash tests/container/deb_install.sh "$base" && pass ".deb: dpkg -i in a clean container (deb_install.sh)" || fail ".deb: dpkg -i in a clean container (deb_install.sh)"

# --- build -----------------------------------------------------------------------------------
# --isolation chroot: the sandbox refuses the OCI runtime's cgroup set-up during builds.
# --layers: cache each step, so a re-run after a source change skips apt-get.
if [ "${COINONE_SKIP_BUILD:-0}" != 1 ]; then
  phase "build $image (compiles and runs the unit and end-to-end tests inside)"
  if buildah bud --isolation chroot --network host --pull=never --layers -t "$image" . \
      > "$work/build.log" 2>&1; then
    pass "image builds"
  else
    tail -60 "$work/build.log"; fail "image builds"; finish
  fi
  awk '/^runtime packages:/ { on = 1; printf "%s", $0; next } /^(STEP|-->|COMMIT)/ { on = 0 }
       on { printf " %s", $0 } END { print "" }' "$work/build.log"
  grep -E '^(100% tests passed|[0-9]+% tests passed)' "$work/build.log" || true
  phase_end "build"
fi
"${podman[@]}" image exists "$image" || { fail "image $image exists"; finish; }
size=$("${podman[@]}" image inspect --format '{{.Size}}' "$image")
# The image: at most 20 MB (10^6 bytes), uncompressed, as `podman images` counts it.
if [ "$size" -le 20000000 ]; then pass "image size $size bytes (<= 20 MB)"; else fail "image size $size bytes (> 20 MB)"; fi

# --- a. filter mode ------------------------------------------------------------------------------
phase "a. filter mode"
expect "image config: user" "$("${podman[@]}" image inspect --format '{{.Config.User}}' "$image")" "10001:10001"
expect "image config: entrypoint" "$("${podman[@]}" image inspect --format '{{json .Config.Entrypoint}}' "$image")" '["coinone-annotate"]'
expect "image config: port 9464" \
  "$("${podman[@]}" image inspect --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}' "$image" | tr -d ' ')" "9464/tcp"
# An empty base: no shell, no package manager.
if "${run[@]}" --rm --network=none --entrypoint /bin/sh "$image" -c true > /dev/null 2>&1; then
  fail "no shell in the image"
else
  pass "no shell in the image"
fi
# No arguments: the default CMD filters stdin.
"${run[@]}" --rm -i --network=none "${locked[@]}" "$image" < samples/mixed.log > "$work/mixed.out" 2> "$work/mixed.err"
expect "stdin, no arguments: exit status" "$?" 0
expect_file "stdin, no arguments: samples/mixed.expected byte for byte" "$work/mixed.out" samples/mixed.expected
expect "stdin: nothing on stderr" "$(cat "$work/mixed.err")" ""
# Options, and a file argument relative to the working directory on a read-only volume.
"${run[@]}" --rm -i --network=none "${locked[@]}" "$image" --format json < samples/jsonl-bot.log > "$work/json.out"
expect_file "stdin, --format json: samples/jsonl-bot.json.expected" "$work/json.out" samples/jsonl-bot.json.expected
"${run[@]}" --rm --network=none "${locked[@]}" -v "$root/samples:/data:ro" "$image" --lang ko python-bot.log \
  > "$work/ko.out"
expect_file "file argument in /data, --lang ko: samples/python-bot.ko.expected" "$work/ko.out" samples/python-bot.ko.expected
# Without -i stdin is empty: no output, status 0, at once.
out=$("${run[@]}" --rm --network=none "${locked[@]}" "$image" 2>&1)
expect "no stdin: exits 0 with no output" "$?:$out" "0:"
"${run[@]}" --rm --network=none "${locked[@]}" "$image" /data/missing.log > /dev/null 2> "$work/missing.err"
expect "missing file: status 2" "$?" 2
expect "missing file: message" "$(cat "$work/missing.err")" "coinone-annotate: /data/missing.log: No such file or directory"
# --only-errors keeps a line over 1 MiB in an anonymous file in /tmp until its end: with a
# read-only root that needs a writable /tmp, as the samples give it (emptyDir, tmpfs).
{ head -c 1100000 /dev/zero | tr '\0' x; printf ' error_code=103\n'; } > "$work/long.log"
"${run[@]}" --rm -i --network=none "${locked[@]}" --tmpfs /tmp:rw,size=16m,mode=1777 "$image" --only-errors \
  < "$work/long.log" > "$work/long.out"
expect "--only-errors, 1.1 MB line, tmpfs /tmp: status" "$?" 0
note103=' [coinone 103 Order / Balance: Lack of balance -> check-funds]'
expect "--only-errors, 1.1 MB line, tmpfs /tmp: line kept and annotated" \
  "$(wc -c < "$work/long.out") $(tail -c $((${#note103} + 1)) "$work/long.out")" \
  "$(($(wc -c < "$work/long.log") + ${#note103})) $note103"
phase_end "a"

# --- b-e. sidecar mode ---------------------------------------------------------------------------
help=$("${run[@]}" --rm --network=none "${locked[@]}" "$image" --help 2>&1)
if ! grep -q -- '--follow' <<<"$help"; then
  skip "b-e sidecar: the binary in the image does not know --follow yet"
  finish
fi
has_metrics=0
grep -q -- '--metrics' <<<"$help" && has_metrics=1
has_state=0
grep -q -- '--state' <<<"$help" && has_state=1

logs=$work/logs
mkdir -p "$logs"
: > "$logs/bot.log"
# The container's user (uid 10001, no user namespace: the same uid on the host) must be able to
# create the state file and its temporary file in the directory; the log only needs to be readable.
chown 10001:10001 "$logs"
chmod 0755 "$logs"
chmod 0644 "$logs/bot.log"
port=$(free_port)

sidecar_args=(--follow /logs/bot.log)
[ "$has_state" = 1 ] && sidecar_args+=(--state /logs/bot.state)
# Host network, bound to 127.0.0.1 and a free port, so that the host can scrape it (the image has
# no curl for `podman exec`, and port publishing needs a network stack the sandbox may lack).
net=(--network=none)
[ "$has_metrics" = 1 ] && { net=(--network=host); sidecar_args+=(--metrics "127.0.0.1:$port"); }

start_sidecar() {  # start_sidecar NAME: started and ready (healthz answers, or 1 s passed)
  containers+=("$1")
  "${run[@]}" -d --name "$1" "${net[@]}" "${locked[@]}" -v "$logs:/logs:rw" "$image" "${sidecar_args[@]}" >/dev/null \
    || { fail "$1: starts"; return 1; }
  if [ "$has_metrics" = 1 ]; then
    wait_until 5 healthz_ok \
      || { fail "$1: /healthz answers 200 within 5 s"; logs_of "$1" | tail -5; return 1; }
  else
    sleep 1
  fi
  [ "$(state_of "$1")" = running ] || { fail "$1: still running after start"; "${podman[@]}" logs "$1" | tail -5; return 1; }
}
stop_sidecar() {  # stop_sidecar NAME: podman stop -t 5; exit code 0 in under 2 s
  local t0 t1 code
  t0=$(now_ms)
  "${podman[@]}" stop -t 5 "$1" >/dev/null 2>&1
  t1=$(now_ms)
  code=$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "$1")
  expect "$1: exit code 0 after podman stop (137 would mean SIGTERM was ignored)" "$code" 0
  if [ $((t1 - t0)) -lt 2000 ]; then pass "$1: stopped in $((t1 - t0)) ms (< 2 s)"; else fail "$1: stopped in $((t1 - t0)) ms (>= 2 s)"; fi
}

phase "b. sidecar follows /logs/bot.log"
lines1='time=2026-11-20T09:15:02Z level=info svc=router msg="order placed" exchange=coinone result=success
{"result":"error","error_code":"103","error_msg":"Lack of balance"}
plain line without a code
2026/11/20 09:15:05 gateway: coinone unexpected response &{Result:error ErrorCode:131 ErrorMsg:nonce OrderID:}
time=2026-11-20T09:15:06Z level=warn svc=router msg="cancel failed" error_code=104'
want1=$(annotate "$lines1")
case $want1 in
  *'{"result":"error","error_code":"103","error_msg":"Lack of balance"} [coinone 103 Order / Balance: Lack of balance -> check-funds]'*)
    pass "oracle: filter mode annotates the sidecar's lines" ;;
  *) fail "oracle: filter mode annotates the sidecar's lines"; printf '%s\n' "$want1" ;;
esac
if start_sidecar coinone-sidecar-1; then
  pass "sidecar 1: running, read-only root, uid 10001"
  printf '%s\n' "$lines1" >> "$logs/bot.log"
  if wait_until 5 logs_equal coinone-sidecar-1 "$want1"; then
    pass "sidecar 1: appended lines annotated in podman logs, exactly"
  else
    fail "sidecar 1: appended lines annotated in podman logs, exactly"
    diff -u --label wanted --label actual <(printf '%s\n' "$want1") <(logs_of coinone-sidecar-1) | head -20
  fi
  phase_end "b"

  # --- e. metrics (while sidecar 1 runs, so its counters have seen lines) ---
  phase "e. /metrics and /healthz"
  if [ "$has_metrics" = 1 ]; then
    expect "GET /healthz: 200" "$(http_status "$port" /healthz)" 200
    metrics=$(http_get "$port" /metrics)
    expect "GET /metrics: 200" "$(head -n 1 <<<"$metrics" | tr -d '\r' | awk '{ print $2 }')" 200
    if grep -qi '^content-type: text/plain' <<<"$metrics" && grep -q '^# TYPE ' <<<"$metrics"; then
      pass "GET /metrics: Prometheus text format"
    else
      fail "GET /metrics: Prometheus text format"; head -20 <<<"$metrics"
    fi
    # Some counter of the sidecar's must have counted the 5 lines or the 3 annotated ones.
    if grep -v '^#' <<<"$metrics" | grep -qE '^coinone[a-z_]*(\{[^}]*\})? [1-9]'; then
      pass "GET /metrics: a coinone_* sample above zero"
    else
      fail "GET /metrics: a coinone_* sample above zero"; grep -v '^#' <<<"$metrics" | head -20
    fi
    # A real Prometheus server on the host scrapes the sidecar (scripts/install-deps.sh installs it).
    if bash tests/container/prometheus_scrape.sh "127.0.0.1:$port" 'coinone_annotate_lines_read_total' 5 \
        'coinone_annotate_errors_total{code="103"}' 1 'coinone_annotate_errors_total{code="104"}' 1; then
      pass "Prometheus scrapes the sidecar: coinone_annotate_errors_total in its HTTP API"
    else
      fail "Prometheus scrapes the sidecar: coinone_annotate_errors_total in its HTTP API"
    fi
  else
    skip "e. metrics: the binary in the image does not know --metrics yet"
  fi
  phase_end "e"

  # --- c. stop ---
  phase "c. podman stop"
  stop_sidecar coinone-sidecar-1
  if [ "$has_state" = 1 ]; then
    [ -s "$logs/bot.state" ] && pass "state file saved on the volume" || fail "state file saved on the volume"
    [ ! -e "$logs/bot.state.tmp" ] && pass "no temporary state file left" || fail "no temporary state file left"
  fi
  phase_end "c"
else
  phase_end "b"
fi

# --- d. restart on the same state file ---
phase "d. restart: resume from the state file, then a rotation"
if [ "$has_state" = 1 ] && [ "$(state_of coinone-sidecar-1)" = exited ]; then
  gap='{"result":"error","error_code":"108","note":"written while the sidecar was down"}'
  more='after restart: nothing here
{"result":"error","errorCode":132}'
  printf '%s\n' "$gap" >> "$logs/bot.log"
  if start_sidecar coinone-sidecar-2; then
    printf '%s\n' "$more" >> "$logs/bot.log"
    want2=$(annotate "$gap"$'\n'"$more")
    if wait_until 5 logs_equal coinone-sidecar-2 "$want2"; then
      pass "sidecar 2: only the new lines (also those written while down), no repeats"
    else
      fail "sidecar 2: only the new lines (also those written while down), no repeats"
      diff -u --label wanted --label actual <(printf '%s\n' "$want2") <(logs_of coinone-sidecar-2) | head -20
    fi
    # Rotation as logrotate without copytruncate does it: rename, then a new file by the same name.
    mv "$logs/bot.log" "$logs/bot.log.1"
    rotated='first line of the new file error_code=103 exchange=coinone'
    printf '%s\n' "$rotated" > "$logs/bot.log"
    chmod 0644 "$logs/bot.log"
    want3=$want2$'\n'$(annotate "$rotated")
    if wait_until 5 logs_equal coinone-sidecar-2 "$want3"; then
      pass "sidecar 2: follows bot.log by name across a rotation"
    else
      fail "sidecar 2: follows bot.log by name across a rotation"
      diff -u --label wanted --label actual <(printf '%s\n' "$want3") <(logs_of coinone-sidecar-2) | head -20
    fi
    stop_sidecar coinone-sidecar-2
  fi
else
  skip "d. restart: needs --state and a cleanly stopped sidecar 1"
fi
phase_end "d"

# --- f. the Kubernetes sample with podman kube play ----------------------------------------------
phase "f. podman kube play samples/k8s-sidecar.yaml"
if bash tests/container/kube_play.sh "$image"; then pass "f. kube play"; else fail "f. kube play"; fi
phase_end "f"

# --- g. the Compose sample with podman-compose -----------------------------------------------------
phase "g. podman-compose up samples/compose.yaml"
if bash tests/container/compose.sh "$image"; then pass "g. podman-compose"; else fail "g. podman-compose"; fi
phase_end "g"
finish
