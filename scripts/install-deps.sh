#!/usr/bin/env bash
# Installs what building and testing coinone-annotate needs, from Debian 12's packages only.
# Usage: scripts/install-deps.sh [--with-container]   (as root, or with sudo available)
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config      # toolchain
  libre2-dev libfmt-dev libspdlog-dev doctest-dev   # the design card
  libcli11-dev libisal-dev libzstd-dev libmicrohttpd-dev libyajl-dev
  liblzma-dev libbz2-dev liblz4-dev                 # xz, bzip2 and lz4 archives
  tzdata                                            # --tz: the time zone database
  time ripgrep gzip zstd python3 clang-format       # tests and the benchmark
  xz-utils bzip2 lz4 isal                           # their tools: fixtures, tests, benchmark
  logrotate                                         # the follow torture test (tests/e2e)
  prometheus python3-yaml                           # alert rules, dashboard, a real scrape
  clang-14 libclang-rt-14-dev zlib1g-dev            # libFuzzer targets (tests/fuzz)
  help2man man-db bash-completion zsh dpkg-dev file  # man page, completions, cpack -G DEB (data/)
)
# catatonit: podman kube play builds its pause image from it; podman-compose: samples/compose.yaml.
[ "${1:-}" = "--with-container" ] && packages+=(podman buildah runc debootstrap uidmap catatonit podman-compose)

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
