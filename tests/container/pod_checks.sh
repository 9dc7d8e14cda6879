# Sourced by kube_play.sh and compose.sh after they set $label and $work: the podman settings
# this machine needs, the check tally under $label, and waiting for a condition.
#
# kube play and podman-compose take no --ulimit or --runtime: the ulimits this machine allows,
# and runc (crun refuses its hybrid cgroups), go in a containers.conf for every container.
cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$work/containers.conf

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok:   $label: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $label: $1"; }
expect() {  # expect NAME ACTUAL WANTED
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1"; printf '  want: %q\n  got:  %q\n' "$3" "$2"; fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
wait_until() {  # wait_until TIMEOUT_S COMMAND...
  local deadline=$(($(now_ms) + $1 * 1000))
  shift
  while ! "$@"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
finish() {
  echo "$label: $passed passed, $failed failed"
  exit $((failed > 0))
}
