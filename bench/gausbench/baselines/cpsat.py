"""CP-SAT (OR-Tools) baselines for the gaus benchmark harness.

Solves one formulation of a problem (problem.py: gaus native JSON, any format converted by
`gaus convert`) exactly, up to the time limit. Every model has starts s_i in op i's window
[ASAP, D - longest path to a sink] and s_j >= s_i + lambda_e on distance-0 edges; two models per
formulation (MODELS; results record which one as model_name, e.g. cpsat-time-indexed-A):

  time-indexed  x[i,d] = [s_i == d] over op i's window, AddExactlyOne per op, s_i = sum d x[i,d];
                the objective's per-step quantities are linear sums of these Booleans.
  cumulative    interval variables and AddCumulative (the per-step quantity as its capacity).
  time-indexed-cumulative  both (rcs only).

  rcs  minimum latency under unit limits, minimize max_i s_i + max(L_i, 1). time-indexed: per
       limited class and step t, sum of x[i,d] over d in (t - B_i, t] <= limit; cumulative: one
       AddCumulative per limited class (op i an interval of size B_i; B_i = 0 holds no unit);
       time-indexed-cumulative (the default) both. Hint: list_schedule.
  A    ICML 2024 stages (delay 0 there), minimize 100 * peak weighted stage use + sum over edges
       with c_e > 0 of (s_j - s_i). time-indexed (the default; x only for ops of w_i > 0): peak
       >= sum_i w_i x[i,d] per step d, peak >= ceil(total weight / D); cumulative: the peak as
       the capacity of a cumulative over unit intervals [s_i, s_i + 1) of demand w_i. Hint:
       balanced_stages (a first-fit list schedule).
  B    peak live memory: op i with distance-0 consumers holds b_i on [s_i, max(s_i, max_j s_j)).
       cumulative (the default): these variable-length intervals against a capacity variable;
       time-indexed: a Boolean live[i,d] >= [s_i <= d] - [s_j <= d] per consumer j, memory >=
       sum_i b_i live[i,d] per step. Hint: the ASAP schedule.

Default models: the stronger in measurements on the suites' graphs (docs/benchmarks.md); time-
indexed models run without presolve probing (seconds on their many Booleans, nothing gained).
Non-integral weights are scaled by a power of ten (up to 10^3, then rounded) for the solver;
the objective reported is recomputed exactly from the starts (problem.exact_objective, the
definitions of host/verify/objectives.hpp). Usable as a module (solve) or a command:

  bench/cpsat.py FILE --formulation rcs|A|B [--model MODEL] [--horizon D]
                 [--time-limit S] [--workers N] [--gaus build/tools/gaus] [--library L.json]
                 --out S.json
"""
from __future__ import annotations

import argparse
import json
import os
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
    model: str = ""          # model_name(formulation, model): which model gave the result


# Per formulation its models, the default (the strongest measured, docs/benchmarks.md) first.
MODELS = {"A": ("time-indexed", "cumulative"), "B": ("cumulative", "time-indexed"),
          "rcs": ("time-indexed-cumulative", "cumulative", "time-indexed")}


def model_name(formulation: str, model: str) -> str:
    """The name results record, e.g. cpsat-time-indexed-A."""
    return f"cpsat-{model}-{formulation}"


def start_windows(p: Problem, horizon: int) -> tuple[list[int], list[int]]:
    """(earliest, latest) start per op over the distance-0 edges within [0, horizon): the ASAP
    start and horizon minus the longest path to a sink (each op counting max(L_i, 1)).
    latest < earliest for some op when no schedule fits the horizon."""
    early = asap_starts(p)
    succ: list[list[int]] = [[] for _ in range(p.n)]
    indeg = [0] * p.n
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            succ[p.src[e]].append(e)
            indeg[p.dst[e]] += 1
    order, ready = [], [i for i in range(p.n) if indeg[i] == 0]
    while ready:
        i = ready.pop()
        order.append(i)
        for e in succ[i]:
            indeg[p.dst[e]] -= 1
            if indeg[p.dst[e]] == 0:
                ready.append(p.dst[e])
    tail = [occupancy(p, i) for i in range(p.n)]
    for i in reversed(order):
        for e in succ[i]:
            tail[i] = max(tail[i], p.delay[e] + tail[p.dst[e]])
    return early, [horizon - tail[i] for i in range(p.n)]


def balanced_stages(p: Problem, w: list[int], early: list[int], late: list[int]) -> list[int]:
    """A feasible A schedule for a hint: ops in topological order (least latest start first),
    each at the first step from its predecessors' earliest that keeps the step's weight within
    ceil(total / steps), else at its least loaded step. O(n * steps + m)."""
    steps = max(late, default=0) + 1
    cap = -(-sum(w) // max(steps, 1))
    pred: list[list[int]] = [[] for _ in range(p.n)]
    succ: list[list[int]] = [[] for _ in range(p.n)]
    indeg = [0] * p.n
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            pred[p.dst[e]].append(e)
            succ[p.src[e]].append(p.dst[e])
            indeg[p.dst[e]] += 1
    import heapq
    heap = [(late[i], i) for i in range(p.n) if indeg[i] == 0]
    heapq.heapify(heap)
    load = [0] * steps
    start = [0] * p.n
    while heap:
        _, i = heapq.heappop(heap)
        lo = max([early[i]] + [start[p.src[e]] + p.delay[e] for e in pred[i]])
        hi = max(lo, late[i])
        fit = [d for d in range(lo, hi + 1) if load[d] + w[i] <= cap]
        d = fit[0] if fit else min(range(lo, hi + 1), key=lambda t: (load[t], t))
        start[i] = d
        load[d] += w[i]
        for j in succ[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(heap, (late[j], j))
    return start


def list_schedule(p: Problem, late: list[int]) -> list[int]:
    """A schedule under the unit limits for an rcs hint: step by step, the ready ops (every
    distance-0 predecessor started at least delay steps before) least latest start first, each
    started where its class has a free unit for its B_i blocking steps. O(span * n)."""
    pred: list[list[int]] = [[] for _ in range(p.n)]
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            pred[p.dst[e]].append(e)
    start: list[int | None] = [None] * p.n
    busy: dict[tuple[str, int], int] = {}
    left, t = p.n, 0
    while left:
        ready = [i for i in range(p.n) if start[i] is None
                 and all(start[p.src[e]] is not None and start[p.src[e]] + p.delay[e] <= t
                         for e in pred[i])]
        for i in sorted(ready, key=lambda i: (late[i], i)):
            cls, lim = p.unit[i], p.limits.get(p.unit[i] or "", -1)
            steps = range(t, t + p.blocking[i])
            if lim >= 0 and any(busy.get((cls, u), 0) >= lim for u in steps):
                continue
            start[i] = t
            left -= 1
            for u in steps:
                busy[(cls, u)] = busy.get((cls, u), 0) + 1
        t += 1
    return [int(x) for x in start]


def solve(p: Problem, formulation: str, horizon: int = 0, time_limit: float = 10.0,
          workers: int = 1, hint: list[int] | None = None, model: str = "") -> Result:
    """Builds the formulation's model (model: one of MODELS[formulation]; "" the default) at D =
    horizon (0: the file's, else the serial length) and solves it for time_limit seconds of
    CP-SAT's Solve with `workers` workers. hint: starts given to CP-SAT as a solution hint."""
    from ortools.sat.python import cp_model  # imported here: the module loads without ortools

    if formulation not in MODELS:
        raise ValueError(f"cpsat: formulation {formulation!r} is not modelled (rcs, A, B)")
    model = model or MODELS[formulation][0]
    if model not in MODELS[formulation]:
        raise ValueError(f"cpsat: no model {model!r} for {formulation} "
                         f"({', '.join(MODELS[formulation])})")
    n = p.n
    if horizon <= 0:
        horizon = p.horizon if p.horizon > 0 else sum(occupancy(p, i) for i in range(n))
    early, late = start_windows(p, horizon)
    name = model_name(formulation, model)
    if any(late[i] < early[i] for i in range(n)):  # the critical path exceeds the horizon
        return Result("INFEASIBLE", None, None, False, None, horizon, 0.0, [], name)
    m = cp_model.CpModel()
    s = [m.NewIntVar(early[i], late[i], f"s{i}") for i in range(n)]
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            m.Add(s[p.dst[e]] >= s[p.src[e]] + p.delay[e])
    timed = model.startswith("time-indexed")
    x: list[dict[int, object]] = []
    if timed:  # x[i][d] = [s_i == d] over op i's window, exactly one per op (A: ops of w_i > 0)
        for i in range(n):
            if formulation == "A" and p.weight[i] == 0:
                x.append({})
                continue
            x.append({d: m.NewBoolVar(f"x{i}_{d}") for d in range(early[i], late[i] + 1)})
            m.AddExactlyOne(x[i].values())
            m.Add(s[i] == sum(d * v for d, v in x[i].items()))
    if formulation == "rcs":
        for cls, limit in p.limits.items():
            if limit < 0:
                continue
            members = [i for i in range(n) if p.unit[i] == cls and p.blocking[i] > 0]
            if not members:
                continue
            if model == "time-indexed-cumulative":
                ivs = [m.NewFixedSizeIntervalVar(s[i], p.blocking[i], f"u{i}") for i in members]
                m.AddCumulative(ivs, [1] * len(ivs), limit)
            if timed:  # per step at most `limit` ops of the class hold a unit
                busy: dict[int, list] = {}
                for i in members:
                    for d, v in x[i].items():
                        for t in range(d, d + p.blocking[i]):
                            busy.setdefault(t, []).append(v)
                for vs in busy.values():
                    if len(vs) > limit:
                        m.Add(sum(vs) <= limit)
            else:
                ivs = [m.NewFixedSizeIntervalVar(s[i], p.blocking[i], f"u{i}") for i in members]
                m.AddCumulative(ivs, [1] * len(ivs), limit)
        mk = m.NewIntVar(max((early[i] + occupancy(p, i) for i in range(n)), default=0),
                         horizon, "makespan")
        for i in range(n):
            m.Add(mk >= s[i] + occupancy(p, i))
        m.Minimize(mk)
        to_obj = 1.0
        if hint is None:
            hint = list_schedule(p, late)
    elif formulation == "A":
        scale = integer_scale(p.weight)
        w = [int(round(x_ * scale)) for x_ in p.weight]
        total = sum(w)
        steps = max(late, default=0) + 1
        peak = m.NewIntVar(-(-total // max(steps, 1)), total, "peak")
        if timed:  # peak >= the weight starting at each step
            per_step: dict[int, list] = {}
            for i in range(n):
                if w[i] > 0:
                    for d, v in x[i].items():
                        per_step.setdefault(d, []).append((w[i], v))
            for terms in per_step.values():
                m.Add(peak >= sum(c * v for c, v in terms))
        else:  # the peak as the capacity of a cumulative over unit intervals
            live = [i for i in range(n) if w[i] > 0]
            ivs = [m.NewFixedSizeIntervalVar(s[i], 1, f"st{i}") for i in live]
            m.AddCumulative(ivs, [w[i] for i in live], peak)
        comm = [s[p.dst[e]] - s[p.src[e]] for e in range(len(p.src))
                if p.distance[e] == 0 and p.eweight[e] != 0]
        m.Minimize(100 * peak + scale * sum(comm))
        to_obj = 1.0 / scale
        if hint is None:
            hint = balanced_stages(p, w, early, late)
    else:  # B
        scale = integer_scale(p.out_size)
        b = [int(round(x_ * scale)) for x_ in p.out_size]
        cons_of = local_consumers(p)
        holders = [i for i in range(n) if cons_of[i] and b[i] > 0]
        mem = m.NewIntVar(0, sum(b[i] for i in holders), "memory")
        if timed:
            # started(i, d) = [s_i <= d] as a sum of x; op i's value is live at step d when i
            # has started and some consumer j has not: live >= started(i, d) - started(j, d)
            def started(i: int, d: int):
                if d < early[i]:
                    return 0
                if d >= late[i]:
                    return 1
                return sum(v for t, v in x[i].items() if t <= d)
            per_step: dict[int, list] = {}
            for i in holders:
                last = max(late[j] for j in cons_of[i])
                for d in range(early[i], last):
                    lv = m.NewBoolVar(f"l{i}_{d}")
                    si = started(i, d)
                    for j in cons_of[i]:
                        if d < late[j]:
                            m.Add(lv >= si - started(j, d))
                    per_step.setdefault(d, []).append((b[i], lv))
            for terms in per_step.values():
                m.Add(mem >= sum(c * v for c, v in terms))
        else:  # lifetimes as variable-length intervals of a cumulative against the peak
            ivs, dem = [], []
            for i in holders:
                end = m.NewIntVar(0, horizon, f"end{i}")
                m.AddMaxEquality(end, [s[i]] + [s[j] for j in cons_of[i]])
                size = m.NewIntVar(0, horizon, f"len{i}")
                ivs.append(m.NewIntervalVar(s[i], size, end, f"life{i}"))
                dem.append(b[i])
            if ivs:
                m.AddCumulative(ivs, dem, mem)
        m.Minimize(mem)
        to_obj = 1.0 / scale
    if hint is None and formulation == "B":
        # ASAP is feasible at D >= critical path: a trivial start, so that CP-SAT always has
        # an incumbent on large instances (RCS has none: ASAP breaks the unit limits)
        hint = asap_starts(p)
    if hint and all(early[i] <= hint[i] <= late[i] for i in range(n)):
        for i in range(n):
            m.AddHint(s[i], int(hint[i]))
            if timed:
                for d, v in x[i].items():
                    m.AddHint(v, int(d == hint[i]))

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
    if timed:  # presolve probing of the many x[i,d] costs seconds, and gained nothing on A
        solver.parameters.cp_model_probing_level = 0
    cb = Incumbents()
    t0 = time.perf_counter()
    status = solver.Solve(m, cb)
    elapsed = time.perf_counter() - t0
    status_name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Result(status_name, None, None, False, None, horizon, elapsed, cb.points, name)
    starts = [int(solver.Value(v)) for v in s]
    bound = solver.BestObjectiveBound() * to_obj
    exact = exact_objective(p, formulation, starts)
    return Result(status_name, exact, bound, status == cp_model.OPTIMAL, starts, horizon,
                  elapsed, cb.points, name)


def schedule_json(p: Problem, r: Result) -> dict:
    """The schedule as `gaus verify` reads it."""
    return {"starts": {p.names[i]: r.starts[i] for i in range(p.n)}, "horizon": r.horizon}


def add_run_arguments(ap: argparse.ArgumentParser) -> None:
    """The options every CP-SAT baseline command takes besides its model's: the search, gaus,
    the type library and the output."""
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--gaus", default="build/tools/gaus")
    ap.add_argument("--library", help="type library JSON passed to gaus convert")
    ap.add_argument("--out", required=True, help="schedule JSON to write")


def write_schedule(path: str, doc: dict) -> None:
    """The schedule document at `path`, written beside it and renamed: never a partial file."""
    with open(path + ".part", "w") as f:
        json.dump(doc, f)
    os.replace(path + ".part", path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--formulation", required=True, choices=["rcs", "A", "B"])
    ap.add_argument("--model", default="",
                    choices=["", "time-indexed", "cumulative", "time-indexed-cumulative"],
                    help="the model (default: the formulation's default, MODELS)")
    ap.add_argument("--horizon", type=int, default=0, help="D (default: the file's, else serial)")
    add_run_arguments(ap)
    a = ap.parse_args(argv)
    extra = ["--library", a.library] if a.library else []
    p = load_problem(a.gaus, a.file, extra)
    r = solve(p, a.formulation, a.horizon, a.time_limit, a.workers, model=a.model)
    if r.starts is None:
        print(f"cpsat: {r.status}: no schedule at D={r.horizon}", file=sys.stderr)
        return 1
    doc = schedule_json(p, r)
    doc.update({"method": "cpsat", "model": r.model, "formulation": a.formulation,
                "status": r.status,
                "objective": r.objective, "bound": r.bound, "optimal": r.optimal,
                "time_s": r.time_s, "history": r.history})
    write_schedule(a.out, doc)
    print(f"{r.model}: {r.status}, objective {r.objective}, bound {r.bound}, "
          f"{r.time_s:.2f} s -> {a.out}")
    return 0

