#!/usr/bin/env bash
# Prints the README's table: list scheduling of every EXPRESS graph under express/limits.json,
# each schedule checked by `gaus verify`. Usage: bench/express_list_table.sh [BUILD] [DATA]
set -euo pipefail
build=${1:-build}
data=${2:-../shared/data}
gaus="$build/tools/gaus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| graph | ops | edges | critical path | list latency | verified |"
echo "|---|---:|---:|---:|---:|---|"
for f in "$data"/express/*.dot; do
  g=$(basename "$f" .dot)
  lib=(--library "$data/express/limits.json")
  "$gaus" info "$f" "${lib[@]}" --json >"$tmp/info.json"
  "$gaus" schedule "$f" "${lib[@]}" --method list --out "$tmp/s.json" >/dev/null
  if "$gaus" verify "$f" "$tmp/s.json" "${lib[@]}" >/dev/null; then ok=legal; else ok=ILLEGAL; fi
  python3 - "$g" "$tmp/info.json" "$tmp/s.json" "$ok" <<'PY'
import json, sys
g, info, sched, ok = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), sys.argv[4]
print(f"| {g} | {info['ops']} | {info['edges']} | {info['critical_path']} | {sched['latency']} | {ok} |")
PY
done
