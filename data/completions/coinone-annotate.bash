# bash completion for coinone-annotate                                     -*- shell-script -*-
# Installed to share/bash-completion/completions/coinone-annotate, where bash-completion loads it
# on first use. Every option of `coinone-annotate --help` is listed here: the test docs.completion
# (tests/e2e/docs.sh) fails when an option is missing. Values that the options take are completed
# from what the option accepts (file names, directories, the languages, time zones, the codes of
# the table).

_coinone_annotate() {
  local cur prev words cword split
  _init_completion -s || return

  case $prev in
    --codes | --state | --summary-file)
      _filedir
      return
      ;;
    --olddir)
      _filedir -d
      return
      ;;
    --lang)
      COMPREPLY=($(compgen -W 'en ko both' -- "$cur"))
      return
      ;;
    --format)
      COMPREPLY=($(compgen -W 'text json' -- "$cur"))
      return
      ;;
    --color)
      COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
      return
      ;;
    --summary)
      # Only as --summary=json: a word after a bare --summary is a file.
      if $split; then
        COMPREPLY=($(compgen -W 'text json' -- "$cur"))
        return
      fi
      ;;
    --sort)
      COMPREPLY=($(compgen -W 'time' -- "$cur"))
      return
      ;;
    --tz)
      local zones
      zones=$(awk '!/^#/ { print $3 }' /usr/share/zoneinfo/zone1970.tab 2>/dev/null)
      COMPREPLY=($(compgen -W "UTC $zones" -- "$cur"))
      return
      ;;
    --explain)
      # The codes of the built-in table, as --list-codes prints them (a code starts its block).
      local codes
      codes=$("$1" --list-codes 2>/dev/null | awk '/^[0-9]/ { print $1 }')
      COMPREPLY=($(compgen -W "$codes" -- "$cur"))
      return
      ;;
    --metrics)
      COMPREPLY=($(compgen -W '127.0.0.1:9464 0.0.0.0:9464 9464' -- "$cur"))
      return
      ;;
    --probe)
      COMPREPLY=($(compgen -W 'http://127.0.0.1:9464/healthz' -- "$cur"))
      return
      ;;
    --pattern | --template | --lines | -j | --threads)
      return  # free text or a number
      ;;
  esac
  $split && return

  if [[ $cur == -* ]]; then
    local opts='
      --codes --pattern --no-exchange-check --explain --list-codes --lang
      --format --template --only-errors --color
      -H --with-filename --no-filename -n --line-number -c --count -q --quiet
      -l --files-with-errors
      -F --follow --state --olddir --lines -j --threads
      --summary --summary-file --tz --sort --metrics --probe
      -h --help -V --version'
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  _filedir
} &&
  complete -F _coinone_annotate coinone-annotate

# ex: filetype=sh
