# Sourced by run_cli_tests.sh: bench/run.py --dask against a scheduler and two single-threaded
# workers started here on 127.0.0.1 (loopback only): the worker check, a sweep compared with a
# local run (list identical, gaus legal, every row naming its worker), a sweep during which one
# worker is killed (--ship-binary --ship-data; nothing lost, the lost job retried elsewhere) and
# --resume of a run with missing rows. Needs the EXPRESS graphs (GAUS_SHARED_DATA_DIR) and the
# `distributed` package, installed when missing (tools/install_bench_deps.sh --dask); skipped,
# saying so, when either is absent. Every process started here is stopped (trap).
dask_case() {
  local root runpy data py port addr k
  root="$(cd "$(dirname "$0")/../.." && pwd)"
  runpy="$root/bench/run.py"
  data="${GAUS_SHARED_DATA_DIR:-}"
  py="${PYTHON:-python3}"
  if [ ! -f "$data/express/limits.json" ]; then
    echo "skipping Dask bench cases: no EXPRESS data at '$data'"
    return
  fi
  if ! bash "$root/tools/install_bench_deps.sh" --dask >"$tmp/dask-install.log" 2>&1; then
    echo "skipping Dask bench cases: the distributed package is missing and could not be" \
         "installed ($(tail -1 "$tmp/dask-install.log"))"
    return
  fi
  mkdir -p "$tmp/dask"
  dask_pids=()
  trap 'dask_stop; rm -rf "$tmp"' EXIT
  # the scheduler takes a free port itself and writes its address to a file (a port probed
  # here could be taken by another process before the scheduler binds it)
  DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=0 "$py" -m distributed.cli.dask_scheduler \
    --host 127.0.0.1 --port 0 --no-dashboard --scheduler-file "$tmp/dask/scheduler.json" \
    >"$tmp/dask/scheduler.log" 2>&1 &
  dask_pids+=($!)
  for k in $(seq 1 600); do
    [ -s "$tmp/dask/scheduler.json" ] && break
    kill -0 "${dask_pids[0]}" 2>/dev/null || break
    sleep 0.1
  done
  addr=$("$py" -c "import json, sys; print(json.load(open(sys.argv[1]))['address'])" \
    "$tmp/dask/scheduler.json" 2>/dev/null)
  if [ -z "$addr" ]; then
    fail=$((fail + 1))
    echo "FAIL: dask: the scheduler did not start"
    tail -5 "$tmp/dask/scheduler.log"
    dask_stop
    return
  fi
  # worker a offers the resource GPU (gaus-cuda jobs go there only); worker b believes it has no
  # gaus (the wrapper below fails there): the up-front check
  for w in a b; do
    GAUS_TEST_WORKER=$w "$py" -m distributed.cli.dask_worker "$addr" --nthreads 1 --no-nanny \
      --no-dashboard --host 127.0.0.1 --local-directory "$tmp/dask/$w" \
      $([ $w = a ] && echo --resources GPU=1) >"$tmp/dask/$w.log" 2>&1 &
    dask_pids+=($!)
  done
  local wb=${dask_pids[2]}
  local before=$fail
  expect 0 "dask: scheduler and two workers up" -- timeout 120 "$py" -c "
from distributed import Client
with Client('$addr', timeout='30s') as c:
    c.wait_for_workers(2, timeout=60)"
  if [ "$fail" -gt "$before" ]; then  # no cluster: the sweeps below would only wait
    tail -5 "$tmp/dask/scheduler.log" "$tmp/dask/a.log" "$tmp/dask/b.log"
    dask_stop
    return
  fi
  printf '#!/bin/sh\nif [ "$GAUS_TEST_WORKER" = b ]; then echo "no gaus on this worker" >&2; exit 127; fi\nexec "%s" "$@"\n' \
    "$GAUS" >"$tmp/dask/gaus-wrapped"
  chmod +x "$tmp/dask/gaus-wrapped"
  local sweep=(--suites express --methods list,gaus-cpu --instances hal,arf,ewf
               --data-dir "$data" --out-dir "$tmp/dask")
  expect 0 "dask: the local run to compare with" -- \
    "$py" "$runpy" "${sweep[@]}" --time-limit 0.5 --gaus "$GAUS" --run-id local
  expect 2 "dask: a worker that cannot run gaus stops the run" -- \
    timeout 300 "$py" "$runpy" "${sweep[@]}" --time-limit 0.5 --gaus "$tmp/dask/gaus-wrapped" \
    --dask "$addr" --run-id broken
  check "dask: the message names the worker and why" -- \
    grep -q "no gaus on this worker" "$tmp/err"
  check "dask: ... and no job ran" -- test ! -e "$tmp/dask/broken/results.json"
  expect 0 "dask: the sweep on the cluster" -- \
    timeout 300 "$py" "$runpy" "${sweep[@]}" --time-limit 0.5 --gaus "$GAUS" --dask "$addr" --run-id dask
  check "dask: every row, list identical, gaus legal, workers named" -- \
    "$py" - "$tmp/dask/local/results.json" "$tmp/dask/dask/results.json" <<'PY'
import json, sys
loc, dk = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda r: (r["instance"], r["method"])
assert [key(r) for r in loc["results"]] == [key(r) for r in dk["results"]], dk["results"]
assert len(dk["results"]) == 6
workers = set(dk["meta"]["dask"]["workers"])
assert len(workers) == 2, workers
for a, b in zip(loc["results"], dk["results"]):
    assert b["worker"] in workers and b["device"], b
    assert b["status"] == "ok" and b["legal"], b
    if a["method"] == "list":
        for f in ("objective", "objectives", "latency", "horizon", "legal", "status"):
            assert a[f] == b[f], (f, a, b)
PY
  check "dask: the CSV has the worker column" -- \
    grep -q '^suite,.*,note,worker' "$tmp/dask/dask/results.csv"
  expect 0 "dask: gaus-cuda jobs" -- timeout 300 "$py" "$runpy" "${sweep[@]}" --methods gaus-cuda \
    --time-limit 0.5 --gaus "$GAUS" --dask "$addr" --run-id cuda
  check "dask: gaus-cuda jobs ran on the worker with a GPU only" -- \
    "$py" - "$tmp/dask/cuda/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
gpu = [a for a, w in d["meta"]["dask"]["workers"].items() if w["resources"].get("GPU")]
assert len(gpu) == 1 and len(d["results"]) == 3, d
assert all(r["worker"] == gpu[0] for r in d["results"]), d["results"]
PY
  # kill worker b while it runs a gaus job: the job is retried on a, no row is lost. The four
  # instances are ones whose latency no cheap bound proves, so each gaus job runs its 2 s
  local slow=idctcol_dfg__3,motion_vectors_dfg__7,jpeg_idct_ifast_dfg__5,smooth_color_z_triangle_dfg__31
  timeout 300 "$py" "$runpy" "${sweep[@]}" --instances "$slow" --time-limit 2 --gaus "$GAUS" \
    --dask "$addr" --ship-binary --ship-data --run-id killed >"$tmp/dask/killed.log" 2>&1 &
  local sweep_pid=$!
  dask_pids+=("$sweep_pid")
  local victim=""
  for k in $(seq 1 300); do
    victim=$(ps -o pid=,args= --ppid "$wb" 2>/dev/null | awk '/schedule.*--method gaus/ {print $1}')
    [ -n "$victim" ] && break
    sleep 0.1
  done
  check "dask: worker b ran a gaus job" -- test -n "$victim"
  kill -9 "$wb" $victim 2>/dev/null
  wait "$wb" 2>/dev/null  # reaped here, without the shell's "Killed" line
  wait "$sweep_pid"
  check "dask: the sweep with a killed worker ends well" -- test $? -eq 0
  check "dask: nothing lost, the lost job retried on the other worker" -- \
    "$py" - "$tmp/dask/killed/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = d["results"]
assert len(rows) == 8 and all(r["status"] == "ok" and r["legal"] for r in rows), rows
retried = [r for r in rows if r.get("retried")]
assert retried, [r.get("worker") for r in rows]
assert all("KilledWorker" in r["retried"] for r in retried), retried
b = {r["worker"] for r in retried}
assert len(b) == 1, b  # all on the surviving worker
PY
  check "dask: the shipped binary ran" -- \
    grep -q "dask-scratch-space/worker-[^/]*/$(basename "$GAUS") schedule" \
    "$tmp/dask/killed/results.json"
  # --resume: drop two rows and turn one into an error; only those three run again
  "$py" - "$tmp/dask/dask/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["results"] = d["results"][:4]
d["results"][0]["status"] = "error"
json.dump(d, open(sys.argv[1], "w"))
PY
  expect 0 "dask: --resume" -- timeout 300 "$py" "$runpy" "${sweep[@]}" --time-limit 0.5 --gaus "$GAUS" \
    --dask "$addr" --resume dask
  check "dask: resume keeps the finished rows" -- grep -q "3 rows kept from the stopped run" \
    "$tmp/out"
  check "dask: resume ran the three others" -- \
    test "$(grep -c '^\[[0-9]/3\]' "$tmp/out")" = 3
  check "dask: resumed run complete" -- "$py" - "$tmp/dask/dask/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["results"]) == 6 and all(r["status"] == "ok" for r in d["results"]), d["results"]
assert len(d["meta"]["resumed"]) == 1
PY
  expect 2 "dask: --resume with another time limit is refused" -- timeout 300 "$py" "$runpy" "${sweep[@]}" \
    --time-limit 1 --gaus "$GAUS" --dask "$addr" --resume dask
  check "dask: ... naming it" -- grep -q "time_limit_s" "$tmp/err"
  dask_stop
  trap 'rm -rf "$tmp"' EXIT
}
# Stops what dask_case started: the workers before the scheduler (a worker that lost its
# scheduler may wait to reconnect), SIGKILL after 10 s.
dask_stop() {
  local k p alive
  for ((k = ${#dask_pids[@]} - 1; k >= 0; k--)); do kill "${dask_pids[k]}" 2>/dev/null; done
  for k in $(seq 1 100); do
    alive=""
    for p in "${dask_pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  for p in "${dask_pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait "${dask_pids[@]}" 2>/dev/null
}
dask_case
