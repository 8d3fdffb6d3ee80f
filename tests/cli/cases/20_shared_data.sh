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
else
  echo "skipping shared-data CLI cases: no data at '$data'"
fi
