#!/usr/bin/env bash
# Writes the seed corpora for the fuzz targets into OUT/<target>/ from the small valid fixtures in
# tests/data and examples plus a few inline inputs (the binary AIGER one cannot live in a text
# fixture). Nothing big is committed: the corpora are rebuilt on every run.
# Usage: seeds.sh SOURCE_DIR OUT_DIR
set -euo pipefail
src=$1
out=$2
data=$src/tests/data
rm -rf "$out"
for t in aiger dot gml graphml json heurigym schedule_json library ssp; do mkdir -p "$out/$t"; done

# Two-file inputs: FIRST, a NUL byte, SECOND (see tests/fuzz/fuzz_common.hpp, kSeparator).
pair() { cat "$1"; printf '\0'; cat "$2"; }

cp "$data/aiger_small.aag" "$out/aiger/small.aag"
# Binary AIGER: 2 inputs, 1 latch (var 3, next = lit 10), 1 output, ANDs 8 = 6 & 2, 10 = 8 & 5
# (delta-coded fan-ins), then a symbol and a comment.
printf 'aig 5 2 1 1 2\n10\n8\n\x02\x04\x02\x03i0 a\nc\nseed\n' >"$out/aiger/small.aig"
printf 'aag 3 2 0 1 1\n2\n4\n6\n6 2 5\n' >"$out/aiger/tiny.aag"

cp "$data/dot_small.dot" "$out/dot/small.dot"
cp "$data/heurigym_small.dot" "$out/dot/heurigym.dot"
# A scheduled DOT as write_dot makes it (step labels, type attributes, rank groups), nested once.
cat >"$out/dot/scheduled.dot" <<'DOT'
digraph s {
  a [label = "a\nadd @ 0", type = add, latency = 1];
  b [label = "b\n@ 1", type = "", latency = 1];
  a -> b;
  subgraph c { {rank = same; a;} }
  {rank = same; b;}
}
DOT
cp "$data/gml_small.gml" "$out/gml/small.gml"

pair "$data/graphml_small.graphml" "$data/graphml_small_RM.xml" >"$out/graphml/small"
pair "$data/graphml_broken.graphml" "$data/graphml_small_RM.xml" >"$out/graphml/broken"

cp "$data/json_small.json" "$out/json/small.json"
cp "$src/examples/fir8.json" "$out/json/fir8.json"

pair "$data/heurigym_small.json" "$data/heurigym_small.dot" >"$out/heurigym/small"
cp "$data/heurigym_combined.json" "$out/heurigym/combined.json"
pair "$data/heurigym_nodot.json" "$data/heurigym_small.dot" >"$out/heurigym/nodot"

# Schedules for the fixed problem in fuzz_schedule_json.cpp (ops a, b, sum, acc, out).
printf '%s\n' '{"starts": {"a": 0, "b": 2, "sum": 7, "acc": 8, "out": 9}, "horizon": 12, "ii": 3}' \
  >"$out/schedule_json/legal.json"
printf '%s\n' '{"starts": {"a": 0, "b": 0, "sum": 1, "acc": 1, "out": 0}, "latency": 2,' \
  '"legal": false, "method": "asap"}' >"$out/schedule_json/illegal.json"
printf '%s\n' '{"starts": {"out": 1, "acc": 0, "sum": -4, "b": 2147483647, "a": 3}, "ii": 1}' \
  >"$out/schedule_json/extreme.json"

# Type libraries, shaped like ../shared/data/express/limits.json.
cat >"$out/library/per_design.json" <<'JSON'
{"note": "seed", "unit_class": {"mul": "MUL", "div": "MUL"}, "latency": {"MUL": 2, "default": 1},
 "pipelined": false, "limits": {"fir": {"MUL": 2, "add": 1}, "hal": {"MUL": 1}}}
JSON
printf '%s\n' '{"latency": {"load": 3, "add": 0}, "pipelined": true,' \
  '"limits": {"MUL": -1, "load": 1}}' \
  >"$out/library/flat.json"
printf '%s\n' '{"unit_class": {"add": "ALU", "mul": "ALU", "store": "ALU"}, "limits": {"ALU": 1}}' \
  >"$out/library/shared_class.json"

# CIRCT SSP text: the fixtures of tests/cpu/io/test_ssp_*.cpp.
for f in "$data"/ssp/*.mlir; do cp "$f" "$out/ssp/$(basename "$f")"; done
