# Sourced by run_cli_tests.sh: the harness's CP-SAT models (every model of A, B and rcs) prove
# the optimum brute force finds on small random graphs (tests/cli/cpsat_brute.py), when
# OR-Tools is installed.
if python3 -c "import ortools" 2>/dev/null; then
  expect 0 "bench cpsat: every model optimal on small graphs, as brute force" -- \
    python3 "$(dirname "$0")/cpsat_brute.py" 4 20261206
  check "bench cpsat: every solve compared" -- grep -q '^25 model solves optimal' "$tmp/out"
fi
