# Sourced by run_cli_tests.sh: `gaus schedule --method gaus --prove SECONDS` (tools/prove_step.hpp):
# the solve's best schedule handed to CBC, proofs on EXPRESS, the process limit of --time-limit +
# SECONDS, refusals. Where the tool was built without CBC (`gaus devices` says), the refusal only.
pq() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
fir8="$(dirname "$0")/../../examples/fir8.json"
data=${GAUS_SHARED_DATA_DIR:-}
if "$GAUS" devices | grep -q "exact prover (CBC, --prove): built"; then
  # fir8's latency is proven by the cheap bound: nothing left to prove
  expect 0 "prove: rcs on fir8" -- "$GAUS" schedule "$fir8" --method gaus --time-limit 2 \
    --prove 10 --out "$tmp/pr_fir8.json"
  check "prove: skipped where the solver proved the optimum" -- test "$(pq "$tmp/pr_fir8.json" \
    "d['optimal'] and d['prove']['status'].startswith('skipped: the solver proved')")" = True
  # B at the solver's horizon: whatever CBC does, the result is legal and says what is proven
  expect 0 "prove: B on fir8" -- "$GAUS" schedule "$fir8" --method gaus --formulation B \
    --time-limit 1 --prove 5 --out "$tmp/pr_b.json"
  check "prove: B's result legal, optimal iff it meets its bound" -- test "$(pq "$tmp/pr_b.json" \
    "d['legal'] and 'prove' in d and d['optimal'] == (d['objective'] <= d['lower_bound'])")" = True
  expect 0 "prove: B's schedule passes gaus verify" -- "$GAUS" verify "$fir8" "$tmp/pr_b.json"
  # the process limit: a 4,000-op graph CBC cannot finish, --time-limit 1 --prove 2
  expect 0 "prove: a 4,000-op graph" -- "$GAUS" generate --ops 4000 --seed 3 --out "$tmp/pr_big.json"
  expect 0 "prove: --time-limit 1 --prove 2 on it" -- python3 -c '
import subprocess, sys, time
t = time.monotonic()
rc = subprocess.run(sys.argv[2:], capture_output=True).returncode
open(sys.argv[1], "w").write("%.3f\n" % (time.monotonic() - t))
sys.exit(rc)' "$tmp/pr_big.wall" "$GAUS" schedule "$tmp/pr_big.json" --method gaus \
    --formulation B --time-limit 1 --prove 2 --backend cpu --out "$tmp/pr_big.s.json"
  check "prove: ended within 3 s, writing included ($(cat "$tmp/pr_big.wall") s)" -- \
    python3 -c "import sys; sys.exit(0 if float(open('$tmp/pr_big.wall').read()) < 3.0 else 1)"
  check "prove: ... with a legal schedule and the prover's status" -- test "$(pq \
    "$tmp/pr_big.s.json" "d['legal'] and bool(d['prove']['status'])")" = True

  if [ -n "$data" ] && [ -f "$data/express/idctcol_dfg__3.dot" ]; then
    # idctcol: latency 22 against a cheap bound of 21; CBC proves 22 in well under a second
    expect 0 "prove: idctcol" -- "$GAUS" schedule "$data/express/idctcol_dfg__3.dot" \
      --library "$data/express/limits.json" --method gaus --time-limit 1 --prove 60 \
      --out "$tmp/pr_idct.json"
    check "prove: idctcol proven optimal at 22" -- test "$(pq "$tmp/pr_idct.json" \
      "(d['latency'], d['lower_bound'], d['optimal'], d['gap'], d['prove']['status'])")" = \
      "(22, 22.0, True, 0.0, 'optimal')"
    check "prove: the summary says optimal" -- grep -q "latency 22 (optimal)" "$tmp/out"
    expect 0 "prove: idctcol passes gaus verify" -- "$GAUS" verify \
      "$data/express/idctcol_dfg__3.dot" "$tmp/pr_idct.json" --library "$data/express/limits.json"
  else
    echo "skipping shared-data --prove cases: no data at '$data'"
  fi
  # C: the II. fir8 has no recurrence: its II meets max(ResMII, RecMII), nothing to prove
  expect 0 "prove: C on fir8" -- "$GAUS" schedule "$fir8" --method gaus --formulation C \
    --time-limit 1 --prove 5 --out "$tmp/pr_c.json"
  check "prove: C's II proven minimal by the bound" -- test "$(pq "$tmp/pr_c.json" \
    "(d['ii'] == d['ii_lower_bound'], d['ii_proven_minimal'], d['prove']['status'])")" = \
    "(True, True, 'skipped: the II meets max(ResMII, RecMII)')"
  if [ -n "$data" ] && [ -f "$data/hatschet/MachSuite/stencil3d/graph9.graphml" ]; then
    # stencil3d graph9: RecMII 7; unit conflicts on its recurrences raise the bound to 9, the
    # solver's II: proven without CBC (CBC used to refute 7 and 8)
    st="$data/hatschet/MachSuite/stencil3d/graph9.graphml"
    expect 0 "prove: C on stencil3d graph9" -- "$GAUS" schedule "$st" --method gaus \
      --formulation C --time-limit 1 --prove 60 --out "$tmp/pr_st.json"
    check "prove: II 9 proven minimal by the conflict bound" -- test "$(pq "$tmp/pr_st.json" \
      "(d['ii'], d['ii_lower_bound'], d['ii_proven_minimal'], d['prove']['status'])")" = \
      "(9, 9, True, 'skipped: the II meets the bound of unit conflicts on recurrences')"
    expect 0 "prove: stencil3d graph9 passes gaus verify" -- "$GAUS" verify "$st" "$tmp/pr_st.json"
  fi
else
  expect 2 "prove: refused without CBC" -- "$GAUS" schedule "$fir8" --method gaus --prove 5 \
    --out "$tmp/pr_none.json"
  check "prove: ... saying why" -- grep -q "built without CBC" "$tmp/err"
fi
expect 2 "prove: needs --method gaus" -- "$GAUS" schedule "$fir8" --method list --prove 5 \
  --out "$tmp/pr_list.json"
check "prove: ... saying so, writing nothing" -- test "$(grep -c "needs --method gaus" "$tmp/err")" -ge 1 -a ! -e "$tmp/pr_list.json"
expect 2 "prove: a non-positive time refused" -- "$GAUS" schedule "$fir8" --method gaus \
  --prove 0 --out "$tmp/pr_zero.json"
