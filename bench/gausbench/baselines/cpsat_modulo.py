"""CP-SAT (OR-Tools) baseline of formulation C: the smallest initiation interval (II) of a modulo
schedule, then its peak modulo memory.

A modulo schedule gives every op i a start s_i >= 0; a new iteration starts every II steps. It
is legal at II when every edge e = (i -> j) with delay L_e and distance d_e holds,
s_j + d_e * II >= s_i + L_e (loop-carried edges included), and, per unit class k of limit C_k
>= 0, at every residue t in [0, II) at most C_k of the class's (op, busy step) pairs fall on t:
op i holds one unit on the steps s_i .. s_i + B_i - 1, and a step u falls on t when u mod II = t
(an op with B_i > II falls on some residues more than once). The II search asks CP-SAT, for one
II at a time, whether such a schedule exists (solve_ii); search() runs that from a lower bound
and then, at the smallest II found, minimizes the modulo memory (minimize_memory).

The model at one II (build_feasibility):

  starts     s_i in [lo_i, hi_i] (windows below); every edge s_j - s_i >= c_e = L_e - d_e * II.
             A self-loop is no variable's business: L_e > d_e * II makes the II infeasible
             outright (INFEASIBLE-SELF-LOOP), as does a cycle of positive sum of c_e
             (INFEASIBLE-RECURRENCE, found while computing the windows).
  residues   only the classes that can overflow are modelled (C_k >= 0 and the total blocking of
             their ops with B_i > 0 above C_k; the others never exceed C_k at any residue). Each
             of their ops gets s_i = II * q_i + r_i, r_i in [0, II).
  units      per modelled class one AddCumulative of capacity C_k over, for every op and copy
             c = 0..K (K = the class's largest ceil(B_i / II)), the fixed-size interval
             [r_i + c * II, r_i + c * II + B_i) of demand 1 (copies that cannot reach the window
             below are left out). Over the window [K * II, (K + 1) * II) the load at K * II + t is
             exactly the use at residue t: each busy step u of op i with (r_i + u) mod II = t
             lies in exactly one copy there. Anywhere else the load counts distinct busy steps
             of residue t, so at most that use. The cumulative is therefore exact.
  symmetry   shifting a schedule by a constant keeps it legal (and its modulo memory), so one
             modelled op (of the most loaded class, the longest blocking) has r = 0.
  offsets    inside a strongly connected component of the edges every start is tied to the
             component's reference op x (a modelled op where it has one): d(x, i) <= s_i - s_x
             <= -d(i, x), d the longest path of c_e inside the component; stated for each op.

The windows lose no schedule (modulo_windows.py has the argument), so INFEASIBLE at an II proves
that no modulo schedule exists there.

The II search (search), from ii_from = max(ResMII, RecMII), both computed here (mii; they agree
with `gaus info` on all 91 MachSuite loops; gaus's conflict bound is recorded by the harness,
not used), one feasibility solve per II:

  1. upwards while CP-SAT proves the IIs infeasible, each solve given a third of the time left;
     a schedule ends the search there (proven minimal);
  2. past the first undecided II U (UNKNOWN), U + 1, U + 2, U + 4, ... each with a fifth of the
     time left, until a schedule is found at some II_f;
  3. downwards from II_f - 1 to U, every II not proven infeasible, each with a third of the time
     left and the best schedule so far as a hint (illegal at the smaller II, it guides CP-SAT
     towards a nearby one); a schedule there becomes the best.

Feasibility need not be monotone in the II, so ii_lower_bound is the smallest II >= ii_from not
proven infeasible, and ii_proven_minimal means that every II from ii_from up to the II found was
proven infeasible. What time is left goes to minimize_memory at the II found, started from the
schedule found (a hint).

The memory model (minimize_memory, at the II found; ops of output size b_i > 0 with distance-0
consumers hold b_i from s_i until the last consumer's start, e_i = max(s_i, max_j s_j)): len_i =
e_i - s_i = II * f_i + g_i with g_i in [0, II), residue rho_i of s_i, and per op two intervals
[rho_i + c * II, rho_i + c * II + g_i), c = 0, 1, of demand b_i in one AddCumulative of variable
capacity P; minimize sum_i b_i f_i + P. As above the load over [II, 2 II) is the per-residue sum
of the leftover pieces, so the optimum is exactly the peak modulo memory of
host/verify/objectives.cpp (whole wraps count at every residue, the leftover pieces where they
fall). Weights are scaled to integers as in cpsat.py. The windows are the II proof's, each
widened to end at H minus the op's longest distance-0 path to a sink, H = the latency of the
schedule found + II: the II proof's windows keep a schedule but not a memory-optimal one (they
pull ops with no unit early, away from their consumers). Any window here is a restriction, so
CP-SAT's bound is no bound over all schedules and none is reported; the memory reported is
recomputed from the starts (problem.exact_objective, formulation C).

Usable as a module (search, solve_ii, minimize_memory, schedule_json) or a command:

  bench/cpsat_modulo.py FILE [--ii-from N] [--time-limit S] [--workers N]
                        [--gaus build/tools/gaus] [--library L.json] --out S.json
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field

from ..problem import Problem, exact_objective, load_problem, occupancy
from .cpsat import add_run_arguments, integer_scale, start_windows, write_schedule
from .modulo_list import modulo_list_schedule
from .modulo_windows import (component_windows, mii, modelled_classes, modelled_ops, normalized,
                             self_loop_conflict)

MODEL_NAME = "cpsat-residue-cumulative-C"


@dataclass
class Attempt:
    """One feasibility solve of the II search."""
    ii: int
    status: str      # CP-SAT's FEASIBLE, OPTIMAL, INFEASIBLE, UNKNOWN; or INFEASIBLE-SELF-LOOP,
    #                  INFEASIBLE-RECURRENCE (found before any solve)
    time_s: float
    limit_s: float   # the time it was given
    hint: str = ""   # "list": modulo_list_schedule's (no solve); "larger II": hinted with the
    #                  best schedule so far


@dataclass
class ModuloResult:
    ii: int | None                 # the smallest II a schedule was found at (None: none found)
    ii_from: int                   # where the search started
    ii_lower_bound: int            # the smallest II >= ii_from not proven infeasible
    ii_proven_minimal: bool        # every II in [ii_from, ii) proven infeasible
    starts: list[int] | None
    objective: float | None        # exact peak modulo memory of starts at ii
    latency: int | None            # max_i s_i + max(L_i, 1)
    memory_status: str             # the memory solve's CP-SAT status ("" when it did not run)
    time_s: float
    attempts: list[Attempt] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)  # [{time_s, objective}] at the final II
    model: str = MODEL_NAME

    def note(self) -> str:
        """The attempts in order, e.g. "II 29 unknown 10.0s, 30 infeasible 3.1s, 31 feasible
        0.4s; memory feasible" (a feasibility solve's OPTIMAL reads feasible)."""
        said = {"OPTIMAL": "feasible", "FEASIBLE": "feasible"}
        parts = [f"{a.ii} {said.get(a.status, a.status.lower())}"
                 f"{' (list schedule)' if a.hint == 'list' else ''} {a.time_s:.1f}s"
                 for a in self.attempts]
        text = ("II " + ", ".join(parts)) if parts else "no II tried"
        if self.memory_status:  # OPTIMAL: within the memory model's windows
            text += f"; memory {self.memory_status.lower()}" + \
                (" in its windows" if self.memory_status == "OPTIMAL" else "")
        return text


@dataclass
class Base:
    """The variables of the feasibility model at one II."""
    model: object
    s: list
    r: dict  # op -> residue variable (modelled ops, and in the memory model every holder)
    q: dict  # op -> iteration variable, s = II * q + r
    lo: list[int]
    hi: list[int]


def build_feasibility(p: Problem, ii: int, horizon: int = 0) -> Base | None:
    """The model of the module docstring at ii (no objective), or None when no schedule exists
    at ii by the edges alone (a cycle of positive sum of c_e). The caller checks
    self_loop_conflict first. horizon > 0 widens every window to end at horizon minus the op's
    longest distance-0 path to a sink (the memory model: its optimum may lie outside the
    windows of the II proof, which keep a schedule but not every one)."""
    from ortools.sat.python import cp_model  # imported here: the module loads without ortools

    classes = modelled_classes(p)
    modelled, anchor = modelled_ops(p)
    w = component_windows(p, ii, modelled)
    if w is None:
        return None
    lo, hi = w.lo, w.hi
    if horizon > 0:
        tail = tails(p)
        hi = [max(h, horizon - tail[i]) for i, h in enumerate(hi)]
    m = cp_model.CpModel()
    s = [m.NewIntVar(lo[i], hi[i], f"s{i}") for i in range(p.n)]
    for e in range(len(p.src)):
        i, j = p.src[e], p.dst[e]
        if i != j:
            m.Add(s[j] - s[i] >= p.delay[e] - p.distance[e] * ii)
    for i in range(p.n):  # implied by the edges; stated so that propagation needs no chain
        if w.ref[i] != i:
            m.AddLinearConstraint(s[i] - s[w.ref[i]], w.d_from[i], -w.d_to[i])
    base = Base(m, s, {}, {}, lo, hi)
    for cls, members in sorted(classes.items()):
        k_max = max(-(-p.blocking[i] // ii) for i in members)
        ivs = []
        for i in members:
            r = residue(base, ii, i)
            if i == anchor:
                m.Add(r == 0)
            for c in range(k_max + 1):
                # copy c covers [r + c II, r + c II + B): it reaches the window [K II, (K+1) II)
                # for some r in [0, II) only when c II + II - 1 + B > K II
                if c * ii + ii - 1 + p.blocking[i] > k_max * ii:
                    ivs.append(m.NewFixedSizeIntervalVar(r + c * ii, p.blocking[i],
                                                         f"u{i}_{c}"))
        m.AddCumulative(ivs, [1] * len(ivs), p.limits[cls])
    return base


def tails(p: Problem) -> list[int]:
    """Per op the longest distance-0 path from its start to the end of a sink, each op counting
    max(L_i, 1) (cpsat.start_windows's tails)."""
    return [-x for x in start_windows(p, 0)[1]]


def residue(base: Base, ii: int, i: int):
    """Op i's residue variable r_i (s_i = II * q_i + r_i), made on first use."""
    if i not in base.r:
        m = base.model
        base.r[i] = m.NewIntVar(0, ii - 1, f"r{i}")
        base.q[i] = m.NewIntVar(base.lo[i] // ii, base.hi[i] // ii, f"q{i}")
        m.Add(base.s[i] == ii * base.q[i] + base.r[i])
    return base.r[i]


def new_solver(time_limit: float, workers: int):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(float(time_limit), 0.01)
    solver.parameters.num_workers = max(1, int(workers))
    return solver


def solve_ii(p: Problem, ii: int, time_limit: float, workers: int = 1,
             hint: list[int] | None = None, use_list: bool = True
             ) -> tuple[str, list[int] | None, float, str]:
    """Is there a modulo schedule at ii? (CP-SAT status, starts or None, seconds, the hint's
    source). INFEASIBLE is a proof (module docstring); INFEASIBLE-SELF-LOOP and
    INFEASIBLE-RECURRENCE (a cycle of positive sum of L_e - d_e * II) need no solve. hint:
    starts (a schedule at a larger II, illegal here) given to CP-SAT, clamped into the windows;
    it only guides ("larger II"). With use_list, modulo_list_schedule at ii is tried first: a
    schedule from it (legal: checked there) is the answer, moved into the windows (normalized)
    so that the memory model can start from it, and no solve runs ("list")."""
    if self_loop_conflict(p, ii):
        return "INFEASIBLE-SELF-LOOP", None, 0.0, ""
    t0 = time.perf_counter()
    heuristic = modulo_list_schedule(p, ii) if use_list else None
    if heuristic is not None:  # legal (checked): moved into the windows, no solve needed
        return "FEASIBLE", normalized(p, ii, heuristic, *modelled_ops(p)), \
            time.perf_counter() - t0, "list"
    base = build_feasibility(p, ii)
    if base is None:
        return "INFEASIBLE-RECURRENCE", None, time.perf_counter() - t0, ""
    source = "larger II" if hint is not None else ""
    if hint is not None:
        for i in range(p.n):
            base.model.AddHint(base.s[i], min(max(hint[i], base.lo[i]), base.hi[i]))
    solver = new_solver(time_limit - (time.perf_counter() - t0), workers)
    status = solver.Solve(base.model)
    name = solver.StatusName(status)
    starts = [int(solver.Value(v)) for v in base.s] if name in ("FEASIBLE", "OPTIMAL") else None
    return name, starts, time.perf_counter() - t0, source


def lifetime_holders(p: Problem) -> list[tuple[int, list[int]]]:
    """Ops of output size > 0 with distance-0 consumers, each with its distinct consumers."""
    cons: list[set[int]] = [set() for _ in range(p.n)]
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            cons[p.src[e]].add(p.dst[e])
    return [(i, sorted(cons[i])) for i in range(p.n) if cons[i] and p.out_size[i] > 0]


def minimize_memory(p: Problem, ii: int, hint: list[int], time_limit: float, workers: int = 1,
                    t_offset: float = 0.0) -> tuple[str, list[int], list[dict]]:
    """The modulo memory minimized at ii from the legal schedule `hint` (module docstring):
    (CP-SAT status, the best starts, history [{time_s (+ t_offset), objective}] of the exact
    memory of each improving schedule). The hint is returned when nothing better is found."""
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    latency = max((hint[i] + occupancy(p, i) for i in range(p.n)), default=0)
    base = build_feasibility(p, ii, latency + ii)
    if base is None:
        raise ValueError(f"no schedule at II {ii}: a recurrence exceeds it")
    m, s = base.model, base.s
    holders = lifetime_holders(p)
    scale = integer_scale([p.out_size[i] for i, _ in holders])
    w = {i: int(round(p.out_size[i] * scale)) for i, _ in holders}
    span = max(base.hi) - min(base.lo) + 1
    wraps, pieces, demands = [], [], []
    hint_vals: dict = {}
    for i, cons in holders:
        if w[i] == 0:
            continue
        end = m.NewIntVar(base.lo[i], max(base.hi[j] for j in [i] + cons), f"e{i}")
        m.AddMaxEquality(end, [s[i]] + [s[j] for j in cons])
        f = m.NewIntVar(0, span // ii, f"f{i}")
        g = m.NewIntVar(0, ii - 1, f"g{i}")
        m.Add(end - s[i] == ii * f + g)
        rho = residue(base, ii, i)
        top = m.NewIntVar(0, 2 * ii - 2, f"t{i}")  # rho + g
        m.Add(top == rho + g)
        for c in (0, 1):
            pieces.append(m.NewIntervalVar(rho + c * ii, g, top + c * ii, f"l{i}_{c}"))
            demands.append(w[i])
        wraps.append((w[i], f))
        last = max(hint[j] for j in [i] + cons)
        length = last - hint[i]
        hint_vals.update({end: last, f: length // ii, g: length % ii,
                          top: hint[i] % ii + length % ii})
    peak = m.NewIntVar(0, sum(demands), "peak")
    if pieces:
        m.AddCumulative(pieces, demands, peak)
    m.Minimize(sum(c * f for c, f in wraps) + peak)
    for i in range(p.n):
        m.AddHint(s[i], hint[i])
    for i, r in base.r.items():
        m.AddHint(r, hint[i] % ii)
        m.AddHint(base.q[i], hint[i] // ii)
    for v, x in hint_vals.items():
        m.AddHint(v, x)

    class Incumbents(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.points: list[dict] = []
            self.best: tuple[float, list[int]] | None = None

        def on_solution_callback(self) -> None:
            starts = [int(self.Value(v)) for v in s]
            mem = exact_objective(p, "C", starts, ii)
            if self.best is None or mem < self.best[0]:
                self.best = (mem, starts)
                self.points.append({"time_s": t_offset + time.perf_counter() - t0,
                                    "objective": mem})

    solver = new_solver(time_limit - (time.perf_counter() - t0), workers)
    cb = Incumbents()
    status = solver.Solve(m, cb)
    name = solver.StatusName(status)
    best = hint
    if cb.best is not None and cb.best[0] < exact_objective(p, "C", hint, ii):
        best = cb.best[1]
    return name, best, cb.points


def search(p: Problem, ii_from: int, time_limit: float, workers: int = 1,
           memory: bool = True, use_list: bool = True) -> ModuloResult:
    """The II search of the module docstring from ii_from (a lower bound on the II; 0: max(ResMII,
    RecMII) of mii), then (memory) the modulo memory at the II found, within time_limit seconds
    in all (use_list: solve_ii's list schedules)."""
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    ii_from = max(1, int(ii_from) or max(mii(p)))
    attempts: list[Attempt] = []
    status_of: dict[int, str] = {}
    found: tuple[int, list[int], float] | None = None  # (II, starts, time found)

    def left() -> float:
        return deadline - time.perf_counter()

    def attempt(ii: int, share: float) -> str:
        nonlocal found
        budget = max(min(left(), share), 0.0)
        st, starts, dt, source = solve_ii(p, ii, budget, workers,
                                          found[1] if found else None, use_list)
        attempts.append(Attempt(ii, st, dt, budget, source))
        status_of[ii] = st
        if starts is not None and (found is None or ii < found[0]):
            found = (ii, starts, time.perf_counter() - t0)
        return st

    # a cap on the IIs tried, so that the search ends on a loop that no II admits (a distance-0
    # cycle of positive delay) even when every solve is quick: the serial length and delays
    cap = ii_from + sum(occupancy(p, i) for i in range(p.n)) + sum(max(d, 0) for d in p.delay)
    # 1. upwards while the IIs are proven infeasible
    ii = ii_from
    undecided = None
    while found is None and ii <= cap and left() > 0.01:
        if attempt(ii, left() / 3) == "UNKNOWN":
            undecided = ii
            break
        ii += 1
    # 2. past an undecided II, galloping (+1, +2, +4, ...) until a schedule is found
    gap = 1
    while found is None and undecided is not None and undecided + gap <= cap and left() > 0.01:
        attempt(undecided + gap, left() / 5)
        gap *= 2
    # 3. downwards from the schedule found, each II hinted with the best schedule so far and
    # given a third of the time left, down to the first undecided II (once more)
    if found is not None and undecided is not None:
        for ii in range(found[0] - 1, undecided - 1, -1):
            if left() <= 0.01:
                break
            if ii < found[0] and not status_of.get(ii, "").startswith("INFEASIBLE"):
                attempt(ii, left() / 3)
    lower = ii_from
    while status_of.get(lower, "").startswith("INFEASIBLE"):
        lower += 1
    if found is None:
        return ModuloResult(None, ii_from, lower, False, None, None, None, "",
                            time.perf_counter() - t0, attempts)
    best_ii, starts, t_found = found
    history = [{"time_s": t_found, "objective": exact_objective(p, "C", starts, best_ii)}]
    mem_status = ""
    if memory and left() > 0.05:
        mem_status, starts, points = minimize_memory(p, best_ii, starts, left(), workers,
                                                     time.perf_counter() - t0)
        history += [h for h in points if h["objective"] < history[-1]["objective"]]
    latency = max((starts[i] + occupancy(p, i) for i in range(p.n)), default=0)
    return ModuloResult(best_ii, ii_from, lower, lower == best_ii, starts,
                        exact_objective(p, "C", starts, best_ii), latency, mem_status,
                        time.perf_counter() - t0, attempts, history)


def schedule_json(p: Problem, r: ModuloResult) -> dict:
    """The schedule as `gaus verify` reads it: starts, horizon (its latency) and ii."""
    return {"starts": {p.names[i]: r.starts[i] for i in range(p.n)}, "horizon": r.latency,
            "ii": r.ii}


def gaus_ii_bounds(gaus: str, file: str, extra: list[str]) -> dict:
    """res_mii, rec_mii and ii_conflict_bound from `gaus info --json` (recorded, not used)."""
    out = subprocess.run([gaus, "info", file, *extra, "--json"], check=True,
                         capture_output=True, text=True).stdout
    doc = json.loads(out)
    return {k: doc.get(k) for k in ("res_mii", "rec_mii", "ii_conflict_bound")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--ii-from", type=int, default=0,
                    help="the first II tried, a lower bound on the II (default: max(ResMII, "
                         "RecMII), computed here)")
    ap.add_argument("--no-memory", action="store_true",
                    help="stop at the smallest II found (no memory minimization)")
    add_run_arguments(ap)
    a = ap.parse_args(argv)
    extra = ["--library", a.library] if a.library else []
    p = load_problem(a.gaus, a.file, extra)
    bounds = gaus_ii_bounds(a.gaus, a.file, extra)
    ii_from = a.ii_from or max(mii(p))
    r = search(p, ii_from, a.time_limit, a.workers, memory=not a.no_memory)
    print(f"{r.model}: {r.note()}", file=sys.stderr)
    if r.starts is None:
        print(f"cpsat-modulo: no schedule found from II {ii_from} "
              f"(lower bound {r.ii_lower_bound})", file=sys.stderr)
        return 1
    doc = schedule_json(p, r)
    doc.update({"method": "cpsat", "model": r.model, "formulation": "C",
                "objective": r.objective, "latency": r.latency, "ii_from": r.ii_from,
                "ii_lower_bound": r.ii_lower_bound, "ii_proven_minimal": r.ii_proven_minimal,
                "gaus_info": bounds,
                "attempts": [a_.__dict__ for a_ in r.attempts],
                "memory_status": r.memory_status, "time_s": r.time_s, "history": r.history})
    write_schedule(a.out, doc)
    print(f"{r.model}: II {r.ii} (lower bound {r.ii_lower_bound}"
          f"{', proven minimal' if r.ii_proven_minimal else ''}), modulo memory "
          f"{r.objective:g}, latency {r.latency}, {r.time_s:.2f} s -> {a.out}")
    return 0
