#!/usr/bin/env bash
# samples/k8s-sidecar.yaml run for real with podman's Kubernetes support (`podman kube play`),
# as a Kubernetes node would run it: the Deployment's pod with the stand-in bot and the sidecar,
# the shared emptyDir, the read-only root, uid 10001.
#   tests/container/kube_play.sh IMAGE     (called by tests/container/run.sh)
#
# The manifest is used as written except for the image names (IMAGE for the sidecar, the local
# debootstrapped debian:bookworm-slim for the bot) and a suffix on the Deployment and volume
# names, so that two runs on one machine do not meet. Checks:
#   - the bot's lines reach the sidecar's log, annotated exactly as filter mode annotates them;
#   - inside the pod: `coinone-annotate --probe` on /healthz (the exec-probe form), /metrics
#     from the bot's container over the pod's shared loopback, and no shell in the sidecar;
#   - the pod stopped as Kubernetes stops it (SIGTERM, then the grace period): both containers
#     exit 0 and the checkpoint is on the emptyDir; then `podman kube down` removes the pod.
# Debian 12's podman 4.3 `kube down` sends SIGKILL at once, without SIGTERM (podman issue 22397,
# fixed in podman 5.1), which no program can answer with a clean exit; so the pod is stopped with
# `podman pod stop` (SIGTERM and a grace period, like the kubelet) before `kube down`.
#
# Needs catatonit (podman builds its pause image from it, offline). Prints ok:/FAIL: lines and
# `kube play: N passed, M failed`; exit status 0 only when nothing failed.
set -u
cd "$(dirname "$0")/../.."
image=${1:?usage: kube_play.sh IMAGE}
base=docker.io/library/debian:bookworm-slim
suffix=t$$
pod=gridbot-$suffix-pod-0 # a Deployment's pod: NAME-pod-0, containers POD-CONTAINER
sidecar=$pod-coinone-annotate
bot=$pod-bot
work=$(mktemp -d)

label="kube play"
source tests/container/pod_checks.sh
# Podman logs a harmless error per container for the healthchecks it cannot schedule without
# systemd; leave it out of the output.
quiet() { grep -v 'unable to get systemd connection' >&2; }

sed -e "s#registry.example.com/coinone-annotate:0.1.0#$image#" \
    -e "s#image: debian:bookworm-slim#image: $base#" \
    -e "s#^  name: gridbot\$#  name: gridbot-$suffix#" \
    -e "s#bot-logs#bot-logs-$suffix#g" -e "s#annotate-tmp#annotate-tmp-$suffix#g" \
    samples/k8s-sidecar.yaml > "$work/pod.yaml"
cleanup() {
  timeout 60 podman kube down "$work/pod.yaml" > /dev/null 2>&1
  podman volume rm -f "bot-logs-$suffix" > /dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# The kubelet creates an emptyDir world-writable (mode 0777), and fsGroup makes it the group's;
# podman 4.3's kube play does neither: it makes a named volume owned by whichever container
# mounts it first, the bot (root) or the sidecar (10001), and a sidecar that cannot write its
# checkpoint stops. So the volume is made here first, as the kubelet would leave it.
podman volume create "bot-logs-$suffix" > /dev/null
chmod 0777 "$(podman volume inspect --format '{{.Mountpoint}}' "bot-logs-$suffix")"

if ! timeout 120 podman kube play --log-driver k8s-file "$work/pod.yaml" > "$work/play.log" 2>&1; then
  grep -v 'unable to get systemd connection' "$work/play.log" | tail -20
  fail "podman kube play samples/k8s-sidecar.yaml"
  finish
fi
pass "podman kube play samples/k8s-sidecar.yaml"
expect "the sidecar runs as uid 10001" "$(podman inspect --format '{{.Config.User}}' "$sidecar")" "10001:10001"
expect "the sidecar's root is read-only" "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$sidecar")" "true"

logs=$(podman volume inspect --format '{{.Mountpoint}}' "bot-logs-$suffix")
note103=' [coinone 103 Order / Balance: Lack of balance -> check-funds]'
annotated_103() { podman logs "$sidecar" 2>/dev/null | grep -qF "$note103"; }
if wait_until 20 annotated_103; then
  pass "the bot's error line annotated in the sidecar's log"
else
  fail "the bot's error line annotated in the sidecar's log"
  podman logs "$sidecar" 2>&1 | tail -5
fi
# Every line the sidecar printed so far is the bot's line, annotated as filter mode does it.
podman logs "$sidecar" 2> /dev/null > "$work/sidecar.out"
n=$(wc -l < "$work/sidecar.out")
head -n "$n" "$logs/bot.log" | podman run --rm -i --network=none --log-driver k8s-file "$image" \
  > "$work/oracle.out"
if [ "$n" -ge 2 ] && cmp -s "$work/sidecar.out" "$work/oracle.out"; then
  pass "the sidecar's log: the bot's $n lines, byte for byte as filter mode annotates them"
else
  fail "the sidecar's log: the bot's lines as filter mode annotates them ($n lines)"
  diff "$work/oracle.out" "$work/sidecar.out" | head -10
fi

# The exec-probe form of the health check, inside the sidecar's container.
podman exec "$sidecar" coinone-annotate --probe http://127.0.0.1:9464/healthz > "$work/probe.out" 2>&1
expect "inside the pod: coinone-annotate --probe /healthz exits 0" "$?:$(cat "$work/probe.out")" "0:"
podman exec "$sidecar" coinone-annotate --probe http://127.0.0.1:9464/nowhere > "$work/probe.out" 2>&1
expect "inside the pod: --probe of a wrong path exits 1 with the reason" "$?:$(cat "$work/probe.out")" \
  "1:coinone-annotate: --probe http://127.0.0.1:9464/nowhere: HTTP 404: not found"
# /metrics from the bot's container: the pod's containers share one network namespace.
metrics=$(podman exec "$bot" /usr/bin/timeout 5 /bin/bash -c 'exec 3<>/dev/tcp/127.0.0.1/9464
  printf "GET /metrics HTTP/1.0\r\n\r\n" >&3; cat <&3' 2>&1)
if grep -qE '^coinone_annotate_errors_total\{code="103",[^}]*\} [1-9]' <<<"$metrics"; then
  pass "from the bot's container: /metrics counts code 103"
else
  fail "from the bot's container: /metrics counts code 103"; head -20 <<<"$metrics"
fi
if podman exec "$sidecar" /bin/sh -c true > /dev/null 2>&1; then
  fail "the sidecar's image has no shell"
else
  pass "the sidecar's image has no shell"
fi

# Stopped as the kubelet stops a pod: SIGTERM to every container, the grace period, SIGKILL.
t0=$(now_ms)
podman pod stop -t 30 "$pod" 2>&1 > /dev/null | quiet
t1=$(now_ms)
expect "pod stop: the sidecar exits 0" "$(podman inspect --format '{{.State.ExitCode}}' "$sidecar")" 0
expect "pod stop: the bot exits 0" "$(podman inspect --format '{{.State.ExitCode}}' "$bot")" 0
if [ $((t1 - t0)) -lt 5000 ]; then pass "pod stop took $((t1 - t0)) ms (< 5 s)"; else fail "pod stop took $((t1 - t0)) ms"; fi
state=$logs/.coinone-annotate.state
if [ -s "$state" ] && [ ! -e "$state.tmp" ]; then
  pass "the checkpoint is saved on the emptyDir ($(wc -c < "$state") bytes)"
else
  fail "the checkpoint is saved on the emptyDir"; ls -la "$logs"
fi
podman kube down "$work/pod.yaml" 2>&1 > /dev/null | quiet
if podman pod exists "$pod"; then fail "podman kube down removes the pod"; else pass "podman kube down removes the pod"; fi
finish
