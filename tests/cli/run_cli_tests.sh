#!/usr/bin/env bash
# End-to-end tests of the gaus tool: exit codes, outputs and error messages.
# Env: GAUS (the binary), GAUS_SHARED_DATA_DIR (../shared/data), GAUS_TEST_DATA_DIR (tests/data).
set -u
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect CODE DESCRIPTION -- command...
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $what: exit $got, expected $want"
    sed 's/^/  stdout: /' "$tmp/out" | head -5
    sed 's/^/  stderr: /' "$tmp/err" | head -5
  fi
}
# check DESCRIPTION -- command... (a shell test on the last outputs)
check() {
  local what=$1
  shift 2
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what"; fi
}

expect 0 "version" -- "$GAUS" --version
expect 2 "unknown subcommand" -- "$GAUS" frobnicate
expect 2 "no subcommand" -- "$GAUS"
expect 0 "devices" -- "$GAUS" devices
check "devices names the backend" -- grep -q "CUDA backend" "$tmp/out"

for f in "$(dirname "$0")"/cases/*.sh; do
  [ -e "$f" ] || continue
  # shellcheck source=/dev/null
  . "$f"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
