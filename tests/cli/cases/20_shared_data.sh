# Real benchmark graphs; skipped when ../shared/data is absent.
data=${GAUS_SHARED_DATA_DIR:-}
if [ -n "$data" ] && [ -f "$data/epfl/arithmetic/adder.aig" ]; then
  expect 0 "info adder.aig" -- "$GAUS" info "$data/epfl/arithmetic/adder.aig" --json
  check "adder: 1,276 ops" -- grep -q '"ops": 1276' "$tmp/out"
  check "adder: 2,040 edges" -- grep -q '"edges": 2040' "$tmp/out"
  expect 0 "list-schedule hal under limits.json" -- "$GAUS" schedule "$data/express/hal.dot" \
    --library "$data/express/limits.json" --method list --out "$tmp/hal.json"
  expect 0 "verify hal" -- "$GAUS" verify "$data/express/hal.dot" "$tmp/hal.json" \
    --library "$data/express/limits.json"
  expect 2 "unknown design" -- "$GAUS" info "$data/express/hal.dot" \
    --library "$data/express/limits.json" --design nope
  check "unknown design lists designs" -- grep -q "designs:" "$tmp/err"
  g="$data/hatschet/MachSuite/aes2/graph1.graphml"
  if [ -f "$g" ]; then
    expect 0 "modulo-schedule a MachSuite loop" -- "$GAUS" schedule "$g" --method list --out "$tmp/ms.json"
    expect 0 "verify the modulo schedule" -- "$GAUS" verify "$g" "$tmp/ms.json"
  fi
  # Ctrl-C during a solve writes the best legal schedule so far, marked interrupted (exit 130)
  "$GAUS" schedule "$data/rw/rand_graph_5000_1.gml" --method gaus --formulation A \
    --time-limit 60 --iterations 100000 --out "$tmp/int.json" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  sleep 1.5
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  check "interrupted run exits 130" -- test "$rc" -eq 130
  check "interrupted run wrote a legal schedule marked interrupted" -- python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert r['legal'] is True and r['interrupted'] is True, r
" "$tmp/int.json"
  expect 0 "the interrupted schedule verifies" -- "$GAUS" verify "$data/rw/rand_graph_5000_1.gml" "$tmp/int.json"
else
  echo "skipping shared-data CLI cases: no data at '$data'"
fi
