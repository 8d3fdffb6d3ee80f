# Sourced by run_cli_tests.sh: expect/check, $GAUS, $tmp, $GAUS_SHARED_DATA_DIR are defined.
ex="$(dirname "$0")/../../examples/fir8.json"
jq_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# info
expect 0 "info text" -- "$GAUS" info "$ex"
check "info names the critical path" -- grep -q "critical path" "$tmp/out"
expect 0 "info json" -- "$GAUS" info "$ex" --json
cp "$tmp/out" "$tmp/info.json"
check "info json counts ops" -- test "$(jq_py "$tmp/info.json" "d['ops']")" = 24
check "info json counts edges" -- test "$(jq_py "$tmp/info.json" "d['edges']")" = 23
check "info json critical path" -- test "$(jq_py "$tmp/info.json" "d['critical_path']")" = 7

# schedule with every heuristic, then verify
unlimited="--limit mul=-1 --limit add=-1 --limit load=-1 --limit store=-1"
for m in asap alap fds; do
  # time-constrained methods ignore unit limits: legal once the limits are lifted
  expect 0 "schedule --method $m, no limits" -- "$GAUS" schedule "$ex" --method $m $unlimited --out "$tmp/s_$m.json"
  expect 1 "schedule --method $m under limits is illegal" -- "$GAUS" schedule "$ex" --method $m --out "$tmp/u_$m.json"
  check "$m: the report says ILLEGAL" -- grep -q "ILLEGAL" "$tmp/out"
done
# fds out of time: the free ops go to their earliest steps, still legal, and the label says so
expect 0 "fds --time-limit 0" -- "$GAUS" schedule "$ex" --method fds $unlimited --horizon 10 --time-limit 0 --out "$tmp/f0.json"
check "fds cut short: the method names the time limit" -- grep -q "time limit" "$tmp/f0.json"
check "fds cut short: legal" -- test "$(jq_py "$tmp/f0.json" "d['legal']")" = True
check "fds to the end: no time-limit note" -- test "$(jq_py "$tmp/s_fds.json" "d['method']")" = fds
expect 0 "schedule --method list" -- "$GAUS" schedule "$ex" --method list --out "$tmp/s_list.json"
check "list schedule is legal" -- test "$(jq_py "$tmp/s_list.json" "d['legal']")" = True
expect 0 "verify list under limits" -- "$GAUS" verify "$ex" "$tmp/s_list.json"
# asap ignores unit limits: illegal under the file's limits, and verify says why
expect 1 "verify asap under limits" -- "$GAUS" verify "$ex" "$tmp/s_asap.json"
check "verify names the capacity violation" -- grep -q "capacity" "$tmp/out"

# an illegal schedule forced into a file is caught
python3 - "$tmp/s_list.json" "$tmp/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["starts"]["st"] = 0; d["legal"] = True
json.dump(d, open(sys.argv[2], "w"))
PY
expect 1 "verify catches a forged schedule" -- "$GAUS" verify "$ex" "$tmp/bad.json"
check "violation names the edge" -- grep -q "'st'" "$tmp/out"

# bad usage and bad input: exit 2, nothing written
expect 2 "unknown method" -- "$GAUS" schedule "$ex" --method nope --out "$tmp/x.json"
expect 2 "unwritable output" -- "$GAUS" schedule "$ex" --out "$tmp/missing/dir/s.json"
check "no partial output" -- test ! -e "$tmp/missing"
expect 2 "missing input" -- "$GAUS" info "$tmp/nonexistent.json"
check "message names the file" -- grep -q "nonexistent.json" "$tmp/err"
printf '{"format": "gaus", "version": 1, "ops": [{"name": "a"}], "edges": [{"from": "a", "to": "b"}]}' >"$tmp/unknown_op.json"
expect 2 "edge to an unknown op" -- "$GAUS" info "$tmp/unknown_op.json"
check "message names the unknown op" -- grep -q "'b'" "$tmp/err"
expect 1 "horizon below the critical path" -- "$GAUS" schedule "$ex" --method alap --horizon 3 --out "$tmp/h.json"
check "no output for an infeasible horizon" -- test ! -e "$tmp/h.json"
expect 1 "list schedule over a short horizon is illegal" -- "$GAUS" schedule "$ex" --method list --horizon 7 --out "$tmp/l7.json"

# convert round trip keeps the counts
expect 0 "convert to json" -- "$GAUS" convert "$ex" --to json --out "$tmp/c.json"
expect 0 "info on converted" -- "$GAUS" info "$tmp/c.json" --json
check "converted keeps ops" -- test "$(python3 -c "import json,sys; print(json.load(sys.stdin)['ops'])" <"$tmp/out")" = 24
expect 0 "convert to dot" -- "$GAUS" convert "$ex" --to dot
check "dot output is a digraph" -- grep -q "digraph" "$tmp/out"
expect 0 "convert to dot with a schedule" -- "$GAUS" convert "$ex" --to dot --schedule "$tmp/s_list.json" --out "$tmp/s.dot"
check "scheduled dot ranks ops by step" -- grep -q "rank = same" "$tmp/s.dot"
expect 2 "--schedule needs --to dot" -- "$GAUS" convert "$ex" --to json --schedule "$tmp/s_list.json"
