# Sourced by run_cli_tests.sh: the exact ILP baseline (bench/baselines/ilp.cpp, gaus_ilp), when it
# was built (CBC installed). Each instance's optimum is known by construction or was proven by
# CP-SAT (bench/results/2026-11-23-cpu-quick/express-full); every schedule is checked by
# `gaus verify`.
ilp=${GAUS_ILP:-}
if [ -n "$ilp" ] && [ -x "$ilp" ]; then
  ilp_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
  # ilp_case NAME FILE WANT [options...]: solved to proven optimality at WANT, and legal
  ilp_case() {
    local name=$1 file=$2 want=$3
    shift 3
    expect 0 "ilp $name" -- "$ilp" "$file" "$@" --time-limit 60 --out "$tmp/ilp_$name.json"
    check "ilp $name: objective $want" -- test "$(ilp_get "$tmp/ilp_$name.json" "d['objective']")" = "$want"
    check "ilp $name: proven optimal" -- test "$(ilp_get "$tmp/ilp_$name.json" "d['optimal'] and d['bound'] == d['objective']")" = True
    local lib=()
    [ "${1:-}" = "--library" ] && lib=(--library "$2")
    expect 0 "ilp $name: gaus verify" -- "$GAUS" verify "$file" "$tmp/ilp_$name.json" "${lib[@]}"
  }
  cat >"$tmp/chain.json" <<'JSON'
{"format": "gaus", "version": 1,
 "ops": [{"name": "a", "latency": 1}, {"name": "b", "latency": 3}, {"name": "c", "latency": 2},
         {"name": "d", "latency": 1}],
 "edges": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}, {"from": "c", "to": "d"}]}
JSON
  ilp_case chain "$tmp/chain.json" 7.0 --problem rcs
  # five independent ops on one unit: latency 5; three non-pipelined 2-cycle ops on one: 6
  cat >"$tmp/serial.json" <<'JSON'
{"format": "gaus", "version": 1, "resources": {"alu": 1, "mul": 1},
 "ops": [{"name": "x1", "type": "alu"}, {"name": "x2", "type": "alu"}, {"name": "x3", "type": "alu"},
         {"name": "x4", "type": "alu"}, {"name": "x5", "type": "alu"}]}
JSON
  ilp_case serial "$tmp/serial.json" 5.0 --problem rcs
  cat >"$tmp/blocking.json" <<'JSON'
{"format": "gaus", "version": 1, "resources": {"mul": 1},
 "ops": [{"name": "m1", "type": "mul", "latency": 2, "blocking": 2},
         {"name": "m2", "type": "mul", "latency": 2, "blocking": 2},
         {"name": "m3", "type": "mul", "latency": 2, "blocking": 2}]}
JSON
  ilp_case blocking "$tmp/blocking.json" 6.0 --problem rcs
  # A: four independent unit-weight ops over D = 2: peak 2 (score 200); B: two chains of two
  # over D = 4 run one after the other: one value live at a time
  cat >"$tmp/four.json" <<'JSON'
{"format": "gaus", "version": 1,
 "ops": [{"name": "p"}, {"name": "q"}, {"name": "r"}, {"name": "s"}]}
JSON
  ilp_case peak "$tmp/four.json" 200.0 --problem A --horizon 2
  cat >"$tmp/chains.json" <<'JSON'
{"format": "gaus", "version": 1,
 "ops": [{"name": "a1"}, {"name": "a2"}, {"name": "b1"}, {"name": "b2"}],
 "edges": [{"from": "a1", "to": "a2"}, {"from": "b1", "to": "b2"}]}
JSON
  ilp_case memory "$tmp/chains.json" 1.0 --problem B --horizon 4
  check "ilp memory: ASAP (peak 2) improved" -- test "$(ilp_get "$tmp/ilp_memory.json" "d['history'][0]['objective']")" = 2.0

  data=${GAUS_SHARED_DATA_DIR:-}
  if [ -n "$data" ] && [ -f "$data/express/hal.dot" ]; then
    lim="$data/express/limits.json"
    ilp_case hal "$data/express/hal.dot" 7.0 --library "$lim" --problem rcs
    ilp_case arf "$data/express/arf.dot" 16.0 --library "$lim" --problem rcs
    # list scheduling gives 19 here: the ILP must improve on its start
    ilp_case horner "$data/express/horner_bezier_surf_dfg__12.dot" 18.0 --library "$lim" --problem rcs
    check "ilp horner: started from list's 19" -- test "$(ilp_get "$tmp/ilp_horner.json" "d['history'][0]['objective']")" = 19.0
  else
    echo "skipping shared-data ILP cases: no data at '$data'"
  fi

  # bad input: exit 2 naming the file; an infeasible horizon: exit 1
  echo '{"format": "gaus", "version": 1, "ops": [{"name": "a"}], "edges": [{"from": "a", "to": "zz"}]}' >"$tmp/bad_ilp.json"
  expect 2 "ilp: bad input" -- "$ilp" "$tmp/bad_ilp.json" --problem rcs --out "$tmp/ilp_bad.json"
  check "ilp: bad input names the file" -- grep -q "bad_ilp.json" "$tmp/err"
  check "ilp: bad input writes nothing" -- test ! -e "$tmp/ilp_bad.json"
  expect 2 "ilp: missing file" -- "$ilp" "$tmp/nope.json" --problem rcs
  check "ilp: missing file named" -- grep -q "nope.json" "$tmp/err"
  expect 2 "ilp: unknown problem" -- "$ilp" "$tmp/chain.json" --problem C
  expect 1 "ilp: horizon below the critical path" -- "$ilp" "$tmp/chain.json" --problem rcs --horizon 6
  expect 1 "ilp: a model over --max-nonzeros" -- "$ilp" "$tmp/serial.json" --problem rcs --max-nonzeros 3
  check "ilp: too large says so" -- grep -q "too large" "$tmp/err"
else
  echo "skipping ILP CLI cases: gaus_ilp not built (CBC missing)"
fi
