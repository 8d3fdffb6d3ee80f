"""CP-SAT (OR-Tools) baselines for the gaus benchmark harness.

Solves one formulation of a problem (problem.py: gaus native JSON, any format converted by
`gaus convert`) exactly, up to the time limit:

  rcs  minimum latency under unit limits: starts in [0, D), s_j >= s_i + lambda_e on distance-0
       edges, one cumulative per limited unit class (op i an interval of size B_i; B_i = 0
       holds no unit), minimize max_i s_i + max(L_i, 1).
       No solution hint.
  A    ICML 2024 stages: starts in [0, D) (D = levels), the same precedence (delay 0 there),
       minimize 100 * peak weighted stage use + sum over edges with c_e > 0 of (s_j - s_i).
       The peak is a capacity variable of a cumulative over unit intervals [s_i, s_i + 1) of
       demand w_i.
  B    peak live memory: op i with distance-0 consumers holds b_i on [s_i, max(s_i, max_j s_j));
       a cumulative over these variable-length intervals against a capacity variable, minimized.
  A and B get the ASAP schedule as a solution hint (a trivial feasible point).

Non-integral weights are scaled by a power of ten (up to 10^3, then rounded) for the solver;
the objective reported is recomputed exactly from the starts (problem.exact_objective, the
definitions of host/verify/objectives.hpp). Usable as a module (solve) or a command:

  bench/cpsat.py FILE --formulation rcs|A|B [--horizon D] [--time-limit S] [--workers N]
                 [--gaus build/tools/gaus] [--library L.json] --out S.json
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field

from ..problem import (Problem, asap_starts, exact_objective, load_problem, local_consumers,
                       occupancy)


def integer_scale(values: list[float]) -> int:
    """Smallest 10^k (k <= 3) that makes every value integral; 1000 (rounded) otherwise."""
    for s in (1, 10, 100, 1000):
        if all(abs(v * s - round(v * s)) < 1e-9 for v in values):
            return s
    return 1000


@dataclass
class Result:
    status: str              # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    objective: float | None  # exact objective of the schedule (None: no solution)
    bound: float | None      # the solver's best bound, in the objective's units
    optimal: bool
    starts: list[int] | None
    horizon: int
    time_s: float
    history: list[dict] = field(default_factory=list)  # [{time_s, objective}] per incumbent


def solve(p: Problem, formulation: str, horizon: int = 0, time_limit: float = 10.0,
          workers: int = 1, hint: list[int] | None = None) -> Result:
    from ortools.sat.python import cp_model  # imported here: the module loads without ortools

    if formulation not in ("rcs", "A", "B"):
        raise ValueError(f"cpsat: formulation {formulation!r} is not modelled (rcs, A, B)")
    n = p.n
    if horizon <= 0:
        horizon = p.horizon if p.horizon > 0 else sum(occupancy(p, i) for i in range(n))
    m = cp_model.CpModel()
    s = [m.NewIntVar(0, horizon - occupancy(p, i), f"s{i}") for i in range(n)]
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            m.Add(s[p.dst[e]] >= s[p.src[e]] + p.delay[e])
    scale = 1
    if formulation == "rcs":
        for cls, limit in p.limits.items():
            if limit < 0:
                continue
            members = [i for i in range(n) if p.unit[i] == cls and p.blocking[i] > 0]
            if not members:
                continue
            ivs = [m.NewFixedSizeIntervalVar(s[i], p.blocking[i], f"u{i}") for i in members]
            m.AddCumulative(ivs, [1] * len(ivs), limit)
        mk = m.NewIntVar(0, horizon, "makespan")
        for i in range(n):
            m.Add(mk >= s[i] + occupancy(p, i))
        m.Minimize(mk)
        to_obj = 1.0
    elif formulation == "A":
        scale = integer_scale(p.weight)
        w = [int(round(x * scale)) for x in p.weight]
        peak = m.NewIntVar(0, sum(w), "peak")
        live = [i for i in range(n) if w[i] > 0]
        ivs = [m.NewFixedSizeIntervalVar(s[i], 1, f"st{i}") for i in live]
        m.AddCumulative(ivs, [w[i] for i in live], peak)
        comm = [s[p.dst[e]] - s[p.src[e]] for e in range(len(p.src))
                if p.distance[e] == 0 and p.eweight[e] != 0]
        m.Minimize(100 * peak + scale * sum(comm))
        to_obj = 1.0 / scale
    else:  # B
        scale = integer_scale(p.out_size)
        b = [int(round(x * scale)) for x in p.out_size]
        ivs, dem = [], []
        for i, cons in enumerate(local_consumers(p)):
            if not cons or b[i] == 0:
                continue
            end = m.NewIntVar(0, horizon, f"end{i}")
            m.AddMaxEquality(end, [s[i]] + [s[j] for j in cons])
            size = m.NewIntVar(0, horizon, f"len{i}")
            ivs.append(m.NewIntervalVar(s[i], size, end, f"life{i}"))
            dem.append(b[i])
        cap = m.NewIntVar(0, sum(dem), "memory")
        if ivs:
            m.AddCumulative(ivs, dem, cap)
        m.Minimize(cap)
        to_obj = 1.0 / scale
    if hint is None and formulation in ("A", "B"):
        # ASAP is feasible at D >= critical path: a trivial start, so that CP-SAT always has
        # an incumbent on large instances (RCS has none: ASAP breaks the unit limits)
        hint = asap_starts(p)
        if any(hint[i] + occupancy(p, i) > horizon for i in range(n)):
            hint = None
    if hint:
        for i in range(n):
            m.AddHint(s[i], int(hint[i]))

    class Incumbents(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.points: list[dict] = []

        def on_solution_callback(self) -> None:
            self.points.append({"time_s": self.WallTime(),
                                "objective": self.ObjectiveValue() * to_obj})

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = max(1, int(workers))
    cb = Incumbents()
    t0 = time.perf_counter()
    status = solver.Solve(m, cb)
    elapsed = time.perf_counter() - t0
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Result(name, None, None, False, None, horizon, elapsed, cb.points)
    starts = [int(solver.Value(v)) for v in s]
    bound = solver.BestObjectiveBound() * to_obj
    exact = exact_objective(p, formulation, starts)
    return Result(name, exact, bound, status == cp_model.OPTIMAL, starts, horizon, elapsed,
                  cb.points)


def schedule_json(p: Problem, r: Result) -> dict:
    """The schedule as `gaus verify` reads it."""
    return {"starts": {p.names[i]: r.starts[i] for i in range(p.n)}, "horizon": r.horizon}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--formulation", required=True, choices=["rcs", "A", "B"])
    ap.add_argument("--horizon", type=int, default=0, help="D (default: the file's, else serial)")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--gaus", default="build/tools/gaus")
    ap.add_argument("--library", help="type library JSON passed to gaus convert")
    ap.add_argument("--out", required=True, help="schedule JSON to write")
    a = ap.parse_args(argv)
    extra = ["--library", a.library] if a.library else []
    p = load_problem(a.gaus, a.file, extra)
    r = solve(p, a.formulation, a.horizon, a.time_limit, a.workers)
    if r.starts is None:
        print(f"cpsat: {r.status}: no schedule at D={r.horizon}", file=sys.stderr)
        return 1
    doc = schedule_json(p, r)
    doc.update({"method": "cpsat", "formulation": a.formulation, "status": r.status,
                "objective": r.objective, "bound": r.bound, "optimal": r.optimal,
                "time_s": r.time_s, "history": r.history})
    with open(a.out, "w") as f:
        json.dump(doc, f)
    print(f"cpsat {a.formulation}: {r.status}, objective {r.objective}, bound {r.bound}, "
          f"{r.time_s:.2f} s -> {a.out}")
    return 0

