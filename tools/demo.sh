#!/usr/bin/env bash
# The README's first command ends here (`make demo`): a real scheduling job on the bundled
# example, a CIRCT SSP round trip, then, when the benchmark graphs sit beside the checkout, one
# EXPRESS graph.
# Usage: tools/demo.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
gaus="$build/tools/gaus"
out="$build/demo"
mkdir -p "$out"

"$gaus" devices | head -2
echo
echo "== examples/fir8.json: an 8-tap FIR filter, 2 multipliers, 1 adder =="
"$gaus" info examples/fir8.json
echo "-- list scheduling respects the unit limits; asap and fds (at horizon 13) do not, and the"
echo "-- independent verifier says so (exit 1):"
"$gaus" schedule examples/fir8.json --method list --out "$out/fir8_list.json"
"$gaus" schedule examples/fir8.json --method asap --out "$out/fir8_asap.json" || true
"$gaus" schedule examples/fir8.json --method fds --horizon 13 --out "$out/fir8_fds.json" || true
"$gaus" verify examples/fir8.json "$out/fir8_list.json"
echo
echo "-- the gradient solver (GPU when one is present, else CPU): minimum latency under the"
echo "-- unit limits, then minimum peak live memory with 4 cycles of slack"
"$gaus" schedule examples/fir8.json --method gaus --formulation rcs --backend auto \
  --time-limit 3 --out "$out/fir8_gaus_rcs.json"
"$gaus" schedule examples/fir8.json --method gaus --formulation B --slack 4 --backend auto \
  --time-limit 3 --out "$out/fir8_gaus_b.json"
python3 - "$out/fir8_gaus_b.json" <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
print(f"   peak live memory {r['objectives']['peak_memory']:g} on backend {r.get('backend', '?')}, "
      f"{r.get('iterations', 0)} iterations in {r.get('time_s', 0):.2f} s")
PY

echo
echo "-- CIRCT: a generated 60-op loop written as an SSP ModuloProblem, scheduled (the smallest"
echo "-- II, then the last op's start) and written back with its schedule, then verified"
"$gaus" generate --ops 60 --seed 5 --loop-carried 0.1 --out "$out/loop.json" >/dev/null
"$gaus" convert "$out/loop.json" --to ssp --class ModuloProblem --out "$out/loop.mlir"
"$gaus" schedule "$out/loop.mlir" --out "$out/loop_scheduled.mlir"
"$gaus" verify "$out/loop_scheduled.mlir"

data=${GAUS_DATA_DIR:-../shared/data}
if [ -f "$data/express/ewf.dot" ]; then
  echo
  echo "== $data/express/ewf.dot under express/limits.json =="
  for m in list gaus; do
    "$gaus" schedule "$data/express/ewf.dot" --library "$data/express/limits.json" \
      --method $m --time-limit 3 --out "$out/ewf_$m.json"
  done
fi
