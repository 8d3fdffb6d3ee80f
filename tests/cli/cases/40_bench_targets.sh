# Sourced by run_cli_tests.sh: bench/report.py's "Targets" table (bench/gausbench/targets.py)
# from tiny synthetic run folders: a main run, an alap run merged into it (--merge), a CP-SAT long
# run (--cpsat-long), GPU loss timings (--gpu-loss) and CPU ones (--cpu-loss); then without them.
report="$(dirname "$0")/../../bench/report.py"
tg="$tmp/targets"
mkdir -p "$tg/main" "$tg/alap" "$tg/long" "$tg/long-ok" "$tg/short" "$tg/short-met" \
  "$tg/short-missed" "$tg/gpu" "$tg/cpu"
python3 - "$tg" <<'PY'
import json, os, sys
d = sys.argv[1]
def r(suite, inst, method, obj, optimal=None, bound=None):
    return {"suite": suite, "instance": inst, "method": method, "ops": 3, "legal": True,
            "status": "ok", "objective": obj, "ii": None, "optimal": optimal, "bound": bound,
            "note": "", "time_s": 1.0, "history": [], "formulation": {"express": "rcs",
            "epfl": "B", "rw": "A"}[suite]}
def run(folder, run_id, methods, res, **meta):
    m = {"run_id": run_id, "date_utc": "2026-11-23T07:00:00+00:00", "commit": "0123456789abc",
         "cpu": "Test CPU", "cuda_devices": [], "time_limit_s": 4.0, "cpsat_workers": 1,
         "suites": sorted({x["suite"] for x in res}), "methods": methods, "quick": False}
    m.update(meta)
    json.dump({"meta": m, "results": res}, open(os.path.join(d, folder, "results.json"), "w"))
run("main", "t-main", ["asap", "gaus-cpu", "cpsat"], [
    r("express", "a", "gaus-cpu", 9.0), r("express", "a", "cpsat", 9.0, optimal=True),
    r("express", "b", "gaus-cpu", 6.0), r("express", "b", "cpsat", 5.0, optimal=True),
    r("express", "c", "gaus-cpu", 7.0), r("express", "c", "cpsat", 7.0),
    r("express", "d", "gaus-cpu", 4.0, bound=4.0),  # gaus's own proof (mark_self_proved)
    r("epfl", "e1", "asap", 100.0), r("epfl", "e1", "gaus-cpu", 60.0),
    r("epfl", "e2", "asap", 100.0), r("epfl", "e2", "gaus-cpu", 90.0, bound=80.0)])
run("alap", "t-alap", ["alap"], [r("epfl", "e1", "alap", 120.0), r("epfl", "e2", "alap", 95.0)])
run("long", "t-long", ["gaus-cpu", "cpsat"], [
    r("rw", "r1", "gaus-cpu", 100.5), r("rw", "r1", "cpsat", 100.0, bound=90.0),
    r("express", "x", "gaus-cpu", 24.0), r("express", "x", "cpsat", 23.0, optimal=True)],
    time_limit_s=10.0, method_time_limit_s={"cpsat": 900.0, "gaus-cpu": 10.0})
nothing = dict(r("rw", "r3", "cpsat", None), legal=False, status="no solution")
run("long-ok", "t-long-ok", ["gaus-cpu", "cpsat"], [
    r("rw", "r1", "gaus-cpu", 100.5), r("rw", "r1", "cpsat", 100.0),
    r("rw", "r2", "gaus-cpu", 99.0), r("rw", "r2", "cpsat", 100.0),
    r("rw", "r3", "gaus-cpu", 50.0), nothing],
    time_limit_s=10.0, method_time_limit_s={"cpsat": 900.0, "gaus-cpu": 10.0})
run("short", "t-short", ["gaus-cpu", "cpsat"], [
    r("rw", "r1", "gaus-cpu", 100.0), r("rw", "r1", "cpsat", 100.0)],
    time_limit_s=10.0, method_time_limit_s={"cpsat": 60.0})
run("short-met", "t-short-met", ["gaus-cpu", "cpsat"], [
    r("rw", "r1", "gaus-cpu", 100.9), r("rw", "r1", "cpsat", 100.1, bound=100.0),
    r("express", "x", "gaus-cpu", 23.0), r("express", "x", "cpsat", 23.0, optimal=True),
    r("epfl", "e", "gaus-cpu", 50.2, bound=50.0), r("epfl", "e", "cpsat", 60.0, bound=40.0)],
    time_limit_s=10.0, method_time_limit_s={"cpsat": 120.0})
run("short-missed", "t-short-missed", ["gaus-cpu", "cpsat"], [
    r("rw", "r1", "gaus-cpu", 100.9), r("rw", "r1", "cpsat", 100.1, bound=100.0),
    r("rw", "r2", "gaus-cpu", 103.0), r("rw", "r2", "cpsat", 100.0, bound=99.0)],
    time_limit_s=10.0, method_time_limit_s={"cpsat": 120.0})
json.dump({"benchmark": "loss", "device": "NVIDIA H100 80GB HBM3", "results": [
    {"backend": "cuda", "graph": "div", "ops": 57375, "ms_per_iteration": 0.08},
    {"backend": "cpu-double", "graph": "div", "ops": 57375, "ms_per_iteration": 20.0},
    {"backend": "cuda", "graph": "synthetic_10000000", "ops": 10000000,
     "ms_per_iteration": 150.0}]}, open(os.path.join(d, "gpu", "loss_cuda.json"), "w"))
json.dump({"benchmark": "loss_reference", "device": "cuda", "results": [
    {"graph": "div", "gaus_cuda_ms": 0.01, "torch_window_ms": 2.0,
     "torch_window_compiled_ms": 1.5, "torch_dense_ms": None}]},
    open(os.path.join(d, "gpu", "torch.json"), "w"))
json.dump({"benchmark": "loss_reference", "device": "cpu", "threads": 1, "results": [
    {"graph": "adder", "gaus_cpu_ms": 2.0, "torch_window_ms": 4.0,
     "torch_window_compiled_ms": 3.0},
    {"graph": "div", "gaus_cpu_ms": 10.0, "torch_window_ms": 8.0, "torch_dense_ms": None}]},
    open(os.path.join(d, "cpu", "loss_timing_cpu.json"), "w"))
PY
expect 0 "targets: report with every source" -- python3 "$report" "$tg/main" \
  --merge "$tg/alap" --cpsat-long "$tg/long" --gpu-loss "$tg/gpu" --cpu-loss "$tg/cpu" \
  --out "$tg/section.md" --no-plots
sec="$tg/section.md"
# row_is FILE TARGET MEASURED VERDICT [SOURCE]: the Targets row of TARGET (a prefix) reads so
row_is() {
  python3 - "$@" <<'PY'
import sys
f, target, measured, verdict, *source = sys.argv[1:]
rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in open(f)]
rows = [r for r in rows if len(r) == 4 and r[0].startswith(target)]
ok = len(rows) == 1 and rows[0][1:3] == [measured, verdict]
sys.exit(0 if ok and (not source or rows[0][3] == source[0]) else 1)
PY
}
fails() { ! "$@"; }
check "targets: merged column named" -- \
  grep -qF 'Column alap from run `t-alap`, 2026-11-23 07:00 UTC, commit `0123456789ab`' "$sec"
check "targets: merged column in the table" -- \
  grep -qF '| instance | ops | asap | alap | gaus-cpu |' "$sec"
m="gaus-cpu reaches 2 of the 3 proven optima (4 instances; optima proved by CP-SAT, the ILP or gaus's lower bound)"
check "targets: EXPRESS proven optima, one missed" -- \
  row_is "$sec" 'EXPRESS' "$m; misses b (6 vs 5)" 'not met' '[`main`](main)'
m='gaus-cpu / min(asap, alap): geometric mean 0.754 (24.6% below) over 2 of 2 instances; '
check "targets: EPFL against min(asap, alap)" -- \
  row_is "$sec" 'EPFL: peak' "${m}1 of 2 instances at least 30% below; out of reach on 1 (a proven lower bound above 70% of the baseline: e2), met on 1 of the 1 others" 'not met'
check "targets: EPFL per instance, bound out of reach" -- \
  grep -qF '| e2 | 90 | 100 | 95 | 80 † | 0.947 | 5.3% |' "$sec"
check "targets: EPFL instance 30% below marked" -- \
  grep -qF '| e1 | 60 | 100 | 120 | — | 0.600 | 40.0% ✓ |' "$sec"
m='gaus-cpu at 10 s within 1% of CP-SAT at 900 s (1 worker) on 1 of 2 instances; '
check "targets: CP-SAT gaps" -- \
  row_is "$sec" 'Within 1%' "${m}gaps r1 +0.50%, x +4.35%" 'not met' '[`long`](long)'
check "targets: CP-SAT per instance, proof shown" -- \
  grep -qF '| express/x | rcs | 3 | 24 | 23\* | +4.35% |' "$sec"
check "targets: CP-SAT per instance with bound" -- \
  grep -qF '| rw/r1 | A | 3 | 100.5 | 100 (90) | +0.50% |' "$sec"
check "targets: div on the H100" -- row_is "$sec" 'EPFL div' \
  '80 us per iteration (57,375 ops, NVIDIA H100 80GB HBM3)' 'met' '[`gpu`](gpu)'
check "targets: 10^7 ops" -- row_is "$sec" '10^7 ops' \
  '150.0 ms per iteration (10,000,000 ops, NVIDIA H100 80GB HBM3)' 'not met'
m='gaus-cuda vs the fastest PyTorch variant (torch.compile where faster): div 150x; '
check "targets: ratio against PyTorch" -- \
  row_is "$sec" '>= 100x' "${m}vs eager PyTorch: div 200x" 'met'
m='gaus CPU backend vs the fastest PyTorch CPU variant (the only other implementation measured; '
check "targets: CPU backend slower than PyTorch on one graph" -- row_is "$sec" 'The CPU backend' \
  "${m}threads 1): adder 1.5x, div 0.8x" 'not met' '[`cpu`](cpu)'
check "targets: the table comes before the suites" -- python3 - "$sec" <<'PY'
import sys
t = open(sys.argv[1]).read()
assert t.index("### Targets") < t.index("### express") and t.count("| target |") == 1
PY
expect 0 "targets: report with the main run alone" -- \
  python3 "$report" "$tg/main" --out "$tg/alone.md" --no-plots
check "targets: no alap, EPFL not measured" -- row_is "$tg/alone.md" 'EPFL: peak' \
  'not measured (needs asap and alap results)' 'not measured' '—'
check "targets: no CPU timings, not measured" -- \
  row_is "$tg/alone.md" 'The CPU backend' 'not measured' 'not measured' '—'
check "targets: no GPU timings, not measured" -- \
  row_is "$tg/alone.md" 'EPFL div' 'not measured' 'not measured' '—'
check "targets: no long run, CP-SAT not measured" -- \
  row_is "$tg/alone.md" 'Within 1%' 'not measured' 'not measured' '—'
check "targets: row_is rejects a wrong verdict" -- fails row_is "$sec" 'EPFL div' \
  '80 us per iteration (57,375 ops, NVIDIA H100 80GB HBM3)' 'not met'
check "targets: row_is rejects a wrong figure" -- fails row_is "$sec" 'EPFL div' \
  '81 us per iteration (57,375 ops, NVIDIA H100 80GB HBM3)' 'met'
check "targets: row_is rejects a wrong source" -- fails row_is "$sec" 'EPFL div' \
  '80 us per iteration (57,375 ops, NVIDIA H100 80GB HBM3)' 'met' '[`long`](long)'

expect 0 "targets: report with a long run gaus is close to" -- python3 "$report" "$tg/main" \
  --cpsat-long "$tg/long-ok" --out "$tg/ok.md" --no-plots
m='gaus-cpu at 10 s within 1% of CP-SAT at 900 s (1 worker) on 3 of 3 instances; '
check "targets: CP-SAT target met (gaus better, CP-SAT without a schedule)" -- \
  row_is "$tg/ok.md" 'Within 1%' "${m}gaps r1 +0.50%, r2 -1.00%, r3 n/a" 'met'
check "targets: CP-SAT without a schedule" -- \
  grep -qF '| rw/r3 | A | 3 | 50 | none | gaus only |' "$tg/ok.md"
expect 0 "targets: report with a CP-SAT run shorter than 15 minutes" -- python3 "$report" \
  "$tg/main" --cpsat-long "$tg/short" --out "$tg/short.md" --no-plots
m='gaus-cpu at 10 s within 1% of CP-SAT at 60 s (1 worker) on 1 of 1 instances; gaps r1 +0.00%; '
m2="within 1% of a proven lower bound on 0, more than 1% above CP-SAT's schedule on 0"
check "targets: a short CP-SAT run without a bound settles nothing" -- row_is "$tg/short.md" \
  'Within 1%' "${m}CP-SAT at 60 s stands in for 900 s where it settles the target: gaus-cpu $m2" \
  'not measured (limits 10 s / 60 s)'
expect 0 "targets: report with a short CP-SAT run close to its bound" -- python3 "$report" \
  "$tg/main" --cpsat-long "$tg/short-met" --out "$tg/short-met.md" --no-plots
m='gaus-cpu at 10 s within 1% of CP-SAT at 120 s (1 worker) on 3 of 3 instances; gaps r1 +0.80%, x +0.00%, e -16.33%; '
m2="within 1% of a proven lower bound on 3, more than 1% above CP-SAT's schedule on 0"
check "targets: gaus within 1% of a proven bound meets the target" -- row_is \
  "$tg/short-met.md" 'Within 1%' \
  "${m}CP-SAT at 120 s stands in for 900 s where it settles the target: gaus-cpu $m2" 'met'
expect 0 "targets: report with a short CP-SAT run gaus is far from" -- python3 "$report" \
  "$tg/main" --cpsat-long "$tg/short-missed" --out "$tg/short-missed.md" --no-plots
m='gaus-cpu at 10 s within 1% of CP-SAT at 120 s (1 worker) on 1 of 2 instances; gaps r1 +0.80%, r2 +3.00%; '
m2="within 1% of a proven lower bound on 1, more than 1% above CP-SAT's schedule on 1"
check "targets: gaus more than 1% above a short run's schedule misses the target" -- row_is \
  "$tg/short-missed.md" 'Within 1%' \
  "${m}CP-SAT at 120 s stands in for 900 s where it settles the target: gaus-cpu $m2" 'not met'
expect 2 "targets: --cpsat-long without results.json" -- \
  python3 "$report" "$tg/main" --cpsat-long "$tg/gpu" --no-plots
check "targets: the message names the file" -- grep -q 'gpu/results.json' "$tmp/err"
expect 2 "targets: --gpu-loss folder missing" -- \
  python3 "$report" "$tg/main" --gpu-loss "$tg/nowhere" --no-plots
