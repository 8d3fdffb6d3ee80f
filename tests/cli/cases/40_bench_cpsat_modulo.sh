# Sourced by run_cli_tests.sh: the harness's CP-SAT baseline of formulation C, when OR-Tools is
# installed. Its II decisions, minimum II and memory model against brute force on tiny loops,
# and the harness's modulo memory against gaus's (tests/cli/cpsat_modulo_brute.py); then the
# cpsat method of bench/run.py on tests/data's GraphML loop as a one-graph machsuite suite.
if python3 -c "import ortools" 2>/dev/null; then
  expect 0 "bench cpsat C: minimum II and memory as brute force" -- \
    python3 "$(dirname "$0")/cpsat_modulo_brute.py" 25 20261207 "$GAUS"
  check "bench cpsat C: every loop compared" -- grep -q '^29 loops, [0-9]* II decisions' "$tmp/out"

  mkdir -p "$tmp/bcm/data/hatschet/MachSuite/k"
  cp "$GAUS_TEST_DATA_DIR/graphml_small.graphml" "$tmp/bcm/data/hatschet/MachSuite/k/graph1.graphml"
  cp "$GAUS_TEST_DATA_DIR/graphml_small_RM.xml" "$tmp/bcm/data/hatschet/MachSuite/k/graph1_RM.xml"
  expect 0 "bench cpsat C: a machsuite run" -- python3 "$(dirname "$0")/../../bench/run.py" \
    --suites machsuite --methods cpsat --time-limit 1 --cpsat-workers 1 --gaus "$GAUS" \
    --data-dir "$tmp/bcm/data" --out-dir "$tmp/bcm" --run-id c
  check "bench cpsat C: a legal schedule at a proven II, its memory and attempts recorded" -- \
    python3 - "$tmp/bcm/c/results.json" <<'PY'
import sys, json
r = json.load(open(sys.argv[1]))["results"][0]
assert r["method"] == "cpsat" and r["status"] == "ok" and r["legal"], r
assert r["ii"] == r["ii_lower_bound"] == max(r["res_mii"], r["rec_mii"]), r
assert r["ii_proven_minimal"] is True and r["objective"] is not None, r
assert r["model"] == "cpsat-residue-cumulative-C" and r["attempts"], r
assert r["note"].startswith("CP-SAT II "), r["note"]
PY
fi
