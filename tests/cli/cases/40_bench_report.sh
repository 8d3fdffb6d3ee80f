# Sourced by run_cli_tests.sh: bench/report.py regenerates the README's results block from a
# results.json (a tiny synthetic one here; --no-plots, so matplotlib is not needed).
report="$(dirname "$0")/../../bench/report.py"
mkdir -p "$tmp/rep"
python3 - "$tmp/rep/results.json" <<'PY'
import json, sys
def r(suite, inst, method, obj, legal=True, status="ok", ii=None, optimal=None, note=""):
    return {"suite": suite, "instance": inst, "method": method, "ops": 3, "legal": legal,
            "status": status, "objective": obj, "ii": ii, "optimal": optimal, "note": note,
            "time_s": 1.5, "history": [], "formulation": {"express": "rcs", "machsuite": "C"}[suite]}
meta = {"run_id": "t1", "date_utc": "2026-11-23T06:00:00+00:00", "commit": "abc123def4567",
        "cpu": "Test CPU", "cuda_devices": [], "time_limit_s": 5.0, "cpsat_workers": 2,
        "gaus_args": "", "suites": ["express", "machsuite"], "methods": ["list", "fds",
        "gaus-cpu", "cpsat"], "quick": False, "max_ops": {"fds": 2}}
res = [r("express", "a", "list", 10.0), r("express", "a", "gaus-cpu", 9.0),
       r("express", "a", "cpsat", 9.0, optimal=True),
       r("express", "a", "fds", None, False, "skipped", note="3 ops, over --max-ops fds=2"),
       r("express", "b", "list", 5.0), r("express", "b", "gaus-cpu", 4.0, False, "illegal"),
       r("express", "b", "cpsat", 5.0),
       r("express", "b", "fds", None, False, "error", note="timed out after 135 s"),
       r("machsuite", "m/graph1", "list", 7.0, ii=2), r("machsuite", "m/graph1", "gaus-cpu",
       6.0, ii=2), r("machsuite", "m/graph1", "cpsat", None, False, "skipped"),
       r("machsuite", "m/graph1", "fds", None, False, "skipped")]
json.dump({"meta": meta, "results": res}, open(sys.argv[1], "w"))
PY
printf '# T\n\nprose before\n<!-- bench:begin -->\nOLD TABLE\n<!-- bench:end -->\nprose after\n' \
  >"$tmp/README.md"
expect 0 "report into a README" -- python3 "$report" "$tmp/rep" --readme "$tmp/README.md" --no-plots
check "report: the old block is gone" -- test "$(grep -c 'OLD TABLE' "$tmp/README.md")" = 0
check "report: prose before the markers kept" -- grep -q '^prose before$' "$tmp/README.md"
check "report: prose after the markers kept" -- grep -q '^prose after$' "$tmp/README.md"
check "report: markers kept, once each" -- test "$(grep -c '^<!-- bench:' "$tmp/README.md")" = 2
check "report: metadata" -- grep -q 'commit `abc123def456`, CPU Test CPU' "$tmp/README.md"
check "report: which instances ran" -- \
  grep -qF 'fds only on graphs up to 2 ops; instances: express 2, machsuite 1 (3 in all)' \
  "$tmp/README.md"
check "report: best bold, proven optimum starred, size cap shown" -- \
  grep -qF '| a | 3 | 10 | too big | **9**\* | **9**\* |' "$tmp/README.md"
check "report: illegal and timeout cells" -- \
  grep -qF '| b | 3 | **5** | timeout | illegal (4) | **5** |' "$tmp/README.md"
check "report: geometric mean against list" -- \
  grep -qF 'geometric mean of gaus-cpu / list 0.900 (latency, 1 instance);' "$tmp/README.md"
check "report: wins/ties/losses" -- \
  grep -qF 'gaus-cpu wins/ties/losses against list 1/0/1, cpsat 0/1/1;' "$tmp/README.md"
check "report: modulo cells, no column for methods that never apply" -- \
  grep -qF '| m/graph1 | 3 | II 2: 7 | **II 2: 6** |' "$tmp/README.md"
check "report: the block sits between the markers" -- python3 - "$tmp/README.md" <<'PY'
import sys
t = open(sys.argv[1]).read()
inner = t.split("<!-- bench:begin -->", 1)[1].split("<!-- bench:end -->", 1)[0]
assert "### express" in inner and "### machsuite" in inner and "Run `t1`" in inner
PY
cp "$tmp/README.md" "$tmp/README2.md"
expect 0 "report again: idempotent" -- \
  python3 "$report" "$tmp/rep" --readme "$tmp/README2.md" --no-plots
check "report: the second run changes nothing" -- cmp -s "$tmp/README.md" "$tmp/README2.md"
printf '# no markers\n' >"$tmp/README3.md"
expect 2 "report into a README without markers" -- \
  python3 "$report" "$tmp/rep" --readme "$tmp/README3.md" --no-plots
check "report: the message names the markers" -- grep -q 'bench:begin' "$tmp/err"
expect 2 "report on a folder without results.json" -- python3 "$report" "$tmp" --no-plots
# --replace: a re-run of one suite's cpsat takes the place of the main run's cpsat on that suite
mkdir -p "$tmp/rep2"
python3 - "$tmp/rep2/results.json" <<'PY'
import json, sys
meta = {"run_id": "t2", "date_utc": "2026-12-07T06:00:00+00:00", "commit": "fedcba9876543",
        "cpu": "Other CPU", "cuda_devices": [], "time_limit_s": 4.0, "cpsat_workers": 2,
        "gaus_args": "", "suites": ["express"], "methods": ["cpsat"], "quick": False}
res = [{"suite": "express", "instance": n, "method": "cpsat", "ops": 3, "legal": True,
        "status": "ok", "objective": o, "ii": None, "optimal": True, "note": "", "time_s": 1.0,
        "history": [], "formulation": "rcs", "model": "cpsat-time-indexed-cumulative-rcs"}
       for n, o in (("a", 9.0), ("b", 3.0))]
json.dump({"meta": meta, "results": res}, open(sys.argv[1], "w"))
PY
expect 0 "report with --replace" -- \
  python3 "$report" "$tmp/rep" --replace "$tmp/rep2" --out "$tmp/replaced.md" --no-plots
check "report: the replacing run named with its suite and limits" -- grep -qF \
  'Column cpsat of suite express from run `t2` (4 s, CP-SAT with 2 workers), 2026-12-07 06:00 UTC' \
  "$tmp/replaced.md"
check "report: the replaced cell" -- \
  grep -qF '| b | 3 | 5 | timeout | illegal (4) | **3**\* |' "$tmp/replaced.md"
check "report: the CP-SAT model named" -- grep -qF \
  'CP-SAT models (bench/gausbench/baselines/cpsat.py): express cpsat-time-indexed-cumulative-rcs.' \
  "$tmp/replaced.md"
check "report: a run without model fields names the cumulative model" -- \
  grep -qF 'express cpsat-cumulative-rcs.' "$tmp/README.md"
