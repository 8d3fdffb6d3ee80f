# Sourced by run_cli_tests.sh: seeded random problems and options through `gaus schedule`
# (tests/cli/solver_stress.py says what each run must satisfy).
mkdir -p "$tmp/stress"
expect 0 "solver stress: 100 random problems and options" -- \
  python3 "$(dirname "$0")/solver_stress.py" "$GAUS" 100 20261123 "$tmp/stress"
check "solver stress: summary printed" -- grep -q "100 runs, 0 failures" "$tmp/out"
