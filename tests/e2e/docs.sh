#!/usr/bin/env bash
# The installable documentation (#13): the man page that help2man made from --help renders with
# man(1) and has every section and every option of --help, and the bash and zsh completions know
# every option of --help, so that an option added without its completion fails here.
#   docs.sh BINARY MAN_PAGE COMPLETIONS_DIR
set -u
bin=$1
page=$2
completions=$(realpath "$3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"

# option_names: the options of the option lines on stdin, one a line, sorted. An option line is
# indented by at most 8 columns and starts with '-' (--help's "  -c, --count  ..." or
# "  --lang TEXT ...", the rendered page's "       -F,--follow"); only its first column counts
# (up to two spaces), so that "--follow" in a description is not taken for an option.
option_names() {
  grep -E '^ {1,8}-' | sed -E 's/^ +//; s/  .*//' |
    grep -oE '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed -E 's/^[ ,]//' | sort -u
}
# missing WANTED_FILE ACTUAL_FILE: the lines of WANTED that ACTUAL lacks, on one line.
missing() { comm -23 "$1" "$2" | tr '\n' ' '; }

"$bin" --help > "$work/help"
expect "--help: status 0" "$?" 0
option_names < "$work/help" > "$work/help-options"
n=$(wc -l < "$work/help-options")
# --help itself is an option: an empty list would make every check below pass.
if grep -qx -- --help "$work/help-options" && [ "$n" -ge 20 ]; then
  expect "--help: options found" ok ok
else
  expect "--help: options found ($n)" "$(tr '\n' ' ' < "$work/help-options")" "20 or more, --help among them"
fi

# --- the man page ---------------------------------------------------------------------------
# MANWIDTH: lines wide enough that no option spec is wrapped; LC_ALL=C: ASCII hyphens.
MANWIDTH=120 LC_ALL=C man -l "$page" > "$work/man" 2> "$work/man.err"
expect "man -l: status" "$?" 0
expect "man -l: nothing on stderr" "$(cat "$work/man.err")" ""
expect "man: NAME" "$(grep -A1 '^NAME$' "$work/man" | tail -n 1 | sed -E 's/^ +//')" \
  "coinone-annotate - annotate Coinone API error codes in trading-bot logs"
expect "man: SYNOPSIS" "$(grep -A1 '^SYNOPSIS$' "$work/man" | tail -n 1 | grep -oE '^ +coinone-annotate ')" \
  "       coinone-annotate "
# The sections, in man-pages(7)'s order: help2man's from --help, then those of the .h2m file.
expect "man: sections" "$(grep -E '^(NAME|SYNOPSIS|DESCRIPTION|EXIT STATUS|ENVIRONMENT|FILES|EXAMPLES|SEE ALSO)$' "$work/man" | tr '\n' ,)" \
  "NAME,SYNOPSIS,DESCRIPTION,EXIT STATUS,ENVIRONMENT,FILES,EXAMPLES,SEE ALSO,"
expect "man: exit statuses 0, 1, 2" "$(sed -n '/^EXIT STATUS$/,/^[A-Z]/p' "$work/man" | grep -oE '^ {7}[0-9] ' | tr -d ' \n')" \
  "012"
grep -E '^ {7}-' "$work/man" | option_names > "$work/man-options"
expect "man: every option of --help has its entry" "$(missing "$work/help-options" "$work/man-options")" ""

# --- bash -----------------------------------------------------------------------------------
# Runs the completion function as bash would for the words given (the last is the one being
# completed) and prints the candidates, one a line, sorted.
cat > "$work/complete.bash" <<'EOF'
source /usr/share/bash-completion/bash_completion || exit 3
source "$COMPLETION" || exit 3
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  # The line as typed: bash splits --summary=j into "--summary" "=" "j", the line has no spaces.
  COMP_LINE=$1
  local i
  for ((i = 1; i < $#; i++)); do
    [[ ${COMP_WORDS[i]} == = || ${COMP_WORDS[i - 1]} == = ]] || COMP_LINE+=" "
    COMP_LINE+=${COMP_WORDS[i]}
  done
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _coinone_annotate "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  [ "${#COMPREPLY[@]}" -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}
complete_words "$@"
EOF
bash_complete() { COMPLETION=$completions/coinone-annotate.bash bash "$work/complete.bash" "$bin" "$@"; }
bash_complete - > "$work/bash-options"
expect "bash: completes options" "$?" 0
expect "bash: every option of --help" "$(missing "$work/help-options" "$work/bash-options")" ""
expect "bash: --lang" "$(bash_complete --lang '' | tr '\n' ' ')" "both en ko "
expect "bash: --format j" "$(bash_complete --format j | tr '\n' ' ')" "json "
expect "bash: --color" "$(bash_complete --color '' | tr '\n' ' ')" "always auto never "
expect "bash: --summary=j (as bash splits it at =)" "$(bash_complete --summary = j | tr '\n' ' ')" "json "
expect "bash: --explain 10: the table's codes" "$(bash_complete --explain 10 | head -n 3 | tr '\n' ' ')" \
  "$("$bin" --list-codes | grep -oE '^10[0-9]*' | sort | head -n 3 | tr '\n' ' ')"
mkdir "$work/logs" && touch "$work/logs/bot.log" "$work/logs/bot.log.1"
expect "bash: file names" "$(cd "$work/logs" && bash_complete bot | tr '\n' ' ')" "bot.log bot.log.1 "
expect "bash: --olddir: directories only" "$(cd "$work" && bash_complete --olddir '' | tr '\n' ' ')" "logs "

# --- zsh ------------------------------------------------------------------------------------
# The file is the body of the function _coinone-annotate. With _arguments replaced by a function
# that prints its arguments, running it prints the option specs, e.g.
# '(-c --count)-c[print the number ...]' or '--lang=[language ...]:language:(en ko both)'.
zfile=$completions/_coinone-annotate
expect "zsh: #compdef line" "$(head -n 1 "$zfile")" "#compdef coinone-annotate"
expect "zsh: syntax (zsh -n)" "$(zsh -n "$zfile" 2>&1; echo "$?")" 0
zsh -f -c '_arguments() { print -rl -- "$@" }; source "$1"' _ "$zfile" > "$work/zsh-specs" 2> "$work/zsh.err"
expect "zsh: runs with _arguments" "$?:$(cat "$work/zsh.err")" "0:"
sed -nE 's/^(\([^)]*\))?\*?(-[A-Za-z0-9]|--[a-z0-9][a-z0-9-]*)(\[|=|\+).*/\2/p' "$work/zsh-specs" | sort -u \
  > "$work/zsh-options"
expect "zsh: every option of --help" "$(missing "$work/help-options" "$work/zsh-options")" ""
expect "zsh: --lang values" "$(grep -E '^--lang=' "$work/zsh-specs" | sed 's/.*://')" "(en ko both)"

# Options of the completions that --help does not know: an option renamed or removed, or one
# whose branch is not merged yet. Reported, not failed.
extra=$(sort -u "$work/bash-options" "$work/zsh-options" | comm -13 "$work/help-options" - | tr '\n' ' ')
[ -z "$extra" ] || echo "note: the completions know options that --help does not list: $extra"

echo "docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
