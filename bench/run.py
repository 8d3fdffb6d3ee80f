#!/usr/bin/env python3
"""gaus benchmark driver: runs suites of graphs with several methods under an equal time limit.

  bench/run.py [--suites express,rw,epfl,machsuite]
               [--methods list,fds,asap,alap,gaus-cpu,gaus-cuda,cpsat,ilp]
               [--time-limit S] [--quick] [--data-dir ../shared/data] [--gaus build/tools/gaus]
               [--out-dir bench/out] [--run-id ID] [--cpsat-workers N] [--instances a,b]
               [--gaus-args '--iterations 5000 --restarts 4'] [--ilp build/bench/gaus_ilp]
               [--max-ops fds=20000] [--method-time-limit cpsat=900,gaus-cpu=10]

Every method runs through the `gaus` tool except CP-SAT (bench/baselines/cpsat.py) and the ILP
(gaus_ilp, bench/baselines/ilp.cpp); every result's "legal" is the verdict of gaus's
independent verifier (`gaus verify` for CP-SAT and the ILP).
Writes bench/out/<run-id>/results.json, results.csv and results.md (see bench/README.md).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from baselines import cpsat  # noqa: E402
from suites import SUITES, Instance, Suite, rank_key  # noqa: E402

ALL_METHODS = ["list", "fds", "asap", "alap", "gaus-cpu", "gaus-cuda", "cpsat", "ilp"]
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu_seconds(who: int) -> float:
    """User + system CPU seconds of this process (RUSAGE_SELF) or its waited-for children."""
    u = resource.getrusage(who)
    return u.ru_utime + u.ru_stime


def sh(cmd: list[str], timeout: float | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return subprocess.CompletedProcess(cmd, 124, out, f"timed out after {timeout} s")


def git_commit() -> str:
    if os.environ.get("GAUS_COMMIT"):  # set where the tree is a copy without .git (GPU runs)
        return os.environ["GAUS_COMMIT"]
    r = sh(["git", "-C", REPO, "rev-parse", "HEAD"])
    if r.returncode != 0:
        return "unknown"
    dirty = sh(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"]).stdout
    return r.stdout.strip() + ("+dirty" if dirty.strip() else "")


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cuda_devices(gaus: str) -> list[str]:
    """Device names listed by `gaus devices` ("  0: NAME" lines)."""
    r = sh([gaus, "devices"], timeout=60)
    names = []
    for line in r.stdout.splitlines():
        head, _, name = line.strip().partition(": ")
        if head.isdigit() and name:
            names.append(name)
    return names


def time_limit(args, method: str) -> float:
    """The method's time limit: --method-time-limit's entry, else --time-limit."""
    return args.method_time_limit.get(method, args.time_limit)


def lib_args(inst: Instance) -> list[str]:
    return ["--library", inst.library] if inst.library else []


def info(gaus: str, inst: Instance) -> dict:
    r = sh([gaus, "info", inst.file, *lib_args(inst), "--json"], timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"gaus info {inst.file}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def rejected_method(r: subprocess.CompletedProcess) -> bool:
    """The tool does not know the method (or its options): exit 2 naming 'method'."""
    return r.returncode == 2 and "method" in (r.stderr + r.stdout).lower()


def base_result(suite: Suite, inst: Instance, method: str, facts: dict) -> dict:
    return {"suite": suite.name, "instance": inst.name, "file": inst.file,
            "formulation": suite.formulation, "method": method, "ops": facts.get("ops"),
            "edges": facts.get("edges"), "status": "error", "legal": False, "objective": None,
            "objectives": None, "ii": None, "horizon": None, "latency": None, "time_s": None,
            "time_to_best_s": None, "cpu_s": None, "history": [], "bound": None, "optimal": None,
            "device": None, "note": ""}


def fill_from_report(res: dict, suite: Suite, rep: dict) -> None:
    res["legal"] = bool(rep.get("legal"))
    res["objectives"] = rep.get("objectives")
    res["ii"] = rep.get("ii")
    res["horizon"] = rep.get("horizon")
    res["latency"] = rep.get("latency")
    obj = (rep.get("objectives") or {}).get(suite.objective)
    res["objective"] = float(obj) if obj is not None else None
    res["status"] = "ok" if res["legal"] else "illegal"
    if rep.get("violation_count"):
        res["note"] = f"{rep['violation_count']} violations; first: {rep['violations'][0]}"


def run_gaus(args, suite: Suite, inst: Instance, method: str, facts: dict, tmp: str,
             horizon: int | None) -> dict:
    res = base_result(suite, inst, method, facts)
    out = os.path.join(tmp, "s.json")
    if os.path.exists(out):
        os.remove(out)
    cmd = [args.gaus, "schedule", inst.file, *lib_args(inst), "--out", out]
    if method.startswith("gaus-"):
        backend = method.split("-", 1)[1]
        cmd += ["--method", "gaus", "--formulation", suite.formulation,
                "--time-limit", str(time_limit(args, method)), "--backend", backend,
                *args.gaus_args.split()]
        res["device"] = (args.cuda_names[0] if args.cuda_names else "none") \
            if backend == "cuda" else args.cpu
    else:
        cmd += ["--method", method]
        if horizon:
            cmd += ["--horizon", str(horizon)]
        res["device"] = args.cpu
    t0, c0 = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
    r = sh(cmd, timeout=3 * time_limit(args, method) + 120)
    res["time_s"] = time.perf_counter() - t0
    res["cpu_s"] = cpu_seconds(resource.RUSAGE_CHILDREN) - c0
    res["command"] = " ".join(cmd)
    if rejected_method(r):
        res["status"] = "skipped"
        res["note"] = (r.stderr.strip().splitlines() or ["rejected"])[0]
        return res
    if not os.path.exists(out):
        res["status"] = "error" if r.returncode != 1 else "infeasible"
        res["note"] = (r.stderr.strip() or r.stdout.strip())[:300]
        return res
    with open(out) as f:
        rep = json.load(f)
    fill_from_report(res, suite, rep)
    if method.startswith("gaus-"):  # the solver's own account (its backend: no silent fallback)
        res["solver"] = {k: rep.get(k) for k in ("backend", "status", "iterations", "time_s",
                                                 "restarts")}
        if rep.get("backend") and rep["backend"] != method.split("-", 1)[1]:
            res["note"] += f" [ran on backend {rep['backend']}]"
    hist = rep.get("history") or []
    res["history"] = [{"time_s": float(h["time_s"]), "objective": float(h["objective"])}
                      for h in hist if "time_s" in h and "objective" in h]
    res["time_to_best_s"] = res["history"][-1]["time_s"] if res["history"] else res["time_s"]
    if not res["history"] and res["objective"] is not None and res["legal"]:
        res["history"] = [{"time_s": res["time_s"], "objective": res["objective"]}]
    if "starts" in rep and args.problem is not None and suite.formulation in ("rcs", "A", "B"):
        starts = [rep["starts"][nm] for nm in args.problem.names]
        mine = cpsat.exact_objective(args.problem, suite.formulation, starts)
        if res["objective"] is not None and abs(mine - res["objective"]) > 1e-6 * max(1, mine):
            res["note"] += f" [harness objective {mine} differs]"
    return res


def run_cpsat(args, suite: Suite, inst: Instance, facts: dict, tmp: str,
              horizon: int | None) -> dict:
    res = base_result(suite, inst, "cpsat", facts)
    res["device"] = f"{args.cpu} ({args.cpsat_workers} workers)"
    if suite.formulation not in ("rcs", "A", "B"):
        res["status"] = "skipped"
        res["note"] = f"no CP-SAT model for formulation {suite.formulation}"
        return res
    t0, c0 = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    r = cpsat.solve(args.problem, suite.formulation, horizon or 0, time_limit(args, "cpsat"),
                    args.cpsat_workers)
    res["time_s"] = time.perf_counter() - t0
    res["cpu_s"] = cpu_seconds(resource.RUSAGE_SELF) - c0  # CP-SAT runs in this process
    res["horizon"] = r.horizon
    res["bound"] = r.bound
    res["optimal"] = r.optimal
    res["history"] = r.history
    if r.starts is None:
        res["status"] = "infeasible" if r.status == "INFEASIBLE" else "no solution"
        res["note"] = f"CP-SAT {r.status} at D={r.horizon}"
        return res
    path = os.path.join(tmp, "cpsat.json")
    with open(path, "w") as f:
        json.dump(cpsat.schedule_json(args.problem, r), f)
    v = sh([args.gaus, "verify", inst.file, path, *lib_args(inst)], timeout=300)
    res["legal"] = v.returncode == 0
    res["status"] = "ok" if res["legal"] else "illegal"
    if not res["legal"]:
        res["note"] = v.stdout.strip()[:300]
    res["objective"] = r.objective
    res["latency"] = max((r.starts[i] + cpsat.occupancy(args.problem, i)
                          for i in range(args.problem.n)), default=0)
    res["time_to_best_s"] = r.history[-1]["time_s"] if r.history else res["time_s"]
    res["note"] = (res["note"] + f" CP-SAT {r.status}").strip()
    return res


def run_ilp(args, suite: Suite, inst: Instance, facts: dict, tmp: str,
            horizon: int | None) -> dict:
    """The time-indexed ILP solved by CBC (bench/baselines/ilp.cpp, built as gaus_ilp)."""
    res = base_result(suite, inst, "ilp", facts)
    res["device"] = f"{args.cpu} ({args.ilp_threads} threads)"
    if suite.formulation not in ("rcs", "A", "B"):
        res["status"] = "skipped"
        res["note"] = f"no ILP model for formulation {suite.formulation}"
        return res
    if not os.access(args.ilp, os.X_OK):
        res["status"] = "skipped"
        res["note"] = f"no gaus_ilp binary at {args.ilp} (CBC missing at build time?)"
        return res
    out = os.path.join(tmp, "ilp.json")
    if os.path.exists(out):
        os.remove(out)
    cmd = [args.ilp, inst.file, *lib_args(inst), "--problem", suite.formulation,
           "--time-limit", str(time_limit(args, "ilp")), "--threads", str(args.ilp_threads),
           "--out", out]
    if horizon:
        cmd += ["--horizon", str(horizon)]
    t0, c0 = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
    r = sh(cmd, timeout=3 * time_limit(args, "ilp") + 120)
    res["time_s"] = time.perf_counter() - t0
    res["cpu_s"] = cpu_seconds(resource.RUSAGE_CHILDREN) - c0
    res["command"] = " ".join(cmd)
    if not os.path.exists(out):
        res["status"] = "error" if r.returncode != 1 else "no solution"
        res["note"] = (r.stderr.strip() or r.stdout.strip())[:300]
        return res
    with open(out) as f:
        rep = json.load(f)
    v = sh([args.gaus, "verify", inst.file, out, *lib_args(inst)], timeout=300)
    fill_from_report(res, suite, rep)
    res["legal"] = v.returncode == 0 and bool(rep.get("legal"))
    res["status"] = "ok" if res["legal"] else "illegal"
    if v.returncode != 0:
        res["note"] = (res["note"] + " " + v.stdout.strip()[:300]).strip()
    res["bound"] = rep.get("bound")
    res["optimal"] = bool(rep.get("optimal"))
    res["history"] = [{"time_s": float(h["time_s"]), "objective": float(h["objective"])}
                      for h in rep.get("history") or []]
    res["time_to_best_s"] = res["history"][-1]["time_s"] if res["history"] else res["time_s"]
    res["note"] = (res["note"] + f" CBC {rep.get('status')}").strip()
    return res


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


def run_instance(args, suite: Suite, inst: Instance, tmp: str) -> list[dict]:
    facts = info(args.gaus, inst)
    # the parsed problem feeds CP-SAT and the harness's own objective cross-check
    args.problem = cpsat.load_problem(args.gaus, inst.file, lib_args(inst)) \
        if suite.formulation != "C" else None
    list_latency = None
    if suite.formulation == "rcs":
        r = sh([args.gaus, "schedule", inst.file, *lib_args(inst), "--method", "list",
                "--out", os.path.join(tmp, "bound.json")], timeout=600)
        if r.returncode == 0:
            with open(os.path.join(tmp, "bound.json")) as f:
                list_latency = json.load(f)["latency"]
    h_heur, h_cp = horizons(suite, facts, list_latency)
    out = []
    for m in args.methods:
        if (facts.get("ops") or 0) > args.max_ops.get(m, float("inf")):
            res = base_result(suite, inst, m, facts)
            res["status"] = "skipped"
            res["note"] = f"{facts['ops']} ops, over --max-ops {m}={args.max_ops[m]}"
        elif m == "cpsat":
            res = run_cpsat(args, suite, inst, facts, tmp, h_cp)
        elif m == "ilp":
            res = run_ilp(args, suite, inst, facts, tmp, h_cp)
        elif suite.formulation == "C" and m in ("fds", "asap", "alap"):
            res = base_result(suite, inst, m, facts)
            res["status"] = "skipped"
            res["note"] = f"{m} does not make modulo schedules"
        else:
            res = run_gaus(args, suite, inst, m, facts, tmp, h_heur if m != "list"
                           or suite.formulation != "rcs" else None)
        res["commit"] = args.commit
        out.append(res)
        obj = "-" if res["objective"] is None else f"{res['objective']:g}"
        extra = f" II {res['ii']}" if suite.formulation == "C" and res["ii"] else ""
        print(f"  {suite.name}/{inst.name:32s} {m:10s} {res['status']:10s} "
              f"{suite.objective} {obj}{extra}  ({res['time_s'] or 0:.2f} s, "
              f"CPU {res['cpu_s'] or 0:.2f} s)"
              + (f"  [{res['note'][:80]}]" if res["status"] not in ("ok",) and res["note"]
                 else ""), flush=True)
    return out


def fmt(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:.6g}"
    return str(x)


def write_markdown(path: str, meta: dict, results: list[dict]) -> None:
    lines = [f"# gaus benchmark run {meta['run_id']}", "",
             f"commit `{meta['commit']}`, CPU {meta['cpu']}, CUDA devices: "
             f"{', '.join(meta['cuda_devices']) or 'none'}; time limit {meta['time_limit_s']} s "
             f"per method and instance; CP-SAT workers {meta['cpsat_workers']}.", "",
             "Lower is better; **bold** = best legal result of the row; `(illegal)` = the "
             "verifier rejected it; `*` = CP-SAT proved it optimal; — = not run / no result.", ""]
    for sname in meta["suites"]:
        suite = SUITES[sname]
        rows = [r for r in results if r["suite"] == sname]
        if not rows:
            continue
        methods = [m for m in meta["methods"] if any(r["method"] == m for r in rows)]
        lines += [f"## {sname}: {suite.description}", "",
                  "| instance | ops | " + " | ".join(methods) + " |",
                  "|---|---:|" + "---:|" * len(methods)]
        for inst in dict.fromkeys(r["instance"] for r in rows):
            rr = {r["method"]: r for r in rows if r["instance"] == inst}
            best = min((rank_key(suite, r) for r in rr.values()), default=None)
            cells = []
            for m in methods:
                r = rr.get(m)
                if r is None or r["objective"] is None:
                    cells.append("—" if r is None or r["status"] != "illegal"
                                 else "(illegal)")
                    continue
                txt = fmt(r["objective"])
                if suite.formulation == "C":
                    txt = f"II {r['ii']}: {txt}"
                if r.get("optimal"):
                    txt += "*"
                if not r["legal"]:
                    txt += " (illegal)"
                elif rank_key(suite, r) == best:
                    txt = f"**{txt}**"
                cells.append(txt)
            ops = next(iter(rr.values()))["ops"]
            lines.append(f"| {inst} | {ops} | " + " | ".join(cells) + " |")
        lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


CSV_COLUMNS = ["suite", "instance", "method", "formulation", "ops", "edges", "status", "legal",
               "objective", "ii", "horizon", "latency", "time_s", "cpu_s", "time_to_best_s",
               "bound", "optimal", "device", "commit", "note"]


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
    args.commit = git_commit()
    args.cpu = cpu_name()
    args.cuda_names = cuda_devices(args.gaus)
    run_id = args.run_id or dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    out_dir = os.path.join(args.out_dir, run_id)
    os.makedirs(out_dir, exist_ok=True)
    keep = set(x for x in args.instances.split(",") if x)
    plan = []
    for s in suites:
        insts = SUITES[s].instances(args.data_dir, args.quick)
        plan += [(SUITES[s], i) for i in insts if not keep or i.name in keep]
    print(f"gaus bench {run_id}: {len(plan)} instances x {len(args.methods)} methods, "
          f"time limit {args.time_limit} s, commit {args.commit}", flush=True)
    results: list[dict] = []
    meta = {"run_id": run_id, "date_utc": dt.datetime.now(dt.timezone.utc).isoformat(),
            "commit": args.commit, "cpu": args.cpu, "cuda_devices": args.cuda_names,
            "time_limit_s": args.time_limit, "method_time_limit_s": args.method_time_limit,
            "cpsat_workers": args.cpsat_workers,
            "gaus_args": args.gaus_args, "max_ops": args.max_ops,
            "suites": suites, "methods": args.methods, "quick": args.quick,
            "data_dir": os.path.abspath(args.data_dir), "gaus": os.path.abspath(args.gaus),
            "python": platform.python_version(), "host": platform.node()}
    with tempfile.TemporaryDirectory(prefix="gaus-bench-") as tmp:
        for k, (suite, inst) in enumerate(plan, 1):
            print(f"[{k}/{len(plan)}] {suite.name}/{inst.name}", flush=True)
            try:
                results += run_instance(args, suite, inst, tmp)
            except Exception as e:  # one broken instance must not end the run
                print(f"  error: {e}", flush=True)
                r = base_result(suite, inst, "*", {})
                r["note"] = str(e)[:300]
                results.append(r)
            with open(os.path.join(out_dir, "results.json"), "w") as f:
                json.dump({"meta": meta, "results": results}, f, indent=1)
    with open(os.path.join(out_dir, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in results:
            w.writerow(r)
    write_markdown(os.path.join(out_dir, "results.md"), meta, results)
    print(f"wrote {out_dir}/results.json, results.csv, results.md", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
