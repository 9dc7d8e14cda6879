#!/usr/bin/env bash
# The Debian package installed for real (#15): `cpack -G DEB` in the build tree, then, in a clean
# Debian 12 container, `dpkg -i` (and `apt-get install -f` from the Debian mirror when the
# dependencies are missing, as they are in a minimal system), then the installed binary on the
# samples against samples/*.expected byte for byte, `man coinone-annotate`, the completions, and
# `dpkg -r`. Called by tests/container/run.sh; about a minute, most of it apt-get.
#   tests/container/deb_install.sh [BASE_IMAGE]     (as root, podman and runc installed)
# BASE_IMAGE: a Debian 12 image (default docker.io/library/debian:bookworm-slim, which run.sh
# makes with debootstrap). COINONE_BUILD_DIR (default build): the build tree; when it has no
# CPackConfig.cmake, the binary and man page are built there first.
# Prints `deb: N passed, M failed`; exit status 0 only when nothing failed.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
base=${1:-docker.io/library/debian:bookworm-slim}
build=${COINONE_BUILD_DIR:-build}
podman=(podman --runtime /usr/sbin/runc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source tests/e2e/expect.sh
finish() { echo "deb: $passed passed, $failed failed"; exit $((failed > 0)); }

# --- the .deb ----------------------------------------------------------------------------------
if [ ! -f "$build/CPackConfig.cmake" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > "$work/build.log" 2>&1 &&
    cmake --build "$build" -j 2 --target coinone-annotate man_page >> "$work/build.log" 2>&1 ||
    { tail -20 "$work/build.log"; expect "build $build" failed ok; finish; }
fi
(cd "$build" && cpack -G DEB -B "$work/deb") > "$work/cpack.log" 2>&1
expect "cpack -G DEB" "$?" 0
mkdir -p "$work/debs" "$work/out"
cp "$work"/deb/*.deb "$work/debs/" 2>/dev/null
deb=$(cd "$work/debs" && ls)
[ -n "$deb" ] || { tail -20 "$work/cpack.log"; finish; }
echo "deb: $deb ($(du -k "$work/debs/$deb" | cut -f1) KiB), Depends: $(dpkg-deb -f "$work/debs/$deb" Depends)"

# --- in the container --------------------------------------------------------------------------
# An image made by `podman import` has no PATH. Slim images tell dpkg to drop man pages
# (/etc/dpkg/dpkg.cfg.d/docker): removed, so that the container is a plain Debian system.
cat > "$work/in-container.sh" <<'EOF'
export PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C
rm -f /etc/dpkg/dpkg.cfg.d/docker /etc/dpkg/dpkg.cfg.d/excludes
cd /out
if dpkg -i /debs/*.deb > dpkg.log 2>&1; then
  echo "dependencies were installed" > how
else
  grep -q 'dependency problems' dpkg.log && echo "apt-get install -f" > how
  apt-get update -qq > apt.log 2>&1
  apt-get install -f -y -qq --no-install-recommends >> apt.log 2>&1
fi
dpkg-query -W -f='${Status}' coinone-annotate > status
coinone-annotate /samples/mixed.log > mixed.out 2> mixed.err; echo $? > mixed.rc
coinone-annotate --lang ko < /samples/python-bot.log > ko.out
coinone-annotate --format json /samples/jsonl-bot.log > json.out
apt-get install -y -qq --no-install-recommends man-db >> apt.log 2>&1
MANWIDTH=80 man coinone-annotate > man.txt 2> man.err; echo $? > man.rc
for f in /usr/share/bash-completion/completions/coinone-annotate \
         /usr/share/zsh/vendor-completions/_coinone-annotate \
         /usr/share/doc/coinone-annotate/samples/mixed.log; do
  [ -f "$f" ] && echo "$f"
done > files
dpkg -r coinone-annotate > remove.log 2>&1; echo $? > remove.rc
[ -e /usr/bin/coinone-annotate ] && echo "left behind" > removed || echo gone > removed
EOF
# Host network: apt-get reaches the Debian mirror. runc and the explicit ulimits as in run.sh.
timeout 600 "${podman[@]}" run --rm --network=host --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 \
  -v "$work/debs:/debs:ro" -v "$root/samples:/samples:ro" -v "$work/out:/out" \
  -v "$work/in-container.sh:/in-container.sh:ro" "$base" /bin/bash /in-container.sh \
  > "$work/podman.log" 2>&1
rc=$?
expect "container ran (podman run, 600 s at most)" "$rc" 0
[ "$rc" -eq 0 ] || tail -20 "$work/podman.log"
out=$work/out
[ -f "$out/how" ] && echo "deb: dpkg -i: $(cat "$out/how")"
expect "installed" "$(cat "$out/status" 2>/dev/null)" "install ok installed"
[ "$(cat "$out/status" 2>/dev/null)" = "install ok installed" ] ||
  { tail -20 "$out/dpkg.log" "$out/apt.log" 2>/dev/null; finish; }
expect "samples/mixed.log: status, stderr" "$(cat "$out/mixed.rc"):$(cat "$out/mixed.err")" "0:"
expect "samples/mixed.log: samples/mixed.expected byte for byte" \
  "$(cmp "$out/mixed.out" samples/mixed.expected 2>&1)" ""
expect "--lang ko, stdin: samples/python-bot.ko.expected byte for byte" \
  "$(cmp "$out/ko.out" samples/python-bot.ko.expected 2>&1)" ""
expect "--format json: samples/jsonl-bot.json.expected byte for byte" \
  "$(cmp "$out/json.out" samples/jsonl-bot.json.expected 2>&1)" ""
expect "man coinone-annotate: status, stderr" "$(cat "$out/man.rc"):$(cat "$out/man.err")" "0:"
expect "man coinone-annotate: NAME" "$(grep -A1 '^NAME$' "$out/man.txt" | tail -n 1 | sed -E 's/^ +//')" \
  "coinone-annotate - annotate Coinone API error codes in trading-bot logs"
expect "completions and samples installed" "$(wc -l < "$out/files")" 3
expect "dpkg -r: status, binary gone" "$(cat "$out/remove.rc"):$(cat "$out/removed")" "0:gone"
finish
