# Sourced by the shell end-to-end tests: expect NAME ACTUAL WANTED counts a check in $passed or
# $failed and prints a failure with both values quoted.
passed=0 failed=0

expect() {  # expect NAME ACTUAL WANTED
  if [ "$2" == "$3" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL: %s\n  want: %q\n  got:  %q\n' "$1" "$3" "$2"
  fi
}
