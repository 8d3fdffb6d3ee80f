# Sourced by run_cli_tests.sh: the gradient solver through `gaus schedule --method gaus`.
ex="$(dirname "$0")/../../examples/fir8.json"
jq_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# An infinite time limit runs exactly --restarts restarts (a finite one is filled with more).
few="--iterations 60 --time-limit inf --backend cpu"

for f in rcs A B C; do
  expect 0 "gaus --formulation $f" -- "$GAUS" schedule "$ex" --method gaus --formulation $f $few --out "$tmp/g_$f.json"
  check "gaus $f: legal" -- test "$(jq_py "$tmp/g_$f.json" "d['legal']")" = True
  check "gaus $f: history recorded" -- test "$(jq_py "$tmp/g_$f.json" "len(d['history']) > 0")" = True
  check "gaus $f: restarts summarized" -- test "$(jq_py "$tmp/g_$f.json" "d['restarts']['count']")" = 1
  expect 0 "gaus $f: the written schedule verifies" -- "$GAUS" verify "$ex" "$tmp/g_$f.json"
done
check "C reports an II" -- test "$(jq_py "$tmp/g_C.json" "d['ii'] > 0")" = True
expect 0 "C at a given II" -- "$GAUS" schedule "$ex" --method gaus --formulation C --ii 10 $few --out "$tmp/g_c10.json"
check "C keeps the given II" -- test "$(jq_py "$tmp/g_c10.json" "d['ii']")" = 10
check "not a terminal: no carriage-return bar on stderr" -- test "$(grep -c $'\r' "$tmp/err")" = 0

# rcs never loses to list scheduling
expect 0 "list for comparison" -- "$GAUS" schedule "$ex" --method list --out "$tmp/g_list.json"
check "rcs latency <= list latency" -- test "$(jq_py "$tmp/g_rcs.json" "d['latency']")" -le "$(jq_py "$tmp/g_list.json" "d['latency']")"

# same seed, same schedule; restarts are reported one by one
expect 0 "seeded run 1" -- "$GAUS" schedule "$ex" --method gaus --formulation B --restarts 3 --seed 7 $few --out "$tmp/s1.json"
expect 0 "seeded run 2" -- "$GAUS" schedule "$ex" --method gaus --formulation B --restarts 3 --seed 7 $few --out "$tmp/s2.json"
check "deterministic starts" -- test "$(jq_py "$tmp/s1.json" "d['starts']")" = "$(jq_py "$tmp/s2.json" "d['starts']")"
check "three restarts" -- test "$(jq_py "$tmp/s1.json" "len(d['restarts']['best'])")" = 3

# the initial mu: each init runs and verifies; an unknown one is a usage error
for init in midpoint list alap; do
  expect 0 "init $init" -- "$GAUS" schedule "$ex" --method gaus --formulation B --init $init $few --out "$tmp/i_$init.json"
  check "init $init: legal" -- test "$(jq_py "$tmp/i_$init.json" "d['legal']")" = True
done
expect 2 "unknown init" -- "$GAUS" schedule "$ex" --method gaus --init asap $few --out "$tmp/i_bad.json"
check "unknown init: no file written" -- test ! -e "$tmp/i_bad.json"

# annealing (A, B, C) is on by default and says so; --no-anneal leaves the descent alone
check "B: the status counts the annealing runs (best and list schedules after the descent)" -- grep -q "memory annealing: 2 runs" "$tmp/g_B.json"
expect 0 "B without annealing" -- "$GAUS" schedule "$ex" --method gaus --formulation B --no-anneal $few --out "$tmp/na.json"
check "no-anneal: legal" -- test "$(jq_py "$tmp/na.json" "d['legal']")" = True
check "no-anneal: no annealing in the status" -- test "$(jq_py "$tmp/na.json" "'annealing' in d['status']")" = False
check "no-anneal: never better than with it" -- test "$(jq_py "$tmp/na.json" "d['objective'] >= json.load(open('$tmp/g_B.json'))['objective']")" = True
check "A anneals its stage score" -- test "$(jq_py "$tmp/g_A.json" "'stage annealing: 2 runs' in d['status']")" = True

# time limit 0 still returns a verified schedule
expect 0 "time limit 0" -- "$GAUS" schedule "$ex" --method gaus --formulation rcs --time-limit 0 --out "$tmp/t0.json"
check "time limit 0: status says so (or the start is proven optimal)" -- \
  test "$(jq_py "$tmp/t0.json" "d['status'].startswith('time limit') or d['optimal']")" = True
expect 0 "B, time limit 0" -- "$GAUS" schedule "$ex" --method gaus --formulation B --time-limit 0 --out "$tmp/t0b.json"
check "B, time limit 0: status says so (or the start is proven optimal)" -- \
  test "$(jq_py "$tmp/t0b.json" "d['status'].startswith('time limit') or d['optimal']")" = True

# a horizon no schedule can meet: exit 1, the least-violating schedule written with legal false
expect 1 "B at a horizon too short for the unit limits" -- "$GAUS" schedule "$ex" --method gaus --formulation B --horizon 7 $few --out "$tmp/short.json"
check "short: legal false" -- test "$(jq_py "$tmp/short.json" "d['legal']")" = False
check "short: status names the horizon" -- grep -q "no legal schedule found at D=7" "$tmp/short.json"
check "short: the violations are listed" -- test "$(jq_py "$tmp/short.json" "d['violation_count'] > 0 and len(d['violations']) > 0")" = True
check "short: the verdict is printed" -- grep -q "ILLEGAL" "$tmp/out"

# a finite time limit is used whole: restarts continue after the planned one until it runs out
expect 0 "B filling 1.5 s" -- "$GAUS" schedule "$ex" --method gaus --formulation B --iterations 60 --time-limit 1.5 --backend cpu --out "$tmp/fill.json"
check "fill: extra restarts ran (or a lower bound was met)" -- test "$(jq_py "$tmp/fill.json" "d['restarts']['extra'] > 0 or 'lower bound' in d['status']")" = True
check "fill: restarts counted" -- test "$(jq_py "$tmp/fill.json" "d['restarts']['count'] == 1 + d['restarts']['extra'] == len(d['restarts']['best'])")" = True
expect 0 "fill: the written schedule verifies" -- "$GAUS" verify "$ex" "$tmp/fill.json"
expect 2 "negative time limit" -- "$GAUS" schedule "$ex" --method gaus --time-limit -1 --out "$tmp/x.json"
check "negative time limit: a readable message" -- grep -q "time-limit: must be a number >= 0 (or inf), got '-1'" "$tmp/err"
# Option values are checked with readable messages (no DBL_MAX ranges), nothing written.
for bad in "--restarts 0" "--horizon -1" "--horizon 1.5" "--ii -2" "--slack x" "--seed -1" \
           "--iterations -5" "--time-limit nan" "--horizon 99999999999"; do
  expect 2 "bad option value: $bad" -- "$GAUS" schedule "$ex" --method gaus $bad --out "$tmp/badopt.json"
  check "bad option value $bad: names what is allowed" -- grep -q "must be a" "$tmp/err"
  check "bad option value $bad: no huge range in the message" -- test "$(grep -c 17976931 "$tmp/err")" = 0
  check "bad option value $bad: nothing written" -- test ! -e "$tmp/badopt.json"
done
expect 2 "eval: window out of range" -- "$GAUS" eval "$ex" --params "$tmp/none.json" --window 50
check "eval: window message" -- grep -q "window: must be a number in (0, 40], got '50'" "$tmp/err"

# bad usage
expect 2 "unknown formulation" -- "$GAUS" schedule "$ex" --method gaus --formulation Z --out "$tmp/x.json"
expect 2 "unknown backend" -- "$GAUS" schedule "$ex" --method gaus --backend gpu --out "$tmp/x.json"
expect 1 "horizon below the critical path" -- "$GAUS" schedule "$ex" --method gaus --formulation B --horizon 3 --out "$tmp/x.json"
check "no output for an infeasible horizon" -- test ! -e "$tmp/x.json"
check "infeasible horizon: the message names the critical path" -- grep -q "critical path" "$tmp/err"
expect 1 "C at an II below the resource bound" -- "$GAUS" schedule "$ex" --method gaus --formulation C --ii 1 $few --out "$tmp/x.json"
check "no output for an infeasible II" -- test ! -e "$tmp/x.json"
check "infeasible II: the message names the bound" -- grep -qi "bound" "$tmp/err"
# Two reads on one port, then two writes on another, around a recurrence: RecMII 5, ResMII 2,
# but the unit conflicts refute II 6 (tests/cpu/bounds/test_ii_propagation.cpp).
cat > "$tmp/ports.json" <<'JSON'
{"format": "gaus", "version": 1, "resources": {"x": -1, "r": 1, "w": 1},
 "ops": [{"name": "a", "type": "x", "latency": 1}, {"name": "c", "type": "x", "latency": 1},
         {"name": "d", "type": "x", "latency": 1},
         {"name": "r1", "type": "r", "latency": 1}, {"name": "r2", "type": "r", "latency": 1},
         {"name": "w1", "type": "w", "latency": 1}, {"name": "w2", "type": "w", "latency": 1}],
 "edges": [{"from": "a", "to": "r1", "delay": 1}, {"from": "a", "to": "r2", "delay": 1},
           {"from": "r1", "to": "c", "delay": 1}, {"from": "r2", "to": "c", "delay": 1},
           {"from": "c", "to": "w1", "delay": 1}, {"from": "c", "to": "w2", "delay": 1},
           {"from": "w1", "to": "d", "delay": 1}, {"from": "w2", "to": "d", "delay": 1},
           {"from": "d", "to": "a", "delay": 1, "distance": 1}]}
JSON
expect 0 "info on the port loop" -- "$GAUS" info "$tmp/ports.json" --json
check "info: the conflict bound is 7" -- test "$(jq_py "$tmp/out" "d['ii_conflict_bound']")" = 7
for m in "--method gaus --formulation C $few" "--method list"; do
  expect 1 "$m at an II below the conflict bound" -- "$GAUS" schedule "$tmp/ports.json" $m --ii 6 --out "$tmp/x.json"
  check "$m below the conflict bound: nothing written" -- test ! -e "$tmp/x.json"
  check "$m below the conflict bound: the message names it" -- \
    grep -q "II=6 is below the bound of unit conflicts on recurrences, 7" "$tmp/err"
done
expect 0 "C searches its II from the conflict bound" -- "$GAUS" schedule "$tmp/ports.json" --method gaus --formulation C $few --out "$tmp/ports_s.json"
check "C on the port loop: II 7, proven minimal" -- test "$(jq_py "$tmp/ports_s.json" "(d['ii'], d['ii_proven_minimal'])")" = "(7, True)"
