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
# The last partial line of an archive is output as it is, with a newline before the next file.
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
"$bin" --no-such-flag 2>/dev/null
expect "unknown flag: status" "$?" 2

# ---- #13: grep's habits --------------------------------------------------------------------
note131=' [coinone 131 V2 Nonce / Signature: V2 nonce must be bigger than last nonce -> fix-nonce]'
printf 'start\nerror_code=103\nmiddle\nerror_code=131\n' > "$work/g1.log"
printf 'quiet\n' > "$work/g2.log"

# --summary takes no separate value: the word after it is a file.
(cd "$work" && "$bin" --summary g1.log >"$work/out" 2>"$work/err")
expect "summary FILE: status" "$?" 0
expect "summary FILE: file read" "$(cat "$work/out")" $'start\nerror_code=103'"$note103"$'\nmiddle\nerror_code=131'"$note131"
expect "summary FILE: text report" "$(head -n 1 "$work/err")" "coinone-annotate summary"
(cd "$work" && "$bin" --summary=json g1.log 2>"$work/err" >/dev/null)
expect "summary=json" "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["annotated"])' < "$work/err")" 2
(cd "$work" && "$bin" --summary json g1.log >/dev/null 2>"$work/err")
expect "summary json: status" "$?" 2
expect "summary json: hint" "$(cat "$work/err")" \
  "coinone-annotate: --summary takes no separate value: did you mean --summary=json?"

# --summary-file: the report goes to a file (a new file renamed into place), stderr keeps errors.
(cd "$work" && "$bin" --summary=json --summary-file report.json nope.log g1.log >/dev/null 2>"$work/err")
expect "summary-file: status" "$?" 2
expect "summary-file: stderr has only the error" "$(cat "$work/err")" \
  "coinone-annotate: nope.log: No such file or directory"
expect "summary-file: the report" \
  "$(python3 -c 'import json, sys; r = json.load(sys.stdin); print(r["annotated"], len(r["files"]))' < "$work/report.json")" "2 2"
ln "$work/report.json" "$work/kept.json"
(cd "$work" && "$bin" --summary-file report.json g2.log >/dev/null 2>"$work/err")
expect "summary-file alone: text, status" "$?:$(head -n 1 "$work/report.json")" "0:coinone-annotate summary"
expect "summary-file: replaced by rename, not rewritten" \
  "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["annotated"])' < "$work/kept.json")" 2
expect "summary-file: no temporary left" "$(cd "$work" && ls -A | grep -c report)" 1
"$bin" --summary-file "$work/nodir/report.txt" "$work/g1.log" >/dev/null 2>"$work/err"
expect "summary-file: bad directory: status" "$?" 2
expect "summary-file: bad directory: message" "$(cat "$work/err")" \
  "coinone-annotate: $work/nodir/report.txt: No such file or directory"

# -H/--with-filename and --no-filename: names by default only with --only-errors over several
# files, so that passing several files through stays byte-exact, as cat.
expect "several files: as cat" "$("$bin" "$work/g1.log" "$work/g2.log" | cmp - <(cat "$work/g1.log" "$work/g2.log" | "$bin") && echo same)" same
out=$(cd "$work" && "$bin" --only-errors g1.log g2.log)
expect "only-errors, several files: names" "$out" "g1.log:error_code=103$note103"$'\n'"g1.log:error_code=131$note131"
out=$(cd "$work" && "$bin" --only-errors --no-filename g1.log g2.log)
expect "--no-filename" "$out" "error_code=103$note103"$'\n'"error_code=131$note131"
out=$(cd "$work" && "$bin" --only-errors -H g1.log)
expect "-H, one file" "$out" "g1.log:error_code=103$note103"$'\n'"g1.log:error_code=131$note131"
out=$(cd "$work" && "$bin" --with-filename g2.log g2.log)
expect "-H without --only-errors: every line" "$out" $'g2.log:quiet\ng2.log:quiet'
out=$(printf 'error_code=103\n' | "$bin" -H --only-errors)
expect "-H on stdin" "$out" "(standard input):error_code=103$note103"
printf '{"error_code":"103"}\n' > "$work/j.log"
out=$(cd "$work" && "$bin" -H --format json --only-errors j.log)
expect "-H --format json" "$out" 'j.log:{"error_code":"103","coinone":[{"code":"103","category":"Order / Balance","meaning":"Lack of balance","advice":"check-funds","retry":false}]}'

# -n/--line-number, also on lines longer than the buffer (streamed in pieces or spooled).
out=$(cd "$work" && "$bin" -n --only-errors g1.log)
expect "-n --only-errors" "$out" "2:error_code=103$note103"$'\n'"4:error_code=131$note131"
numbered="1:start"$'\n'"2:error_code=103$note103"$'\n'"3:middle"$'\n'"4:error_code=131$note131"$'\n'"1:quiet"
for size in 4 65536; do
  out=$(cd "$work" && "$bin" --buffer-size=$size --line-number g1.log g2.log)
  expect "-n, every line, buffer $size" "$out" "$numbered"
  out=$(cd "$work" && "$bin" --buffer-size=$size -n --only-errors g2.log g1.log)
  expect "-n -H, buffer $size" "$out" "g1.log:2:error_code=103$note103"$'\n'"g1.log:4:error_code=131$note131"
done
timeout 10 "$bin" -F "$work/g1.log" -n 5 2>"$work/err"
expect "-n with --follow: status" "$?" 2
expect "-n with --follow: hint" "$(cat "$work/err")" \
  "coinone-annotate: -n numbers lines, which --follow does not do: did you mean --lines 5?"

# Exit statuses: the filter exits 0 whether or not it annotated; -c, -l and -q as grep.
"$bin" "$work/g2.log" >/dev/null
expect "filter, nothing found: 0" "$?" 0
out=$(cd "$work" && "$bin" -c g1.log)
expect "-c one file" "$?:$out" "0:2"
out=$(cd "$work" && "$bin" --count g1.log g2.log)
expect "-c several files" "$?:$out" $'0:g1.log:2\ng2.log:0'
out=$(cd "$work" && "$bin" -c g2.log)
expect "-c nothing found" "$?:$out" "1:0"
out=$(cd "$work" && "$bin" -c g1.log nope.log 2>/dev/null)
expect "-c trouble" "$?:$out" "2:g1.log:2"
out=$(cd "$work" && "$bin" -l g2.log g1.log g1.log)
expect "-l" "$?:$out" $'0:g1.log\ng1.log'
out=$(cd "$work" && "$bin" --files-with-errors g2.log)
expect "-l nothing found" "$?:$out" "1:"
out=$(cd "$work" && "$bin" -q g1.log)
expect "-q found" "$?:$out" "0:"
out=$(cd "$work" && "$bin" --quiet g2.log)
expect "-q none" "$?:$out" "1:"
out=$(cd "$work" && "$bin" -q g2.log nope.log 2>&1)
expect "-q trouble" "$?:$out" "2:coinone-annotate: nope.log: No such file or directory"
out=$(cd "$work" && "$bin" -q nope.log g1.log 2>/dev/null)
expect "-q found despite trouble (as grep -q)" "$?:$out" "0:"
out=$(printf 'x\nerror_code=131\n' | "$bin" -c)
expect "-c stdin" "$?:$out" "0:1"

# Every line ends at a file boundary; the last byte of the last input stays as it is.
printf 'one\ntwo' > "$work/n1.log"
printf 'three\n' > "$work/n2.log"
printf 'error_code=103' > "$work/n3.log"
for size in 3 65536; do
  expect "boundary: newline added, buffer $size" \
    "$("$bin" --buffer-size=$size "$work/n1.log" "$work/n2.log" | od -c)" "$(printf 'one\ntwo\nthree\n' | od -c)"
  expect "boundary: last byte kept, buffer $size" \
    "$("$bin" --buffer-size=$size "$work/n2.log" "$work/n1.log" | od -c)" "$(printf 'three\none\ntwo' | od -c)"
  expect "boundary: annotated line, buffer $size" \
    "$("$bin" --buffer-size=$size "$work/n3.log" - "$work/n1.log" < "$work/n1.log" | od -c)" \
    "$(printf 'error_code=103%s\none\ntwo\none\ntwo' "$note103" | od -c)"
  expect "boundary: --only-errors -H, buffer $size" \
    "$(cd "$work" && "$bin" --buffer-size=$size --only-errors n3.log n3.log | od -c)" \
    "$(printf 'n3.log:error_code=103%s\nn3.log:error_code=103%s' "$note103" "$note103" | od -c)"
done
"$bin" "$fixtures/truncated.log.zst" "$work/b.log" >"$work/out" 2>/dev/null
expect "boundary: after a truncated archive" "$(tail -n 1 "$work/out")" "plain"

# Colour: not with TERM=dumb, not into a pipe, unless --color always (a terminal made by script).
on_tty() { script -qec "$1" /dev/null </dev/null | grep -c $'\e\\['; }
expect "color: a terminal" "$(TERM=xterm on_tty "printf 'error_code=103\n' | $bin")" 1
expect "color: TERM=dumb" "$(TERM=dumb on_tty "printf 'error_code=103\n' | $bin")" 0
expect "color: TERM=dumb, always" "$(TERM=dumb on_tty "printf 'error_code=103\n' | $bin --color always")" 1

# -V: the version, the code table's source and its number of codes.
expect "version" "$("$bin" -V)" "coinone-annotate 0.1.0
code table: 100 codes, built in from data/coinone-error-codes.tsv (Coinone's error-code page, docs.coinone.co.kr/docs/error-code)"
expect "version with --codes" "$("$bin" --version --codes "$work/codes.tsv" | tail -n 1)" \
  "code table: 101 codes, built in from data/coinone-error-codes.tsv (Coinone's error-code page, docs.coinone.co.kr/docs/error-code), with $work/codes.tsv merged over it"

# --metrics HOST:0 says which port it got, and it answers there.
mkfifo "$work/metrics.fifo"
sleep 20 > "$work/metrics.fifo" &
holder=$!
"$bin" --metrics 127.0.0.1:0 < "$work/metrics.fifo" > /dev/null 2>"$work/err" &
pid=$!
for _ in $(seq 50); do grep -q 'metrics on' "$work/err" && break; sleep 0.1; done
port=$(sed -n 's|^coinone-annotate: metrics on http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' "$work/err")
health=$( [ -n "$port" ] && exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /healthz HTTP/1.0\r\n\r\n' >&3 && tail -n 1 <&3)
expect "metrics port 0: logged and serving" "$health" ok
kill "$holder" 2>/dev/null; wait "$holder" "$pid" 2>/dev/null

# Argument errors: the program's prefix and a hint, never CLI11's own wording.
arg_error() { "$bin" "$@" </dev/null >/dev/null 2>"$work/err"; echo "$?:$(cat "$work/err")"; }
expect "error: unknown option" "$(arg_error --sumary x.log)" \
  "2:coinone-annotate: unknown option --sumary: did you mean --summary?"
expect "error: unknown option with a value" "$(arg_error --sumary=json x.log)" \
  "2:coinone-annotate: unknown option --sumary=json: did you mean --summary=json?"
expect "error: unknown option, nothing near" "$(arg_error --no-such-flag)" \
  "2:coinone-annotate: unknown option --no-such-flag: see coinone-annotate --help"
expect "error: unknown short option" "$(arg_error -x)" \
  "2:coinone-annotate: unknown option -x: see coinone-annotate --help"
expect "error: bad value" "$(arg_error --lang fr)" \
  "2:coinone-annotate: --lang: fr is not one of en, ko, both"
expect "error: bad summary value" "$(arg_error --summary=xml)" \
  "2:coinone-annotate: --summary: xml is not one of text, json: --summary alone for text, --summary=json for JSON"
expect "error: missing value" "$(arg_error --codes)" \
  "2:coinone-annotate: --codes needs a value: --codes FILE"
expect "error: -H needs no --follow any more, --state does" "$(arg_error --state s.state x.log)" \
  "2:coinone-annotate: --state needs --follow: add -F, or leave --state out"
for args in "--lang fr" "--bogus" "--color=sometimes" "--buffer-size 0" "--lines x -F a" "-q -c -F a"; do
  # shellcheck disable=SC2086
  err=$(arg_error $args)
  expect "error prefix: $args" "${err:0:19}" "2:coinone-annotate:"
  expect "error wording: $args" "$(grep -c 'The following argument' "$work/err")" 0
done

# {retry} of an unknown code is "unknown"; an empty --template is an error.
out=$(printf 'coinone error_code=9999\n' | "$bin" --template '<{code} retry={retry}>')
expect "template: retry of an unknown code" "$out" "coinone error_code=9999 <9999 retry=unknown>"
expect "template: empty" "$(arg_error --template '')" \
  "2:coinone-annotate: --template is empty: give a template such as '{code} {meaning}', or leave it out for the default form"

# --help reads like grep's: usage first, every option once, in the four groups, exit statuses;
# the README's Usage table lists the same options in the same groups.
expect "help: usage first" "$(head -n 1 "$work/help")" "Usage: coinone-annotate [OPTION]... [FILE]..."
expect "help: groups" "$(grep -E '^[A-Z][A-Za-z ]+:$' "$work/help" | tr '\n' ' ')" \
  "Matching: Output: Following: Report: Miscellaneous: Exit status: "
grep -oE '^  (-[A-Za-z], )?--[a-z-]+' "$work/help" | sed 's/.*--/--/' > "$work/help-options"
expect "help: every option once" "$(sort "$work/help-options" | uniq -d)" ""
expect "help: the options" "$(sort "$work/help-options" | tr '\n' ' ')" \
  "$(printf '%s\n' --codes --color --count --explain --files-with-errors --follow --format --help \
     --lang --line-number --lines --list-codes --metrics --no-exchange-check --no-filename \
     --olddir --only-errors --pattern --probe --quiet --sort --state --summary --summary-file \
     --template --threads --tz --version --with-filename | sort | tr '\n' ' ')"
expect "help: exit statuses" "$(grep -cE '^  [012] ' "$work/help")" 3
readme=$(dirname "$0")/../../README.md
sed -n '/^## Usage/,/^### /p' "$readme" > "$work/usage"
grep -oE '^\| `(-[A-Za-z], )?--[a-z-]+' "$work/usage" | sed 's/.*--/--/' > "$work/readme-options"
expect "README: every option once, as in --help" "$(tr '\n' ' ' < "$work/readme-options")" \
  "$(tr '\n' ' ' < "$work/help-options")"
expect "README: groups" "$(grep -oE '^\| \*\*[A-Za-z ]+\*\*' "$work/usage" | tr -d '|*' | tr '\n' ' ')" \
  " Matching  Output  Following  Report  Miscellaneous "

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
