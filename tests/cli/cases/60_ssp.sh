# Sourced by run_cli_tests.sh: CIRCT SSP files (.mlir): every class scheduled, written back and
# verified; CIRCT's rules rejecting broken schedules; bad input; conversion to SSP.
pq() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
cat > "$tmp/ssp_all.mlir" <<'MLIR'
// one instance of each class
ssp.instance @plain of "Problem" {
  library {
    operator_type @unit [latency<1>]
    operator_type @mul [latency<3>]
  }
  resource {}
  graph {
    %0 = operation<@unit>()
    %1 = operation<@mul>(%0, %0)
    operation<@unit> @aux(%0)
    operation<@unit> @sink(%1, @aux)
  }
}
// -----
ssp.instance @loop of "CyclicProblem" {
  library {
    operator_type @unit [latency<1>]
    operator_type @_3 [latency<3>]
  }
  resource {}
  graph {
    %0 = operation<@unit>()
    %1 = operation<@_3> @self(%0, @self [dist<1>])
    operation<@unit> @sink(%1)
  }
}
// -----
ssp.instance @chain of "ChainingProblem" {
  library {
    operator_type @add [latency<0>, incDelay<2.0>, outDelay<2.0>]
    operator_type @mul [latency<1>, incDelay<3.0>, outDelay<1.0>]
  }
  resource {}
  graph {
    %0 = operation<@mul>()
    %1 = operation<@add>(%0)
    %2 = operation<@add>(%1)
    operation<@add> @sink(%2)
  }
}
// -----
ssp.instance @shared of "SharedOperatorsProblem" {
  library {
    operator_type @slow [latency<3>]
    operator_type @sink [latency<0>]
  }
  resource {
    resource_type @S [limit<1>]
  }
  graph {
    %0 = operation<@slow> uses[@S]()
    %1 = operation<@slow> uses[@S]()
    %2 = operation<@slow> uses[@S](%0)
    operation<@sink> @last(%1, %2)
  }
}
// -----
ssp.instance @modulo of "ModuloProblem" {
  library {
    operator_type @mem [latency<1>]
    operator_type @add [latency<1>]
    operator_type @imp [latency<0>]
  }
  resource {
    resource_type @port [limit<1>]
  }
  graph {
    %0 = operation<@mem> uses[@port] @load_A(@store_A [dist<1>])
    %1 = operation<@mem> uses[@port] @load_B()
    %2 = operation<@add> @add(%0, %1)
    operation<@mem> uses[@port] @store_A(%2)
    operation<@imp> @last(@store_A)
  }
}
// -----
ssp.instance @cc of "ChainingCyclicProblem" {
  library {
    operator_type @add [latency<0>, incDelay<2.0>, outDelay<2.0>]
    operator_type @reg [latency<1>, incDelay<1.0>, outDelay<1.0>]
  }
  resource {}
  graph {
    %0 = operation<@reg> @acc(@sum [dist<1>])
    %1 = operation<@add>(%0)
    %2 = operation<@add> @sum(%1)
    operation<@add> @sink(%2)
  }
}
MLIR
expect 0 "ssp: schedule six classes" -- "$GAUS" schedule "$tmp/ssp_all.mlir" --cycle-time 5 \
  --time-limit 2 --out "$tmp/ssp_out.mlir"
expect 0 "ssp: the written file verifies" -- "$GAUS" verify "$tmp/ssp_out.mlir" --cycle-time 5
check "ssp: t, z and II written" -- python3 -c "
import sys; t = open('$tmp/ssp_out.mlir').read()
sys.exit(0 if t.count('// -----') == 5 and 'of \"CyclicProblem\" [II<3>]' in t and
         'z<3.000000e+00 : f32>' in t and 'operation<@unit> @sink(%1, @aux) [t<4>]' in t else 1)"
expect 0 "ssp: scheduling the written file again" -- "$GAUS" schedule "$tmp/ssp_out.mlir" \
  --cycle-time 5 --time-limit 2 --out "$tmp/ssp_out2.mlir"
check "ssp: ... gives the same file" -- cmp "$tmp/ssp_out.mlir" "$tmp/ssp_out2.mlir"
expect 0 "ssp: a JSON report" -- "$GAUS" schedule "$tmp/ssp_all.mlir" --cycle-time 5 \
  --time-limit 2 --out "$tmp/ssp_report.json"
check "ssp: the report's IIs and last starts" -- test "$(pq "$tmp/ssp_report.json" \
  "[(r['instance'], r.get('ii'), r['last_start'], r['legal']) for r in d]")" = \
  "[('plain', None, 4, True), ('loop', 3, 4, True), ('chain', None, 2, True), ('shared', None, 6, True), ('modulo', 3, 6, True), ('cc', 1, 2, True)]"
expect 2 "ssp: --last-op naming an op some instances lack" -- "$GAUS" schedule \
  "$tmp/ssp_all.mlir" --last-op load_B --out "$tmp/ssp_last.json"
expect 2 "ssp: --last-op naming no operation" -- "$GAUS" schedule "$tmp/ssp_all.mlir" \
  --last-op nowhere --out "$tmp/ssp_none.mlir"
check "ssp: ... wrote nothing" -- test ! -e "$tmp/ssp_none.mlir"
expect 2 "ssp: --out must be .mlir or .json" -- "$GAUS" schedule "$tmp/ssp_all.mlir" \
  --out "$tmp/ssp.txt"
expect 2 "ssp: --method fds" -- "$GAUS" schedule "$tmp/ssp_all.mlir" --method fds \
  --out "$tmp/ssp_fds.mlir"

# broken schedules: one rule of each class at a time
bad() {  # NAME CLASS II LIBRARY RESOURCES GRAPH EXPECTED-TEXT
  printf 'ssp.instance @%s of "%s" %s{\n  library {\n%s\n  }\n  resource {\n%s\n  }\n  graph {\n%s\n  }\n}\n' \
    "$1" "$2" "$3" "$4" "$5" "$6" > "$tmp/ssp_bad_$1.mlir"
  expect 1 "ssp verify rejects: $1" -- "$GAUS" verify "$tmp/ssp_bad_$1.mlir" --cycle-time 5
  check "ssp verify names it: $1" -- grep -qF -- "$7" "$tmp/out" "$tmp/err"
}
bad precedence Problem "" "operator_type @u [latency<2>]" "" \
  "%0 = operation<@u>() [t<0>]
   operation<@u>(%0) [t<1>]" "dependency '%0' -> '%1'"
bad aux_precedence Problem "" "operator_type @u [latency<1>]" "" \
  "operation<@u> @a() [t<3>]
   operation<@u> @b(@a) [t<3>]" "dependency 'a' -> 'b'"
bad recurrence CyclicProblem "[II<1> ] " "operator_type @u [latency<2>]" "" \
  "%0 = operation<@u> @x(@x [dist<1>]) [t<0>]" "recurrence 'x' -> 'x'"
bad no_ii CyclicProblem "" "operator_type @u [latency<1>]" "" \
  "operation<@u>() [t<0>]" "invalid initiation interval"
bad step_limit SharedOperatorsProblem "" "operator_type @u [latency<1>]" "resource_type @r [limit<1>]" \
  "operation<@u> uses[@r]() [t<2>]
   operation<@u> uses[@r]() [t<2>]" "capacity: class 'r' uses 2 of 1 unit at step 2"
bad residue_limit ModuloProblem "[II<2>] " "operator_type @u [latency<1>]" "resource_type @r [limit<1>]" \
  "operation<@u> uses[@r]() [t<0>]
   operation<@u> uses[@r]() [t<2>]" "capacity: class 'r' uses 2 of 1 unit at residue 0"
bad hold SharedOperatorsProblem "" "operator_type @u [latency<1>]" "resource_type @r [limit<1>, ii<2>]" \
  "operation<@u> uses[@r]() [t<0>]
   operation<@u> uses[@r]() [t<1>]" "capacity: class 'r' uses 2 of 1 unit at step 1"
bad hold_residue ModuloProblem "[II<3>] " "operator_type @u [latency<1>]" "resource_type @r [limit<1>, ii<2>]" \
  "operation<@u> uses[@r]() [t<0>]
   operation<@u> uses[@r]() [t<4>]" "capacity: class 'r' uses 2 of 1 unit at residue 1"
bad old_limit SharedOperatorsProblem "" "operator_type @u [latency<1>, limit<1>]" "" \
  "operation<@u>() [t<0>]
   operation<@u>() [t<0>]" "capacity: class 'u'"
bad chain_z ChainingProblem "" "operator_type @c [latency<0>, incDelay<2.0>, outDelay<2.0>]" "" \
  "%0 = operation<@c>() [t<0>, z<0.0>]
   operation<@c>(%0) [t<0>, z<1.0>]" "the value arrives at z=2"
bad cycle_time ChainingProblem "" "operator_type @c [latency<0>, incDelay<2.0>, outDelay<2.0>]" "" \
  "%0 = operation<@c>() [t<0>, z<0.0>]
   %1 = operation<@c>(%0) [t<0>, z<2.0>]
   operation<@c>(%1) [t<0>, z<4.0>]" "past the cycle time 5"
bad no_z ChainingCyclicProblem "[II<1>] " "operator_type @c [latency<0>, incDelay<1.0>, outDelay<1.0>]" "" \
  "operation<@c>() [t<0>]" "no non-negative start time in cycle"
bad no_t Problem "" "operator_type @u [latency<1>]" "" \
  "operation<@u> @late()" "operation 'late' (line 9) has no start time"

# bad input: exit 2 with the file, the line and the operation
badin() {  # NAME EXPECTED-TEXT (the file is on stdin)
  cat > "$tmp/ssp_in_$1.mlir"
  expect 2 "ssp input rejected: $1" -- "$GAUS" schedule "$tmp/ssp_in_$1.mlir" --out "$tmp/x_$1.mlir"
  check "ssp input message: $1" -- grep -qF -- "$2" "$tmp/out" "$tmp/err"
}
badin unlinked "ssp_in_unlinked.mlir:4: operation 'a': Operation is not linked to an operator type" <<'MLIR'
ssp.instance @i of "Problem" {
  library {}
  graph {
    operation<> @a()
  }
}
MLIR
badin no_latency "Operator type 'u' has no latency" <<'MLIR'
ssp.instance @i of "Problem" {
  library {
    operator_type @u
  }
  graph {
    operation<@u> @a()
  }
}
MLIR
badin zero_latency_limited "Operator type 'z' using limited resource 'r' has zero latency" <<'MLIR'
ssp.instance @i of "SharedOperatorsProblem" {
  library {
    operator_type @z [latency<0>]
  }
  resource {
    resource_type @r [limit<1>]
  }
  graph {
    operation<@z> uses[@r] @a()
  }
}
MLIR
badin missing_delays "Missing delays for operator type 'u'" <<'MLIR'
ssp.instance @i of "ChainingProblem" {
  library {
    operator_type @u [latency<1>]
  }
  graph {
    operation<@u> @a()
  }
}
MLIR
badin defuse_distance "Def-use dependence cannot have non-zero distance" <<'MLIR'
ssp.instance @i of "ChainingCyclicProblem" {
  library {
    operator_type @u [latency<1>, incDelay<0.0>, outDelay<0.0>]
  }
  graph {
    %0 = operation<@u> @a(%0 [dist<1>])
  }
}
MLIR
badin unknown_class "unknown problem class \"WeirdProblem\"" <<'MLIR'
ssp.instance @i of "WeirdProblem" {
  library {}
  graph {}
}
MLIR
badin unknown_symbol "Linked operator type property references invalid operator type: @nope" <<'MLIR'
ssp.instance @i of "Problem" {
  library {
    operator_type @u [latency<1>]
  }
  graph {
    operation<@nope>()
  }
}
MLIR

check "ssp input message names the line: unknown_symbol" -- grep -q "ssp_in_unknown_symbol.mlir:6: " "$tmp/err"

# other commands: one instance reads like any graph; any graph converts to SSP
cat > "$tmp/ssp_one.mlir" <<'MLIR'
ssp.instance @one of "SharedOperatorsProblem" {
  library {
    operator_type @mul [latency<2>]
  }
  resource {
    resource_type @m [limit<1>]
  }
  graph {
    %0 = operation<@mul> uses[@m]()
    %1 = operation<@mul> uses[@m]()
    operation<@mul> uses[@m] @c(%0, %1)
  }
}
MLIR
expect 0 "ssp: gaus info on one instance" -- "$GAUS" info "$tmp/ssp_one.mlir"
expect 2 "ssp: gaus info on six instances" -- "$GAUS" info "$tmp/ssp_all.mlir"
check "ssp: ... says why" -- grep -q "holds 6 SSP instances" "$tmp/err"
expect 0 "ssp: native scheduling of one instance" -- "$GAUS" schedule "$tmp/ssp_one.mlir" \
  --format ssp --method list --out "$tmp/ssp_one_native.mlir"
fir8="$(dirname "$0")/../../examples/fir8.json"
expect 0 "ssp: fir8 as a ModuloProblem" -- "$GAUS" convert "$fir8" --to ssp \
  --class ModuloProblem --out "$tmp/fir8_m.mlir"
check "ssp: ... its non-pipelined multipliers are held 2 cycles (ii<2>)" -- \
  grep -q "resource_type @mul \[limit<2>, ii<2>\]" "$tmp/fir8_m.mlir"
expect 0 "ssp: ... scheduled" -- "$GAUS" schedule "$tmp/fir8_m.mlir" --out "$tmp/fir8_ms.mlir"
expect 0 "ssp: ... verified" -- "$GAUS" verify "$tmp/fir8_ms.mlir"
expect 0 "ssp: fir8 as a CyclicProblem" -- "$GAUS" convert "$fir8" --to ssp \
  --class CyclicProblem --out "$tmp/fir8.mlir"
expect 0 "ssp: a generated loop" -- "$GAUS" generate --ops 40 --seed 5 --loop-carried 0.1 \
  --out "$tmp/gen.json"
expect 0 "ssp: ... converted to a ModuloProblem" -- "$GAUS" convert "$tmp/gen.json" --to ssp \
  --class ModuloProblem --out "$tmp/gen.mlir"
expect 0 "ssp: ... scheduled" -- "$GAUS" schedule "$tmp/gen.mlir" --out "$tmp/gen_s.mlir"
expect 0 "ssp: ... verified" -- "$GAUS" verify "$tmp/gen_s.mlir"
expect 0 "ssp: ... and back to native JSON" -- "$GAUS" convert "$tmp/gen.mlir" --to json \
  --out "$tmp/gen_back.json"
check "ssp: ... with the same ops, edges and limits" -- python3 -c "
import json, sys
a, b = json.load(open('$tmp/gen.json')), json.load(open('$tmp/gen_back.json'))
key = lambda e: (e['from'], e['to'], e['distance'])
sys.exit(0 if sorted(map(key, a['edges'])) == sorted(map(key, b['edges'])) and
         [o['latency'] for o in a['ops']] == [o['latency'] for o in b['ops']] and
         a['resources'] == b['resources'] else 1)"
if "$GAUS" devices | grep -q "exact prover (CBC, --prove): built"; then
  expect 0 "ssp: --prove" -- "$GAUS" schedule "$tmp/ssp_all.mlir" --prove 10 --time-limit 1 \
    --cycle-time 5 --out "$tmp/ssp_proved.json"
  check "ssp: every instance optimal with --prove (modulo's last op at 5, not 6)" -- test \
    "$(pq "$tmp/ssp_proved.json" "all(r['optimal'] for r in d) and d[4]['last_start']")" = 5
fi
expect 2 "ssp: --ii does not apply" -- "$GAUS" schedule "$tmp/ssp_all.mlir" --ii 4 \
  --out "$tmp/ssp_ii.mlir"
printf 'ssp.instance @empty of "CyclicProblem" {\n  library {}\n  resource {}\n  graph {}\n}\n' \
  > "$tmp/ssp_empty.mlir"
expect 0 "ssp: an instance without operations" -- "$GAUS" schedule "$tmp/ssp_empty.mlir" \
  --out "$tmp/ssp_empty_s.mlir"
expect 0 "ssp: ... verifies with II 1" -- "$GAUS" verify "$tmp/ssp_empty_s.mlir"
