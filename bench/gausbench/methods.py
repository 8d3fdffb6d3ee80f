"""The methods of bench/run.py: one runner per kind of method, each returning a result record.

  run_gaus   list, fds, asap, alap, gaus-cpu, gaus-cuda through `gaus schedule`
  run_cpsat  CP-SAT in this process (baselines/cpsat.py; C: baselines/cpsat_modulo.py),
             checked with `gaus verify`
  run_ilp    the time-indexed ILP solved by CBC (gaus_ilp), checked with `gaus verify`

A record starts as base_result (status "error", no objective) and is filled from the method's
report; see bench/README.md for its fields.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import time

from .baselines import cpsat, cpsat_modulo
from .problem import exact_objective, load_problem, occupancy
from .process import cpu_seconds, sh
from .suites import Instance, Suite


def time_limit(args, method: str) -> float:
    """The method's time limit: --method-time-limit's entry, else --time-limit."""
    return args.method_time_limit.get(method, args.time_limit)


def lib_args(inst: Instance) -> list[str]:
    return ["--library", inst.library] if inst.library else []


def skipped(res: dict, note: str) -> dict:
    """res recorded as not run, with the reason."""
    res["status"] = "skipped"
    res["note"] = note
    return res


def run_timed(args, res: dict, method: str, cmd: list[str]) -> subprocess.CompletedProcess:
    """Runs the method's process under the harness's limit (3 x its time limit + 120 s); its wall
    and CPU seconds and its command line go into res."""
    t0, c0 = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
    r = sh(cmd, timeout=3 * time_limit(args, method) + 120)
    res["time_s"] = time.perf_counter() - t0
    res["cpu_s"] = cpu_seconds(resource.RUSAGE_CHILDREN) - c0
    res["command"] = " ".join(cmd)
    return r


def no_output(res: dict, r: subprocess.CompletedProcess, none_status: str) -> dict:
    """res of a process that wrote no schedule: none_status where it said so (exit 1), else an
    error; the note is its message."""
    res["status"] = "error" if r.returncode != 1 else none_status
    res["note"] = (r.stderr.strip() or r.stdout.strip())[:300]
    return res


def verify(args, inst: Instance, path: str) -> subprocess.CompletedProcess:
    """`gaus verify` of a schedule written by a baseline: gaus's verdict on every result."""
    return sh([args.gaus, "verify", inst.file, path, *lib_args(inst)], timeout=300)


def rejected_method(r: subprocess.CompletedProcess) -> bool:
    """The tool does not know the method (or its options): exit 2 naming 'method'."""
    return r.returncode == 2 and "method" in (r.stderr + r.stdout).lower()


def base_result(suite: Suite, inst: Instance, method: str, facts: dict) -> dict:
    return {"suite": suite.name, "instance": inst.name, "file": inst.file,
            "formulation": suite.formulation, "method": method, "ops": facts.get("ops"),
            "edges": facts.get("edges"), "status": "error", "legal": False, "objective": None,
            "objectives": None, "ii": None, "horizon": None, "latency": None, "time_s": None,
            "time_to_best_s": None, "cpu_s": None, "history": [], "bound": None, "optimal": None,
            "ii_lower_bound": None, "ii_proven_minimal": None, "device": None, "note": "",
            **({"res_mii": facts.get("res_mii"), "rec_mii": facts.get("rec_mii"),
                "ii_conflict_bound": facts.get("ii_conflict_bound")}
               if suite.formulation == "C" else {})}


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
        if method == "fds":  # the classic algorithm to its end (--max-ops bounds its size)
            cmd += ["--time-limit", "inf"]
        if horizon:
            cmd += ["--horizon", str(horizon)]
        res["device"] = args.cpu
    r = run_timed(args, res, method, cmd)
    if rejected_method(r):
        return skipped(res, (r.stderr.strip().splitlines() or ["rejected"])[0])
    if not os.path.exists(out):
        return no_output(res, r, "infeasible")
    with open(out) as f:
        rep = json.load(f)
    fill_from_report(res, suite, rep)
    if method.startswith("gaus-"):  # the solver's own account (its backend: no silent fallback)
        if rep.get("lower_bound") is not None:  # proven at this horizon (counting arguments)
            res["bound"] = float(rep["lower_bound"])
        if rep.get("ii_lower_bound") is not None:  # C: every smaller II refuted
            res["ii_lower_bound"] = int(rep["ii_lower_bound"])
            res["ii_proven_minimal"] = bool(rep.get("ii_proven_minimal"))
        if rep.get("prove"):
            res["prove"] = rep["prove"]
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
        mine = exact_objective(args.problem, suite.formulation, starts)
        if res["objective"] is not None and abs(mine - res["objective"]) > 1e-6 * max(1, mine):
            res["note"] += f" [harness objective {mine} differs]"
    return res


def run_cpsat(args, suite: Suite, inst: Instance, facts: dict, tmp: str,
              horizon: int | None) -> dict:
    res = base_result(suite, inst, "cpsat", facts)
    res["device"] = f"{args.cpu} ({args.cpsat_workers} workers)"
    if suite.formulation == "C":
        return run_cpsat_modulo(args, inst, facts, tmp, res)
    if suite.formulation not in ("rcs", "A", "B"):
        return skipped(res, f"no CP-SAT model for formulation {suite.formulation}")
    t0, c0 = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    r = cpsat.solve(args.problem, suite.formulation, horizon or 0, time_limit(args, "cpsat"),
                    args.cpsat_workers)
    res["time_s"] = time.perf_counter() - t0
    res["cpu_s"] = cpu_seconds(resource.RUSAGE_SELF) - c0  # CP-SAT runs in this process
    res["model"] = r.model
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
    v = verify(args, inst, path)
    res["legal"] = v.returncode == 0
    res["status"] = "ok" if res["legal"] else "illegal"
    if not res["legal"]:
        res["note"] = v.stdout.strip()[:300]
    res["objective"] = r.objective
    res["latency"] = max((r.starts[i] + occupancy(args.problem, i)
                          for i in range(args.problem.n)), default=0)
    res["time_to_best_s"] = r.history[-1]["time_s"] if r.history else res["time_s"]
    res["note"] = (res["note"] + f" CP-SAT {r.status}").strip()
    return res


def run_cpsat_modulo(args, inst: Instance, facts: dict, tmp: str, res: dict) -> dict:
    """C: the smallest II by CP-SAT from max(ResMII, RecMII) as the baseline computes them (gaus
    info's, and its conflict bound, stay in the record, unused), then the modulo memory there
    (baselines/cpsat_modulo.py); the schedule is checked with `gaus verify`."""
    problem = args.problem or load_problem(args.gaus, inst.file, lib_args(inst))
    t0, c0 = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    r = cpsat_modulo.search(problem, 0, time_limit(args, "cpsat"), args.cpsat_workers)
    res["time_s"] = time.perf_counter() - t0
    res["cpu_s"] = cpu_seconds(resource.RUSAGE_SELF) - c0  # CP-SAT runs in this process
    res["model"] = r.model
    res["ii_lower_bound"] = r.ii_lower_bound
    res["attempts"] = [{"ii": a.ii, "status": a.status, "time_s": a.time_s, "limit_s": a.limit_s,
                        "hint": a.hint} for a in r.attempts]
    res["history"] = r.history
    theirs = max(facts.get("res_mii") or 1, facts.get("rec_mii") or 1)
    mismatch = f" [max(ResMII, RecMII) {r.ii_from}, gaus info {theirs}]" \
        if theirs != r.ii_from else ""
    if r.starts is None:
        res["status"] = "no solution"
        res["ii_proven_minimal"] = False
        res["note"] = f"CP-SAT: no schedule; {r.note()}{mismatch}"
        return res
    path = os.path.join(tmp, "cpsat.json")
    with open(path, "w") as f:
        json.dump(cpsat_modulo.schedule_json(problem, r), f)
    v = verify(args, inst, path)
    res["legal"] = v.returncode == 0
    res["status"] = "ok" if res["legal"] else "illegal"
    res["ii"] = r.ii
    res["ii_proven_minimal"] = r.ii_proven_minimal
    res["objective"] = r.objective
    res["latency"] = r.latency
    res["horizon"] = r.latency
    res["time_to_best_s"] = r.history[-1]["time_s"] if r.history else res["time_s"]
    res["note"] = f"CP-SAT {r.note()}{mismatch}"
    if not res["legal"]:
        res["note"] = v.stdout.strip()[:300] + " " + res["note"]
    return res


def run_ilp(args, suite: Suite, inst: Instance, facts: dict, tmp: str,
            horizon: int | None) -> dict:
    """The time-indexed ILP solved by CBC (bench/baselines/ilp.cpp, built as gaus_ilp)."""
    res = base_result(suite, inst, "ilp", facts)
    res["device"] = f"{args.cpu} ({args.ilp_threads} threads)"
    if suite.formulation not in ("rcs", "A", "B"):
        return skipped(res, f"no ILP model for formulation {suite.formulation}")
    if not os.access(args.ilp, os.X_OK):
        return skipped(res, f"no gaus_ilp binary at {args.ilp} (CBC missing at build time?)")
    out = os.path.join(tmp, "ilp.json")
    if os.path.exists(out):
        os.remove(out)
    cmd = [args.ilp, inst.file, *lib_args(inst), "--problem", suite.formulation,
           "--time-limit", str(time_limit(args, "ilp")), "--threads", str(args.ilp_threads),
           "--out", out]
    if horizon:
        cmd += ["--horizon", str(horizon)]
    r = run_timed(args, res, "ilp", cmd)
    if not os.path.exists(out):
        return no_output(res, r, "no solution")
    with open(out) as f:
        rep = json.load(f)
    v = verify(args, inst, out)
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
