#!/usr/bin/env bash
# The README's first command ends here (`make demo`): a real scheduling job on the bundled
# example, then, when the benchmark graphs sit beside the checkout, one EXPRESS graph.
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

data=${GAUS_DATA_DIR:-../shared/data}
if [ -f "$data/express/ewf.dot" ]; then
  echo
  echo "== $data/express/ewf.dot under express/limits.json =="
  "$gaus" schedule "$data/express/ewf.dot" --library "$data/express/limits.json" \
    --method list --out "$out/ewf_list.json"
fi
