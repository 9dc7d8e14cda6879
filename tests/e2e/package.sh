#!/usr/bin/env bash
# The Debian package (#15), without installing it: `cpack -G DEB` in the build tree makes one .deb
# whose control fields are right (Depends names the package of every library the binary links),
# which holds everything `cmake --install` installs, under /usr, owned by root, and whose binary
# and man page work once unpacked. tests/container/deb_install.sh installs it for real.
#   package.sh CMAKE CPACK BUILD_DIR SOURCE_DIR VERSION
set -u
cmake=$1
cpack=$2
build=$3
src=$4
version=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"

(cd "$build" && "$cpack" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1)
expect "cpack -G DEB: status" "$?" 0
debs=("$work"/out/*.deb)
expect "cpack -G DEB: one .deb" "${#debs[@]}:$(basename "${debs[0]}")" \
  "1:coinone-annotate_$(dpkg-deb -f "${debs[0]}" Version 2>/dev/null)_$(dpkg --print-architecture).deb"
deb=${debs[0]}
[ -f "$deb" ] || { cat "$work/cpack.log"; echo "package: $passed passed, $failed failed"; exit 1; }

# --- control fields (dpkg-deb -I) ------------------------------------------------------------
dpkg-deb -I "$deb" > "$work/info"
expect "dpkg-deb -I: status" "$?" 0
field() { dpkg-deb -f "$deb" "$1"; }
expect "Package" "$(field Package)" coinone-annotate
expect "Version: the project's" "$(field Version)" "$version"
expect "Architecture" "$(field Architecture)" "$(dpkg --print-architecture)"
expect "Section" "$(field Section)" utils
expect "Maintainer: Name <address>" "$(field Maintainer | grep -cE '^[^<]+ <[^ >]+@[^ >]+>$')" 1
expect "Description: summary line" "$(field Description | head -n 1)" \
  "annotate Coinone API error codes in trading-bot logs"
# Depends: derived by dpkg-shlibdeps; checked here the other way round, from the unpacked
# binary's NEEDED entries, each mapped to the Debian package that ships that library (or a name
# that package Provides, as the library's shlibs file may ask: libspdlog1.10-fmt9).
dpkg-deb -x "$deb" "$work/root"
field Depends | tr ',' '\n' | sed -E 's/^ +//; s/[ (].*//' | sort -u > "$work/depends"
needed=$(readelf -d "$work/root/usr/bin/coinone-annotate" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p')
expect "binary has NEEDED entries" "$([ -n "$needed" ] && echo yes)" yes
for so in $needed; do
  path=$(ldconfig -p | awk -v so="$so" '$1 == so { print $NF; exit }')
  pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null)
  pkg=${pkg%%:*}
  names=$( { echo "$pkg"; dpkg-query -W -f='${Provides}' "$pkg" 2>/dev/null | tr ',' '\n'; } |
    sed -E 's/^ +//; s/[ (].*//' | sort -u)
  expect "Depends: the package of $so (${pkg:-none found})" \
    "$(comm -12 <(echo "$names") "$work/depends" | grep -c .)" 1
done

# --- contents (dpkg-deb -c) ------------------------------------------------------------------
dpkg-deb -c "$deb" > "$work/contents"
expect "dpkg-deb -c: status" "$?" 0
expect "every entry owned by root/root" "$(awk '$2 != "root/root"' "$work/contents")" ""
awk '$1 !~ /^d/ { print $6 }' "$work/contents" | sed 's|^\./|/|' | sort > "$work/files"
wanted=(/usr/bin/coinone-annotate /usr/share/man/man1/coinone-annotate.1.gz
        /usr/share/bash-completion/completions/coinone-annotate
        /usr/share/zsh/vendor-completions/_coinone-annotate
        /usr/share/doc/coinone-annotate/README.md)
while IFS= read -r f; do wanted+=("/usr/share/doc/coinone-annotate/samples/${f#"$src"/samples/}"); done \
  < <(find "$src/samples" -type f)
expect "the binary, man page, completions, README and $((${#wanted[@]} - 5)) sample files" \
  "$(printf '%s\n' "${wanted[@]}" | sort | comm -23 - "$work/files" | tr '\n' ' ')" ""
# Whatever the project installs (a module next to the binary too) is in the package.
DESTDIR=$work/stage "$cmake" --install "$build" --prefix /usr > /dev/null
(cd "$work/stage" && find . ! -type d | sed 's|^\./|/|' | sort) > "$work/installed"
expect "the .deb holds all that cmake --install installs" "$(diff "$work/installed" "$work/files")" ""

# --- unpacked, it works -------------------------------------------------------------------------
"$work/root/usr/bin/coinone-annotate" "$src/samples/mixed.log" > "$work/mixed.out"
expect "unpacked binary: status" "$?" 0
expect "unpacked binary: samples/mixed.expected byte for byte" \
  "$(cmp "$work/mixed.out" "$src/samples/mixed.expected" 2>&1)" ""
expect "unpacked binary is stripped" "$(file -b "$work/root/usr/bin/coinone-annotate" | grep -o ', stripped')" \
  ", stripped"
expect "unpacked man page renders" \
  "$(LC_ALL=C man -l "$work/root/usr/share/man/man1/coinone-annotate.1.gz" 2>&1 | grep -A1 '^NAME$' | tail -n 1 | sed -E 's/^ +//')" \
  "coinone-annotate - annotate Coinone API error codes in trading-bot logs"

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
