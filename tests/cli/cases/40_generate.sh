# Sourced by run_cli_tests.sh: gaus generate, and the input size limit (GAUS_MAX_INPUT_BYTES).
py_json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
differ() { ! cmp -s "$1" "$2"; }

# generate: counts, determinism, and every option reaching the file
expect 0 "generate 1000 ops" -- "$GAUS" generate --ops 1000 --out "$tmp/g.json"
check "generate reports what it wrote" -- grep -q "g.json: 1000 ops" "$tmp/out"
check "generated file has 1000 ops" -- test "$(py_json "$tmp/g.json" "len(d['ops'])")" = 1000
check "generated file has two classes of 2 units" -- \
  test "$(py_json "$tmp/g.json" "sorted(d['resources'].items())")" = "[('u0', 2), ('u1', 2)]"
expect 0 "generate again, same seed" -- "$GAUS" generate --ops 1000 --out "$tmp/g2.json"
check "same seed, same file" -- cmp -s "$tmp/g.json" "$tmp/g2.json"
expect 0 "generate, another seed" -- "$GAUS" generate --ops 1000 --seed 7 --out "$tmp/g3.json"
check "another seed, another file" -- differ "$tmp/g.json" "$tmp/g3.json"
expect 0 "generated file reads back" -- "$GAUS" info "$tmp/g.json" --json
check "info counts the generated ops" -- \
  test "$(python3 -c "import json,sys; print(json.load(sys.stdin)['ops'])" <"$tmp/out")" = 1000
expect 0 "list-schedule a generated graph" -- "$GAUS" schedule "$tmp/g.json" --method list --out "$tmp/gs.json"
expect 0 "verify it" -- "$GAUS" verify "$tmp/g.json" "$tmp/gs.json"

expect 0 "generate with every option" -- "$GAUS" generate --ops 300 --layers 10 --fan-in 3 \
  --classes 3 --limit -1 --latency 2-4 --loop-carried 0.1 --seed 5 --out "$tmp/o.json"
check "three unlimited classes" -- \
  test "$(py_json "$tmp/o.json" "sorted(d['resources'].values())")" = "[-1, -1, -1]"
check "latencies within 2-4" -- test "$(py_json "$tmp/o.json" \
  "all(2 <= o.get('latency', 1) <= 4 for o in d['ops'])")" = True
check "fan-in at most 3" -- test "$(py_json "$tmp/o.json" \
  "max(__import__('collections').Counter(e['to'] for e in d['edges'] if not e.get('distance')).values())")" -le 3
check "30 loop-carried edges" -- \
  test "$(py_json "$tmp/o.json" "sum(1 for e in d['edges'] if e.get('distance', 0) > 0)")" = 30
expect 0 "generate one layer, no classes, zero delays" -- "$GAUS" generate --ops 50 --layers 1 \
  --classes 0 --zero-delay --latency 3 --out "$tmp/flat.json"
check "one layer has no edges" -- test "$(py_json "$tmp/flat.json" "len(d['edges'])")" = 0
check "no classes, no units" -- test "$(py_json "$tmp/flat.json" \
  "len(d['resources']) + sum('unit' in o for o in d['ops'])")" = 0
expect 0 "zero-delay edges" -- "$GAUS" generate --ops 200 --zero-delay --out "$tmp/z.json"
check "every edge has delay 0" -- test "$(py_json "$tmp/z.json" \
  "all(e.get('delay') == 0 for e in d['edges']) and len(d['edges']) > 0")" = True

# a scheduled DOT reads back (its rank groups are subgraphs) as the same problem
expect 0 "generate unlimited" -- "$GAUS" generate --ops 400 --classes 1 --limit -1 --loop-carried 0.05 --out "$tmp/u.json"
expect 0 "schedule it" -- "$GAUS" schedule "$tmp/u.json" --method list --out "$tmp/us.json"
expect 0 "scheduled DOT" -- "$GAUS" convert "$tmp/u.json" --to dot --schedule "$tmp/us.json" --out "$tmp/us.dot"
check "the DOT has rank groups" -- grep -q "{rank = same;" "$tmp/us.dot"
expect 0 "scheduled DOT back to JSON" -- "$GAUS" convert "$tmp/us.dot" --to json --out "$tmp/back.json"
expect 0 "the original as JSON" -- "$GAUS" convert "$tmp/u.json" --to json --out "$tmp/orig.json"
check "same problem after the round trip" -- cmp -s "$tmp/orig.json" "$tmp/back.json"
expect 0 "the schedule verifies on the read-back DOT" -- "$GAUS" verify "$tmp/us.dot" "$tmp/us.json"

# bad options: exit 2, a message naming the option, no file
for bad in "--ops 0" "--ops 3000000000" "--ops 10 --layers 11" "--ops 10 --layers -1" \
           "--ops 10 --fan-in 0" "--ops 10 --fan-in 65" "--ops 10 --classes -2" \
           "--ops 10 --limit 0" "--ops 10 --limit -3" "--ops 10 --latency 3-1" \
           "--ops 10 --latency x" "--ops 10 --latency 1-" "--ops 10 --latency -1" \
           "--ops 10 --loop-carried -0.5" "--ops 10 --loop-carried 17" "--ops 10 --loop-carried nan"; do
  # shellcheck disable=SC2086
  expect 2 "generate $bad" -- "$GAUS" generate $bad --out "$tmp/bad_gen.json"
  opt=${bad##*--}; opt=--${opt%% *}
  check "generate $bad: the message names $opt" -- grep -q -- "$opt" "$tmp/err"
  check "generate $bad: no file" -- test ! -e "$tmp/bad_gen.json"
done
expect 2 "generate without --out" -- "$GAUS" generate --ops 10
expect 2 "generate without --ops" -- "$GAUS" generate --out "$tmp/bad_gen.json"
expect 2 "generate into a missing folder" -- "$GAUS" generate --ops 10 --out "$tmp/none/g.json"
check "no folder made" -- test ! -e "$tmp/none"

# generate --kind loop: a modulo-scheduling loop body, reproducible, schedulable at an II
expect 0 "generate a loop" -- "$GAUS" generate --kind loop --ops 600 --seed 3 --out "$tmp/loop.json"
check "the loop has 600 ops and 5 classes" -- test "$(py_json "$tmp/loop.json" \
  "(len(d['ops']), len(d['resources']))")" = "(600, 5)"
check "the loop has loop-carried edges" -- test "$(py_json "$tmp/loop.json" \
  "sum(1 for e in d['edges'] if e.get('distance', 0) > 0)")" -gt 0
check "two classes are non-pipelined" -- test "$(py_json "$tmp/loop.json" \
  "len({o['unit'] for o in d['ops'] if o.get('blocking', 1) > 1})")" = 2
expect 0 "the same loop again" -- "$GAUS" generate --kind loop --ops 600 --seed 3 --out "$tmp/loop2.json"
check "same seed, same loop" -- cmp -s "$tmp/loop.json" "$tmp/loop2.json"
expect 0 "a modulo schedule of the loop" -- "$GAUS" schedule "$tmp/loop.json" --method list \
  --formulation C --out "$tmp/loops.json"
expect 0 "verify it" -- "$GAUS" verify "$tmp/loop.json" "$tmp/loops.json"
check "its II is at least the target-sized bound" -- test "$(py_json "$tmp/loops.json" "d['ii']")" -ge 20
for bad in "--kind tree --ops 10" "--kind loop --ops 1" "--kind loop --ops 10 --classes 0" \
           "--kind loop --ops 10 --non-pipelined 6" "--kind loop --ops 10 --latency 1" \
           "--kind loop --ops 10 --target-ii -1" "--kind loop --ops 10 --recurrences 11" \
           "--kind loop --ops 10 --limit 2" "--kind loop --ops 10 --loop-carried 0.1" \
           "--ops 10 --target-ii 4"; do
  # shellcheck disable=SC2086
  expect 2 "generate $bad" -- "$GAUS" generate $bad --out "$tmp/bad_gen.json"
  opt=${bad##*--}; opt=--${opt%% *}
  [ "${bad#--kind tree}" != "$bad" ] && opt=--kind
  check "generate $bad: the message names $opt" -- grep -q -- "$opt" "$tmp/err"
  check "generate $bad: no file" -- test ! -e "$tmp/bad_gen.json"
done

# The input size limit: a file over GAUS_MAX_INPUT_BYTES is refused unread, naming the file.
size=$(wc -c <"$tmp/g.json")
expect 2 "input over GAUS_MAX_INPUT_BYTES" -- env GAUS_MAX_INPUT_BYTES=$((size - 1)) "$GAUS" info "$tmp/g.json"
check "the message names the file and says it is too large" -- \
  grep -q "g.json: the file is too large for this machine's memory: $size bytes" "$tmp/err"
expect 0 "input at GAUS_MAX_INPUT_BYTES" -- env GAUS_MAX_INPUT_BYTES="$size" "$GAUS" info "$tmp/g.json"
expect 2 "malformed GAUS_MAX_INPUT_BYTES" -- env GAUS_MAX_INPUT_BYTES=lots "$GAUS" info "$tmp/g.json"
check "the message names the variable" -- grep -q "GAUS_MAX_INPUT_BYTES = 'lots'" "$tmp/err"

# Out of memory under an address-space limit: exit 2 and a message, not an abort. A binary AIGER
# of 1 MB may name 60 million inputs (they take no bytes): the parse runs out, not the read.
# Skipped where the tool cannot start under the limit (sanitizer builds reserve terabytes).
{ printf 'aig 60000000 60000000 0 0 0\nc\n'; head -c 1000000 /dev/zero | tr '\0' 'x'; } >"$tmp/wide.aig"
if bash -c '(ulimit -v 400000 && "$0" --version)' "$GAUS" >/dev/null 2>&1; then
  expect 2 "out of memory while parsing" -- \
    bash -c 'ulimit -v 400000 && exec "$0" info "$1"' "$GAUS" "$tmp/wide.aig"
  check "the message names the file and says out of memory" -- \
    grep -q "wide.aig: the problem is too large for this machine's memory: out of memory" "$tmp/err"
  expect 2 "out of memory while generating" -- \
    bash -c 'ulimit -v 400000 && exec "$0" generate --ops 200000000 --out "$1"' "$GAUS" "$tmp/huge.json"
  check "the message names the command and says out of memory" -- \
    grep -q "gaus: generate: out of memory" "$tmp/err"
  check "no partial output" -- test ! -e "$tmp/huge.json"
fi
