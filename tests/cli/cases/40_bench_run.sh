# Sourced by run_cli_tests.sh: bench/run.py on a one-graph suite folder (tests/data's GML as an
# rw instance): the alap method, a per-method time limit (--method-time-limit) and cpu_s.
runpy="$(dirname "$0")/../../bench/run.py"
mkdir -p "$tmp/brun/data/rw"
cp "$GAUS_TEST_DATA_DIR/gml_small.gml" "$tmp/brun/data/rw/"
expect 0 "bench run: alap and a per-method limit" -- python3 "$runpy" --suites rw \
  --methods asap,alap,gaus-cpu --time-limit 7 --method-time-limit gaus-cpu=0.5 --gaus "$GAUS" \
  --data-dir "$tmp/brun/data" --out-dir "$tmp/brun" --run-id r
check "bench run: alap legal, gaus at its own limit, CPU seconds recorded" -- \
  python3 - "$tmp/brun/r/results.json" <<'PY'
import sys, json
d = json.load(open(sys.argv[1]))
assert d["meta"]["method_time_limit_s"] == {"gaus-cpu": 0.5}, d["meta"]
rr = {r["method"]: r for r in d["results"]}
assert rr["alap"]["status"] == "ok" and rr["alap"]["legal"], rr["alap"]
assert "--method alap --horizon" in rr["alap"]["command"], rr["alap"]["command"]
assert "--time-limit 0.5 " in rr["gaus-cpu"]["command"], rr["gaus-cpu"]["command"]
assert all(isinstance(r["cpu_s"], float) and r["cpu_s"] >= 0 for r in rr.values())
assert rr["gaus-cpu"]["time_s"] < 7, rr["gaus-cpu"]["time_s"]
PY
check "bench run: csv has cpu_s" -- grep -q '^suite,.*,time_s,cpu_s,' "$tmp/brun/r/results.csv"
expect 2 "bench run: --method-time-limit needs a known method" -- python3 "$runpy" \
  --method-time-limit bogus=3 --gaus "$GAUS" --data-dir "$tmp/brun/data"
check "bench run: the message says what is expected" -- grep -q 'METHOD=SECONDS' "$tmp/err"
expect 2 "bench run: --method-time-limit needs positive seconds" -- python3 "$runpy" \
  --method-time-limit cpsat=0 --gaus "$GAUS" --data-dir "$tmp/brun/data"

# machsuite: the II's proof in every gaus row (tests/data's GraphML loop as the one instance)
mkdir -p "$tmp/brun/data/hatschet/MachSuite/k"
cp "$GAUS_TEST_DATA_DIR/graphml_small.graphml" "$tmp/brun/data/hatschet/MachSuite/k/graph1.graphml"
cp "$GAUS_TEST_DATA_DIR/graphml_small_RM.xml" "$tmp/brun/data/hatschet/MachSuite/k/graph1_RM.xml"
expect 0 "bench run: machsuite with the II's proof" -- python3 "$runpy" --suites machsuite \
  --methods list,gaus-cpu --time-limit 1 --gaus "$GAUS" --data-dir "$tmp/brun/data" \
  --out-dir "$tmp/brun" --run-id m
check "bench run: gaus rows carry ii_lower_bound and ii_proven_minimal" -- \
  python3 - "$tmp/brun/m/results.json" <<'PY'
import sys, json
d = json.load(open(sys.argv[1]))
g = [r for r in d["results"] if r["method"] == "gaus-cpu"][0]
assert g["legal"] and g["ii"] >= g["ii_lower_bound"] >= 1, g
assert g["ii_proven_minimal"] == (g["ii"] == g["ii_lower_bound"]), g
PY
check "bench run: the CSV has the II's proof" -- grep -q ',ii_lower_bound,ii_proven_minimal,' \
  "$tmp/brun/m/results.csv"
