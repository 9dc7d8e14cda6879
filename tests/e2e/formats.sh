#!/usr/bin/env bash
# End-to-end tests of xz, bzip2 and lz4 input, against the formats' own tools (xz -dc, bzip2 -dc,
# lz4 -dc): what the filter writes for an archive is what it writes for the tool's output, on
# files and on stdin, for concatenated streams, several xz blocks decoded in parallel, and for
# truncated and corrupt archives, which also end in one message with the compressed offset and
# status 2 while the next file is still read.
#   formats.sh BINARY
set -u
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
fixtures=$(dirname "$0")/../fixtures

# About 2 MiB of log lines with errors: plain.log's lines in a seeded random order, each with a
# random request id, so that the archives are large enough to cut and damage in their middle.
python3 - "$fixtures/plain.log" > "$work/big.log" <<'PY'
import random, sys
lines = open(sys.argv[1], "rb").read().splitlines()
rng = random.Random(14)
out = sys.stdout.buffer
for _ in range(12000):
    out.write(rng.choice(lines) + b" req=%016x\n" % rng.getrandbits(64))
PY
head -c 900000 "$work/big.log" > "$work/part1.log"
tail -c +900001 "$work/big.log" > "$work/part2.log"
"$bin" "$work/big.log" > "$work/want.out"

same() {  # same NAME FILE : FILE equals the filter's output for big.log, byte for byte
  if cmp -s "$2" "$work/want.out"; then expect "$1" same same; else expect "$1" differs same; fi
}
flip() {  # flip FILE OFFSET : XOR one byte with 0x55, in place
  python3 -c 'import sys; p, o = sys.argv[1], int(sys.argv[2]); b = bytearray(open(p, "rb").read()); b[o] ^= 0x55; open(p, "wb").write(b)' "$1" "$2"
}

xz -6 -c "$work/big.log" > "$work/one.xz"
xz -6 -T2 --block-size=128KiB -c "$work/big.log" > "$work/blocks.xz"
(xz -c "$work/part1.log"; xz -T2 --block-size=64KiB -c "$work/part2.log") > "$work/streams.xz"
bzip2 -c "$work/big.log" > "$work/one.bz2"
(bzip2 -1 -c "$work/part1.log"; bzip2 -c "$work/part2.log") > "$work/streams.bz2"
lz4 -q -c "$work/big.log" > "$work/one.lz4"
(lz4 -q -B4 -BX -c "$work/part1.log"; lz4 -q -BD -c "$work/part2.log") > "$work/frames.lz4"

for archive in one.xz blocks.xz streams.xz one.bz2 streams.bz2 one.lz4 frames.lz4; do
  "$bin" "$work/$archive" > "$work/out" 2> "$work/err"
  expect "$archive: status" "$?" 0
  expect "$archive: no message" "$(cat "$work/err")" ""
  same "$archive: equals the plain log's output" "$work/out"
  "$bin" < "$work/$archive" > "$work/out"
  same "$archive: on stdin" "$work/out"
  cat "$work/$archive" | "$bin" - > "$work/out"
  same "$archive: from a pipe" "$work/out"
done

# Cut or damaged: the bytes the tool itself decodes, then one message, status 2, and the next file.
printf 'plain\n' > "$work/next.log"
# bzip2 -dc writes what it decodes in 5000-byte pieces and drops the last one at a fault: the
# reference for bzip2 is Python's bz2 (libbz2 as well), and bzip2 -dc must give no more.
py_bzip2() {
  python3 -c 'import bz2, sys; sys.stdout.buffer.write(bz2.BZ2Decompressor().decompress(open(sys.argv[2], "rb").read()))' "$@"
}
check_bad() {  # check_bad NAME FILE TOOL MESSAGE : TOOL -dc FILE decodes what we must write
  local name=$1 file=$2 tool=$3 message=$4
  "$bin" "$file" "$work/next.log" > "$work/out" 2> "$work/err"
  expect "$name: status" "$?" 2
  expect "$name: message" "$(cat "$work/err")" "coinone-annotate: $file: $message"
  $tool -dc "$file" 2> /dev/null | "$bin" > "$work/tool.out"
  # A cut file's last piece of a line is ended with a newline, as another file follows.
  [ ! -s "$work/tool.out" ] || [ "$(tail -c 1 "$work/tool.out" | od -An -c | tr -d ' ')" = '\n' ] \
    || printf '\n' >> "$work/tool.out"
  cat "$work/next.log" >> "$work/tool.out"
  if cmp -s "$work/out" "$work/tool.out"; then
    expect "$name: the tool's bytes, then the next file" same same
  else
    expect "$name: the tool's bytes, then the next file" differs same
  fi
}
half() { echo $(($(stat -c %s "$1") / 2)); }
cut=$(half "$work/blocks.xz")
head -c "$cut" "$work/blocks.xz" > "$work/cut.xz"
check_bad "truncated xz" "$work/cut.xz" xz "truncated xz data at compressed byte $cut"
cut=$(half "$work/streams.bz2")
head -c "$cut" "$work/streams.bz2" > "$work/cut.bz2"
check_bad "truncated bzip2" "$work/cut.bz2" py_bzip2 "truncated bzip2 data at compressed byte $cut"
ours=$("$bin" "$work/cut.bz2" 2> /dev/null | wc -c)
tools=$(bzip2 -dc "$work/cut.bz2" 2> /dev/null | "$bin" | wc -c)
expect "truncated bzip2: no fewer bytes than bzip2 -dc" "$((ours >= tools && tools > 0))" 1
cut=$(half "$work/frames.lz4")
head -c "$cut" "$work/frames.lz4" > "$work/cut.lz4"
check_bad "truncated lz4" "$work/cut.lz4" lz4 "truncated lz4 data at compressed byte $cut"
cp "$work/one.xz" "$work/bad.xz" && flip "$work/bad.xz" 40000
"$bin" "$work/bad.xz" > /dev/null 2> "$work/err"
expect "corrupt xz, one block: status" "$?" 2
expect "corrupt xz: a message with an offset" \
  "$(sed -E 's/[0-9]+$/N/' "$work/err")" "coinone-annotate: $work/bad.xz: corrupt xz data at compressed byte N"
at=$(sed -E 's/.* //' "$work/err")
expect "corrupt xz: the offset is just past the damaged byte" "$((at > 40000 && at < 40100))" 1
"$bin" "$work/bad.xz" 2> /dev/null | cmp -s - <(xz -dc "$work/bad.xz" 2> /dev/null | "$bin")
expect "corrupt xz: the bytes xz -dc gives" "$?" 0
lz4_block2=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); print(7 + 4 + (struct.unpack("<I", d[7:11])[0] & 0x7fffffff) + 4)' "$work/frames.lz4")
cp "$work/frames.lz4" "$work/bad.lz4" && flip "$work/bad.lz4" $((lz4_block2 + 4 + 100))
check_bad "corrupt lz4 block" "$work/bad.lz4" lz4 "corrupt lz4 data at compressed byte $((lz4_block2 + 4))"

echo "formats: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
