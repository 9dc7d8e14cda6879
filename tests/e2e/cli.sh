#!/usr/bin/env bash
# End-to-end tests of the command line: errors name the file and the reason, exit statuses are
# stable, bad input of every kind loses nothing, and output shows up before the input ends.
#   cli.sh BINARY
set -u
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
note103=' [coinone 103 Order / Balance: Lack of balance -> check-funds]'


printf 'error_code=103\n' > "$work/a.log"
printf 'plain\n' > "$work/b.log"

# A missing file, a directory and an unreadable file: message, the other files, status 2.
out=$("$bin" "$work/a.log" "$work/missing.log" "$work" /proc/self/mem "$work/b.log" 2>"$work/err")
expect "missing: status" "$?" 2
expect "missing: other files still read" "$out" "error_code=103$note103"$'\n'"plain"
expect "missing: messages" "$(cat "$work/err")" \
"coinone-annotate: $work/missing.log: No such file or directory
coinone-annotate: $work: Is a directory
coinone-annotate: /proc/self/mem: Input/output error"

# stdin as '-' between files, in order.
out=$(printf 'from stdin\n' | "$bin" "$work/b.log" - "$work/b.log")
expect "stdin dash in order" "$out" $'plain\nfrom stdin\nplain'

# --codes: adds and overrides codes; a bad file names FILE:LINE and the reason.
printf '# extra codes\n103\tOrder / Balance\tcheck-funds\tno\tNot enough KRW\n7001\tNew\tretry-later\tyes\tNew thing\n' > "$work/codes.tsv"
out=$(printf 'error_code=103 error_code=7001\n' | "$bin" --codes "$work/codes.tsv")
expect "codes: override and add" "$out" \
  "error_code=103 error_code=7001 [coinone 103 Order / Balance: Not enough KRW -> check-funds] [coinone 7001 New: New thing -> retry-later]"
printf '103\tOrder\tcheck-funds\tno\tOK\n\nabc\tX\tfix-request\tno\tE\n' > "$work/bad.tsv"
out=$(echo x | "$bin" --codes "$work/bad.tsv" 2>&1)
expect "codes: bad file status" "$?" 2
expect "codes: bad file message" "$out" "coinone-annotate: $work/bad.tsv:3: code 'abc' is not a number of 1 to 9 digits"
printf '# comment\n103\tOrder\tcheck-funds\tno\tLack of \xe2\x82 balance\n' > "$work/latin.tsv"
out=$(echo x | "$bin" --codes "$work/latin.tsv" 2>&1)
expect "codes: invalid UTF-8 status" "$?" 2
expect "codes: invalid UTF-8 message" "$out" "coinone-annotate: $work/latin.tsv:2: not valid UTF-8"
out=$(echo x | "$bin" --codes "$work/none.tsv" 2>&1)
expect "codes: missing file" "$out" "coinone-annotate: $work/none.tsv: No such file or directory"

# --pattern: user shapes, and RE2's message for a bad one.
out=$(printf 'order failed [Error 103]\n' | "$bin" --pattern '\[Error (?P<code>\d+)\]')
expect "pattern: match" "$out" "order failed [Error 103]$note103"
out=$(echo x | "$bin" --pattern '(?P<code>\d+' 2>&1)
expect "pattern: bad status" "$?" 2
expect "pattern: bad message" "$out" "coinone-annotate: --pattern (?P<code>\d+: missing ): (?P<code>\d+"

# --template, and a bad one.
out=$(printf 'error_code=131\n' | "$bin" --template '<{code} {advice} retry={retry}>')
expect "template" "$out" "error_code=131 <131 fix-nonce retry=yes>"
echo x | "$bin" --template '{nope}' >/dev/null 2>"$work/err"
expect "template: bad status" "$?" 2
expect "template: bad message" "$(cat "$work/err")" "coinone-annotate: --template: bad template '{nope}': argument not found"

# Colour: never into a pipe by default, always on request, NO_COLOR respected by auto.
out=$(printf 'error_code=103\n' | "$bin")
expect "color: auto into a pipe" "$out" "error_code=103$note103"
out=$(printf 'error_code=103\n' | "$bin" --color=always)
expect "color: always" "$out" $'error_code=103 \e[36m[coinone 103 Order / Balance: Lack of balance -> check-funds]\e[0m'

# Output errors: a closed pipe ends quietly with 0; a full disk is an error with status 2.
yes 'error_code=103' | head -n 200000 > "$work/many.log"
"$bin" "$work/many.log" 2>"$work/err" | head -n 1 > /dev/null
expect "broken pipe: status" "${PIPESTATUS[0]}" 0
expect "broken pipe: quiet" "$(cat "$work/err")" ""
"$bin" "$work/many.log" > /dev/full 2>"$work/err"
expect "disk full: status" "$?" 2
expect "disk full: message" "$(cat "$work/err")" "coinone-annotate: standard output: No space left on device"

# Bytes that are not text pass through: NUL, invalid UTF-8, CR alone, no final newline.
printf 'a\0b\xff\xfe\rc\nerror_code=103 \0x\nerror_code=104\0\n\xc3' > "$work/bin.log"
"$bin" "$work/bin.log" > "$work/bin.out"
# (103 is followed by a space; 104 by a NUL, which makes it a damaged value, not a code)
printf 'a\0b\xff\xfe\rc\nerror_code=103 \0x%s\nerror_code=104\0\n\xc3' "$note103" > "$work/bin.want"
expect "binary bytes" "$(cmp "$work/bin.out" "$work/bin.want" && echo same)" same

# Ten thousand empty lines and a file with only newlines: unchanged.
head -c 10000 /dev/zero | tr '\0' '\n' > "$work/empty-lines.log"
expect "empty lines" "$("$bin" "$work/empty-lines.log" | cmp - "$work/empty-lines.log" && echo same)" same

# Latency: a line shows up at once, while the writer is still running.
fifo="$work/fifo"
mkfifo "$fifo"
( printf 'error_code=103\n'; sleep 3 ) > "$fifo" &
"$bin" < "$fifo" > "$work/live.out" &
pid=$!
sleep 1
expect "flush before blocking" "$(cat "$work/live.out")" "error_code=103$note103"
wait "$pid"

# Compressed input, recognised by its first bytes: gzip (multi-member too) and zstd, mixed with
# plain files in one run, on stdin too; a corrupt or truncated archive is reported with the
# compressed offset and the run goes on with the next file.
fixtures=$(dirname "$0")/../fixtures
plain_out=$("$bin" "$fixtures/plain.log")
expect "gzip equals plain" "$("$bin" "$fixtures/plain.log.gz")" "$plain_out"
expect "zstd equals plain" "$("$bin" "$fixtures/plain.log.zst")" "$plain_out"
expect "gzip on stdin" "$("$bin" < "$fixtures/plain.log.gz")" "$plain_out"
expect "multi-member gzip" "$("$bin" "$fixtures/multi-member.log.gz")" "$(gzip -dc "$fixtures/multi-member.log.gz" | "$bin")"
expect "multi-frame zstd" "$("$bin" "$fixtures/multi-frame.log.zst")" "$(zstd -dcq "$fixtures/multi-frame.log.zst" | "$bin")"
expect "mixed in order" "$("$bin" "$fixtures/plain.log.zst" "$fixtures/plain.log" "$fixtures/plain.log.gz")" \
  "$plain_out"$'\n'"$plain_out"$'\n'"$plain_out"
"$bin" "$fixtures/corrupt.log.gz" "$fixtures/truncated.log.zst" "$work/b.log" >"$work/out" 2>"$work/err"
expect "corrupt archives: status" "$?" 2
# The last partial line of an archive is output as it is, so the next file's first line follows it.
expect "corrupt archives: the next file is read" "$(tail -c 6 "$work/out")" "plain"
expect "corrupt archives: messages" "$(cat "$work/err")" \
"coinone-annotate: $fixtures/corrupt.log.gz: corrupt gzip data at compressed byte 7128
coinone-annotate: $fixtures/truncated.log.zst: truncated zstd data at compressed byte 5000"

# --explain and --list-codes: the table without a log line, with --codes merged in.
out=$("$bin" --codes "$work/codes.tsv" --explain 0103 7001)
expect "explain: status" "$?" 0
expect "explain: text" "$out" \
"103  Order / Balance (주문 / 잔고)
  meaning (en)  Not enough KRW
  meaning (ko)  (none on Coinone's page)
  advice        check-funds (잔고-확인): balance, minimum or limit
  retry         no
7001  New
  meaning (en)  New thing
  meaning (ko)  (none on Coinone's page)
  advice        retry-later (잠시-후-재시도): trouble on Coinone's side or a waiting period: wait and retry
  retry         yes"
out=$("$bin" --explain 131 --format json)
expect "explain: json" "$out" \
'{"codes":[{"code":"131","category":"V2 Nonce / Signature","category_ko":"V2 Nonce / 서명","meaning_en":"V2 nonce must be bigger than last nonce","meaning_ko":"V2 API Nonce 값은 이전 Nonce 값보다 커야 합니다.","advice":"fix-nonce","advice_ko":"nonce-수정","retry":true}]}'
out=$("$bin" --explain 9999 abc 2>"$work/err")
expect "explain unknown: status" "$?" 2
expect "explain unknown: output" "$out" $'9999  unknown: not in the code table\nabc  unknown: not in the code table'
expect "explain unknown: message" "$(cat "$work/err")" \
  "coinone-annotate: --explain: a code is not in the code table"
expect "list-codes: every code" "$("$bin" --list-codes | grep -c '^[0-9]')" 100
expect "list-codes: json" "$("$bin" --list-codes --format json |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["codes"]))')" 100

# --help and --version.
"$bin" --help > "$work/help"
expect "help: status" "$?" 0
expect "help: mentions --only-errors" "$(grep -c -- --only-errors "$work/help")" 1
expect "version" "$("$bin" --version)" "0.1.0"
"$bin" --no-such-flag 2>/dev/null
expect "unknown flag: status" "$?" 2

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
