"""gaus benchmark driver: runs suites of graphs with several methods under an equal time limit.

  bench/run.py [--suites express,rw,epfl,machsuite,modloop]
               [--methods list,fds,asap,alap,gaus-cpu,gaus-cuda,cpsat,ilp]
               [--time-limit S] [--quick] [--data-dir ../shared/data] [--gaus build/tools/gaus]
               [--out-dir bench/out] [--run-id ID] [--cpsat-workers N] [--instances a,b]
               [--gaus-args '--iterations 5000 --restarts 4'] [--ilp build/bench/gaus_ilp]
               [--max-ops fds=20000] [--method-time-limit cpsat=900,gaus-cpu=10]
               [--dask tcp://HOST:PORT | --dask local:N] [--ship-binary] [--ship-data]
               [--resume RUN]

Every method runs through the `gaus` tool except CP-SAT (baselines/cpsat.py) and the ILP
(gaus_ilp, bench/baselines/ilp.cpp); every result's "legal" is the verdict of gaus's
independent verifier (`gaus verify` for CP-SAT and the ILP).
Writes bench/out/<run-id>/results.json, results.csv and results.md (see bench/README.md).
This file holds the command line, the plan of a run, its results file (rewritten as rows
finish, so that --resume RUN goes on with a stopped run) and the local mode (one job after the
other in this process); the machine facts are machine.py, the methods' runners methods.py, the
CSV and Markdown writers tables.py, the Dask mode (--dask: one job per instance and method on a
cluster's workers) dask_pool.py.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile

from .machine import cpu_name, cuda_devices, git_commit
from .methods import base_result, lib_args, run_cpsat, run_gaus, run_ilp, skipped
from .paths import REPO
from .problem import load_problem
from .process import sh
from .runs import METHOD_ORDER as ALL_METHODS
from .suites import SUITES, Instance, Suite, generate_instances
from .tables import write_csv, write_markdown


def info(gaus: str, inst: Instance) -> dict:
    r = sh([gaus, "info", inst.file, *lib_args(inst), "--json"], timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"gaus info {inst.file}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def write_results(out_dir: str, meta: dict, results: list[dict]) -> None:
    """OUT_DIR/results.json, replaced whole (written beside it, then renamed: a run stopped while
    writing leaves the previous version)."""
    path = os.path.join(out_dir, "results.json")
    with open(path + ".part", "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    os.replace(path + ".part", path)


def in_plan_order(results: list[dict], plan: list, methods: list[str]) -> list[dict]:
    """results sorted as a plain local run writes them: by the plan's instances, then by
    --methods (an instance's failure row, method "*", first)."""
    pos = {(s.name, i.name): k for k, (s, i) in enumerate(plan)}
    mpos = {m: k for k, m in enumerate(methods)}
    return sorted(results, key=lambda r: (pos.get((r["suite"], r["instance"]), len(pos)),
                                          mpos.get(r["method"], -1)))


RESUME_SAME = ("time_limit_s", "method_time_limit_s", "gaus_args", "max_ops", "cpsat_workers")


def resumed_rows(out_dir: str, meta: dict) -> list[dict]:
    """The finished rows of the stopped run in OUT_DIR (all but `error` rows and whole-instance
    failures); meta gains the earlier start dates as "resumed". ValueError when there is no
    results.json or the run's limits (RESUME_SAME) differ from this command's."""
    path = os.path.join(out_dir, "results.json")
    try:
        with open(path) as f:
            old = json.load(f)
        old_meta, rows = old["meta"], old["results"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ValueError(f"--resume: no results of a run at {path} ({e})") from e
    differ = [k for k in RESUME_SAME if old_meta.get(k) != meta[k]]
    if differ:
        raise ValueError(f"--resume: the run was made with other {', '.join(differ)} "
                         f"({', '.join(f'{k}={old_meta.get(k)!r}' for k in differ)})")
    meta["resumed"] = old_meta.get("resumed", []) + [old_meta.get("date_utc")]
    return [r for r in rows if r.get("status") != "error" and r.get("method") != "*"]


def max_ops_arg(text: str) -> dict[str, int]:
    """--max-ops METHOD=N,...: each named method is recorded as skipped on graphs over N ops."""
    out = {}
    for item in filter(None, text.split(",")):
        m, sep, n = item.partition("=")
        if not sep or m not in ALL_METHODS or not n.isdigit():
            raise argparse.ArgumentTypeError(f"'{item}': expected METHOD=N, a known method")
        out[m] = int(n)
    return out


def method_time_arg(text: str) -> dict[str, float]:
    """--method-time-limit METHOD=S,...: per-method time limits (e.g. cpsat=900,gaus-cpu=10)."""
    out = {}
    for item in filter(None, text.split(",")):
        m, sep, s = item.partition("=")
        try:
            out[m] = float(s)
        except ValueError:
            out[m] = -1.0
        if not sep or m not in ALL_METHODS or not out[m] > 0:
            raise argparse.ArgumentTypeError(f"'{item}': expected METHOD=SECONDS, a known method")
    return out


def horizons(suite: Suite, facts: dict, list_latency: int | None) -> tuple[int | None, int | None]:
    """(horizon for the heuristics, horizon for CP-SAT)."""
    if suite.formulation == "rcs":
        return list_latency, list_latency  # fds balances at the list latency
    if suite.formulation == "A":
        return facts["levels"], facts["levels"]
    if suite.formulation == "B":
        return facts["critical_path"], facts["critical_path"]
    return None, None


def prepare(args, suite: Suite, inst: Instance, tmp: str) -> tuple[dict, int | None, int | None]:
    """The instance's facts (`gaus info`) and horizons (heuristics', CP-SAT's); sets args.problem
    (the parsed problem, for CP-SAT and the objective cross-check; None for C)."""
    facts = info(args.gaus, inst)
    args.problem = load_problem(args.gaus, inst.file, lib_args(inst)) \
        if suite.formulation != "C" else None
    list_latency = None
    if suite.formulation == "rcs":
        r = sh([args.gaus, "schedule", inst.file, *lib_args(inst), "--method", "list",
                "--out", os.path.join(tmp, "bound.json")], timeout=600)
        if r.returncode == 0:
            with open(os.path.join(tmp, "bound.json")) as f:
                list_latency = json.load(f)["latency"]
    h_heur, h_cp = horizons(suite, facts, list_latency)
    return facts, h_heur, h_cp


def run_method(args, suite: Suite, inst: Instance, m: str, facts: dict, tmp: str,
               h_heur: int | None, h_cp: int | None) -> dict:
    """One method on a prepared instance: its result record."""
    if (facts.get("ops") or 0) > args.max_ops.get(m, float("inf")):
        res = skipped(base_result(suite, inst, m, facts),
                      f"{facts['ops']} ops, over --max-ops {m}={args.max_ops[m]}")
    elif m == "cpsat":
        res = run_cpsat(args, suite, inst, facts, tmp, h_cp)
    elif m == "ilp":
        res = run_ilp(args, suite, inst, facts, tmp, h_cp)
    elif suite.formulation == "C" and m in ("fds", "asap", "alap"):
        res = skipped(base_result(suite, inst, m, facts), f"{m} does not make modulo schedules")
    else:
        res = run_gaus(args, suite, inst, m, facts, tmp, h_heur if m != "list"
                       or suite.formulation != "rcs" else None)
    res["commit"] = args.commit
    return res


def row_line(suite: Suite, res: dict) -> str:
    """The progress line of one result: instance, method, status, objective, times, note."""
    obj = "-" if res["objective"] is None else f"{res['objective']:g}"
    extra = f" II {res['ii']}" if suite.formulation == "C" and res["ii"] else ""
    return (f"  {suite.name}/{res['instance']:32s} {res['method']:10s} {res['status']:10s} "
            f"{suite.objective} {obj}{extra}  ({res['time_s'] or 0:.2f} s, "
            f"CPU {res['cpu_s'] or 0:.2f} s)"
            + (f"  [{res['note'][:80]}]" if res["status"] not in ("ok",) and res["note"]
               else ""))


def run_instance(args, suite: Suite, inst: Instance, tmp: str, methods: list[str]) -> list[dict]:
    facts, h_heur, h_cp = prepare(args, suite, inst, tmp)
    out = []
    for m in methods:
        res = run_method(args, suite, inst, m, facts, tmp, h_heur, h_cp)
        out.append(res)
        print(row_line(suite, res), flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="gaus benchmark driver")
    ap.add_argument("--suites", default="express,rw,epfl,machsuite")
    ap.add_argument("--methods", default="list,fds,asap,gaus-cpu,cpsat")
    ap.add_argument("--time-limit", type=float, default=10.0, help="seconds per method+instance")
    ap.add_argument("--quick", action="store_true", help="a small subset of each suite")
    ap.add_argument("--instances", default="", help="comma list of instance names to keep")
    ap.add_argument("--data-dir", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--gaus", default=os.path.join(REPO, "build", "tools", "gaus"))
    ap.add_argument("--out-dir", default=os.path.join(REPO, "bench", "out"))
    ap.add_argument("--run-id", default="")
    ap.add_argument("--cpsat-workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--ilp", default=os.path.join(REPO, "build", "bench", "gaus_ilp"),
                    help="the gaus_ilp binary (method ilp; built when CBC is installed)")
    ap.add_argument("--ilp-threads", type=int, default=1, help="CBC threads of method ilp")
    ap.add_argument("--max-ops", type=max_ops_arg, default="",
                    help="METHOD=N,...: skip METHOD on graphs over N ops (e.g. fds=20000: "
                         "force-directed scheduling is quadratic)")
    ap.add_argument("--method-time-limit", type=method_time_arg, default="",
                    help="METHOD=S,...: a method's own time limit instead of --time-limit "
                         "(e.g. cpsat=900,gaus-cpu=10)")
    ap.add_argument("--gaus-args", default="",
                    help="extra options of the gaus solver, e.g. '--iterations 5000 --restarts 4'")
    ap.add_argument("--dask", default="",
                    help="run the jobs on a Dask cluster: a scheduler's address (tcp://HOST:PORT) "
                         "or local:N (a LocalCluster of N single-threaded workers); needs the "
                         "`distributed` package")
    ap.add_argument("--ship-binary", action="store_true",
                    help="with --dask: upload the gaus (and gaus_ilp) executable to every worker "
                         "instead of running it at the same path there")
    ap.add_argument("--ship-data", action="store_true",
                    help="with --dask: send each job its graph (and type library) instead of "
                         "reading it at the same path on the worker")
    ap.add_argument("--resume", default="", metavar="RUN",
                    help="go on with run RUN under --out-dir: keep its finished rows (all but "
                         "`error`), run the rest")
    args = ap.parse_args(argv)
    args.methods = [m for m in args.methods.split(",") if m]
    bad = [m for m in args.methods if m not in ALL_METHODS]
    suites = [s for s in args.suites.split(",") if s]
    bad += [s for s in suites if s not in SUITES]
    if bad:
        ap.error(f"unknown method or suite: {', '.join(bad)}")
    if not os.access(args.gaus, os.X_OK):
        ap.error(f"no gaus binary at {args.gaus} (build it, or pass --gaus)")
    if not os.path.isdir(args.data_dir):
        ap.error(f"no data folder at {args.data_dir} (pass --data-dir)")
    if (args.ship_binary or args.ship_data) and not args.dask:
        ap.error("--ship-binary and --ship-data go with --dask")
    if args.resume and args.run_id and args.run_id != args.resume:
        ap.error("--resume RUN names the run; leave out --run-id or give the same")
    args.commit = git_commit()
    args.cpu = cpu_name()
    args.cuda_names = cuda_devices(args.gaus)
    run_id = args.resume or args.run_id or \
        dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    out_dir = os.path.join(args.out_dir, run_id)
    keep = set(x for x in args.instances.split(",") if x)
    plan = []
    for s in suites:
        insts = SUITES[s].instances(args.data_dir, args.quick)
        plan += [(SUITES[s], i) for i in insts if not keep or i.name in keep]
    try:
        generate_instances(args.gaus, plan)
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        ap.error(f"generating a suite's graphs: {e}")
    meta = {"run_id": run_id, "date_utc": dt.datetime.now(dt.timezone.utc).isoformat(),
            "commit": args.commit, "cpu": args.cpu, "cuda_devices": args.cuda_names,
            "time_limit_s": args.time_limit, "method_time_limit_s": args.method_time_limit,
            "cpsat_workers": args.cpsat_workers,
            "gaus_args": args.gaus_args, "max_ops": args.max_ops,
            "suites": suites, "methods": args.methods, "quick": args.quick,
            "data_dir": os.path.abspath(args.data_dir), "gaus": os.path.abspath(args.gaus),
            "python": platform.python_version(), "host": platform.node()}
    results: list[dict] = []
    if args.resume:
        try:
            results = resumed_rows(out_dir, meta)
        except ValueError as e:
            ap.error(str(e))
    os.makedirs(out_dir, exist_ok=True)
    done = {(r["suite"], r["instance"], r["method"]) for r in results}
    print(f"gaus bench {run_id}: {len(plan)} instances x {len(args.methods)} methods, "
          f"time limit {args.time_limit} s, commit {args.commit}"
          + (f", {len(results)} rows kept from the stopped run" if args.resume else ""),
          flush=True)
    if args.dask:
        from .dask_pool import DaskSetupError, run_on_dask  # needs `distributed`
        try:
            results = run_on_dask(args, plan, done, results, meta, out_dir)
        except DaskSetupError as e:
            print(f"run: {e}", file=sys.stderr, flush=True)
            return 2
    else:
        run_local(args, plan, done, results, meta, out_dir)
    results = in_plan_order(results, plan, args.methods)
    write_results(out_dir, meta, results)
    write_csv(os.path.join(out_dir, "results.csv"), results)
    write_markdown(os.path.join(out_dir, "results.md"), meta, results)
    print(f"wrote {out_dir}/results.json, results.csv, results.md", flush=True)
    return 0


def run_local(args, plan: list, done: set, results: list[dict], meta: dict, out_dir: str) -> None:
    """The plan's instances one after the other in this process; results.json rewritten after
    each instance."""
    with tempfile.TemporaryDirectory(prefix="gaus-bench-") as tmp:
        for k, (suite, inst) in enumerate(plan, 1):
            methods = [m for m in args.methods if (suite.name, inst.name, m) not in done]
            if not methods:
                continue
            print(f"[{k}/{len(plan)}] {suite.name}/{inst.name}", flush=True)
            try:
                results += run_instance(args, suite, inst, tmp, methods)
            except Exception as e:  # one broken instance must not end the run
                print(f"  error: {e}", flush=True)
                r = base_result(suite, inst, "*", {})
                r["note"] = str(e)[:300]
                results.append(r)
            write_results(out_dir, meta, results)
