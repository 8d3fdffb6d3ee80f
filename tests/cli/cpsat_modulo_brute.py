#!/usr/bin/env python3
"""The harness's CP-SAT baseline of formulation C (bench/gausbench/baselines/cpsat_modulo.py)
against brute force, on tiny loops: hand-made ones (a recurrence through a unit class of limit 1
whose ops block it for 2 cycles; two ops blocking a unit longer than the II; a self-loop) and
seeded random ones (4 or 5 ops, one or two limited classes, blocking up to 5, recurrences of
distance 1 or 2).

Brute force decides each II exactly and independently of the model: it enumerates a residue
for every op (the unit use at each residue follows from the residues alone), and for each
residue vector whose use fits the limits it decides whether the edges admit start times
s_i = II * q_i + r_i, a system of difference constraints q_j - q_i >= ceil((c_e + r_i - r_j) /
II) (c_e = L_e - d_e * II) that has an integer solution iff it has no positive cycle
(Bellman-Ford). A second brute force enumerates every start vector in [0, W)^n and checks it
directly, so that the first one is checked too. Then:

  - every legal start vector of that enumeration, moved as the argument for the model's
    windows moves it (modulo_windows.normalized), stays legal and lies in the windows;

  - per II from 1 to the brute-force minimum + 1: CP-SAT's solve_ii, without the list
    schedule's hint, decides it (each within 20 s) and agrees: INFEASIBLE only where brute
    force finds no schedule, a schedule (checked directly) where it finds one; and the list
    schedule (modulo_list.py), where it returns one, is legal;
  - max(ResMII, RecMII) (modulo_windows.mii) is a lower bound on that minimum;
  - search(), from II 1 without list schedules and from mii's bound with them, returns the
    brute-force minimum, proven minimal, with a legal schedule;
  - at that II the memory model's optimum equals the smallest peak modulo memory over every
    start vector of the model's windows (the anchor's residue 0 included), and the reported
    objective is problem.peak_memory_modulo of the starts returned;
  - with a gaus binary (argument 3): problem.peak_memory_modulo equals the peak_memory_modulo
    that `gaus schedule` reports, on a generated loop (list and the gaus solver).

Usage: cpsat_modulo_brute.py CASES SEED [GAUS]   (exit 1 with a message on the first mismatch)
"""
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
from gausbench.baselines import cpsat_modulo, modulo_windows  # noqa: E402
from gausbench.baselines.modulo_list import modulo_list_schedule  # noqa: E402
from gausbench.problem import Problem, load_problem, peak_memory_modulo  # noqa: E402


def loop(ops: list[tuple], edges: list[tuple], limits: dict) -> Problem:
    """ops: (name, unit or None, latency, blocking, output size); edges: (from, to, delay,
    distance) by op index."""
    return Problem(
        names=[o[0] for o in ops], unit=[o[1] for o in ops], latency=[o[2] for o in ops],
        blocking=[o[3] for o in ops], weight=[1.0] * len(ops), out_size=[o[4] for o in ops],
        src=[e[0] for e in edges], dst=[e[1] for e in edges], delay=[e[2] for e in edges],
        distance=[e[3] for e in edges], eweight=[0.0] * len(edges), limits=limits)


def hand_made() -> list[tuple[str, Problem]]:
    return [
        # a -> b -> c -> a (distance 1): RecMII 5; a and b share one unit for 2 cycles each
        # (ResMII 4), and the recurrence fixes their offset to 2..: the II is 5 or more
        ("recurrence, limit 1, blocking 2", loop(
            [("a", "M", 2, 2, 1.0), ("b", "M", 2, 2, 2.0), ("c", None, 1, 0, 1.0)],
            [(0, 1, 2, 0), (1, 2, 2, 0), (2, 0, 1, 1)], {"M": 1})),
        # two ops blocking a 2-unit class for 5 cycles: at II < 5 each wraps onto itself
        ("blocking above the II", loop(
            [("x", "D", 5, 5, 1.0), ("y", "D", 5, 5, 1.0), ("z", "D", 5, 5, 1.0),
             ("w", None, 1, 0, 3.0)],
            [(0, 1, 1, 0), (1, 3, 5, 0), (3, 0, 2, 1), (0, 2, 0, 0)], {"D": 2})),
        # x blocks a 2-unit class for 6 cycles, y for 2 (ResMII 4); the recurrence fixes y - x
        # to 3 at II 4, where y would overlap x's doubled residues: the II is 5, below x's 6
        ("blocking 6 above the II of 5", loop(
            [("x", "D", 3, 6, 1.0), ("y", "D", 1, 2, 1.0)],
            [(0, 1, 3, 0), (1, 0, 1, 1)], {"D": 2})),
        # an accumulator: a self-loop of delay 3 at distance 1 (II >= 3), and a unit of limit 1
        # that two more ops need for 2 cycles each
        ("self-loop", loop(
            [("acc", "A", 3, 1, 2.0), ("p", "A", 2, 2, 1.0), ("q", "A", 2, 2, 1.0)],
            [(0, 0, 3, 1), (1, 0, 2, 0), (0, 2, 3, 0)], {"A": 1})),
    ]


def random_loop(rng: random.Random) -> Problem:
    n = rng.choice([4, 5])
    classes = {"U": rng.choice([1, 2]), "V": 1}
    ops = []
    for k in range(n):
        unit = rng.choice(["U", "U", "V", None])
        lat = rng.randint(1, 3)
        block = 0 if unit is None else rng.choice([1, lat, rng.randint(1, 5)])
        ops.append((f"o{k}", unit, lat, block, float(rng.choice([0, 1, 2]))))
    edges = [(i, j, ops[i][2], 0) for j in range(n) for i in range(j) if rng.random() < 0.45]
    for _ in range(rng.randint(1, 2)):  # recurrences: a later op back to an earlier one
        j, i = sorted(rng.sample(range(n), 2))
        edges.append((i, j, ops[i][2], rng.choice([1, 2])))
    if rng.random() < 0.3:
        i = rng.randrange(n)
        edges.append((i, i, rng.randint(1, 4), 1))
    return loop(ops, edges, classes)


def unit_use_fits(p: Problem, ii: int, r: tuple) -> bool:
    """Per limited class and residue, the busy (op, step) pairs there within the limit."""
    for cls, limit in p.limits.items():
        if limit < 0:
            continue
        use = [0] * ii
        for i in range(p.n):
            if p.unit[i] == cls:
                for u in range(p.blocking[i]):
                    use[(r[i] + u) % ii] += 1
        if max(use) > limit:
            return False
    return True


def residues_admit(p: Problem, ii: int, r: tuple) -> bool:
    """Do the edges admit starts of residues r? q_j - q_i >= ceil((c + r_i - r_j) / II) per
    edge: feasible iff no positive cycle."""
    need = [(p.src[e], p.dst[e], -(-(p.delay[e] - p.distance[e] * ii + r[p.src[e]] -
                                     r[p.dst[e]]) // ii)) for e in range(len(p.src))]
    q = [0] * p.n
    for _ in range(p.n + 1):
        changed = False
        for i, j, c in need:
            if q[i] + c > q[j]:
                q[j] = q[i] + c
                changed = True
        if not changed:
            return True
    return False


def brute_feasible(p: Problem, ii: int) -> bool:
    return any(unit_use_fits(p, ii, r) and residues_admit(p, ii, r)
               for r in itertools.product(range(ii), repeat=p.n))


def legal(p: Problem, ii: int, s) -> bool:
    if any(x < 0 for x in s):
        return False
    if any(s[p.dst[e]] + p.distance[e] * ii < s[p.src[e]] + p.delay[e]
           for e in range(len(p.src))):
        return False
    return unit_use_fits(p, ii, tuple(x % ii for x in s))


def window_search(p: Problem, ii: int, width: int) -> list[tuple]:
    """Every legal start vector in [0, width)^n."""
    return [s for s in itertools.product(range(width), repeat=p.n) if legal(p, ii, s)]


def check_windows(p: Problem, ii: int, schedules: list[tuple], tag: str) -> str | None:
    """Each legal schedule, normalized as the windows' argument moves it, is legal, keeps the
    anchor's residue 0 and lies in the windows (the argument, checked on every case)."""
    modelled, anchor = modulo_windows.modelled_ops(p)
    w = modulo_windows.component_windows(p, ii, modelled)
    if w is None:
        return f"{tag}: II {ii}: windows say a recurrence exceeds it, yet {schedules[0]} is legal"
    for s in schedules:
        t = modulo_windows.normalized(p, ii, list(s), modelled, anchor)
        if not legal(p, ii, t) or (anchor is not None and t[anchor] % ii):
            return f"{tag}: II {ii}: {s} normalized to {t}, illegal or off the anchor"
        if any(not w.lo[i] <= t[i] <= w.hi[i] for i in range(p.n)):
            return f"{tag}: II {ii}: {s} normalized to {t}, outside [{w.lo}, {w.hi}]"
    return None


def check_memory(p: Problem, ii: int, tag: str) -> str | None:
    """The memory model's optimum against every start vector of its windows."""
    st, starts, _, _ = cpsat_modulo.solve_ii(p, ii, 20.0, use_list=False)
    if starts is None:
        return f"{tag}: no schedule at II {ii} for the memory check ({st})"
    status, best, _ = cpsat_modulo.minimize_memory(p, ii, starts, 20.0)
    if status != "OPTIMAL":
        return f"{tag}: memory model {status} at II {ii}"
    if not legal(p, ii, best):
        return f"{tag}: the memory model's schedule {best} is illegal at II {ii}"
    latency = max(starts[i] + max(p.latency[i], 1) for i in range(p.n))
    base = cpsat_modulo.build_feasibility(p, ii, latency + ii)
    classes = modulo_windows.modelled_classes(p)
    anchor = modulo_windows.anchor_op(p, classes)
    want = None
    ranges = [range(base.lo[i], base.hi[i] + 1) for i in range(p.n)]
    size = 1
    for rg in ranges:
        size *= len(rg)
    if size > 2_000_000:
        return None  # too wide to enumerate: not checked
    for s in itertools.product(*ranges):
        if anchor is not None and s[anchor] % ii != 0:
            continue
        if legal(p, ii, s):
            v = peak_memory_modulo(p, list(s), ii)
            want = v if want is None or v < want else want
    got = peak_memory_modulo(p, best, ii)
    if want is None or abs(got - want) > 1e-9:
        return f"{tag}: memory {got} at II {ii}, brute force over the windows {want}"
    return None


def check(p: Problem, tag: str) -> tuple[str | None, int]:
    """(a failure message or None, the number of II decisions compared)."""
    top = 1
    while not brute_feasible(p, top):
        top += 1
        if top > 12:
            return f"{tag}: no II up to 12 by brute force", 0
    compared = 0
    for ii in range(1, top + 2):
        want = brute_feasible(p, ii)
        found = window_search(p, ii, min(2 * ii + 4, 12)) if p.n <= 4 else []
        if found and not want:
            return f"{tag}: II {ii}: the residue brute force misses {found[0]}", compared
        if found:
            msg = check_windows(p, ii, found, tag)
            if msg:
                return msg, compared
        heuristic = modulo_list_schedule(p, ii)
        if heuristic is not None and not legal(p, ii, heuristic):
            return f"{tag}: II {ii}: the list schedule {heuristic} is illegal", compared
        st, starts, _, _ = cpsat_modulo.solve_ii(p, ii, 20.0, use_list=False)
        if st.startswith("INFEASIBLE") and want:
            return f"{tag}: II {ii}: CP-SAT {st} where brute force finds a schedule", compared
        if starts is not None and not legal(p, ii, starts):
            return f"{tag}: II {ii}: CP-SAT's schedule {starts} is illegal", compared
        if (starts is not None) != want:
            return f"{tag}: II {ii}: CP-SAT {st}, brute force {want}", compared
        compared += 1
    bound = max(modulo_windows.mii(p))
    if bound > top:
        return f"{tag}: max(ResMII, RecMII) = {bound}, brute force's II {top}", compared
    for use_list in (False, True):  # from II 1, and from max(ResMII, RecMII)
        r = cpsat_modulo.search(p, 0 if use_list else 1, 60.0, use_list=use_list)
        if r.ii != top or r.ii_lower_bound != top or not r.ii_proven_minimal:
            return (f"{tag}: search (list schedules {use_list}) gives II {r.ii} (lower bound "
                    f"{r.ii_lower_bound}, proven {r.ii_proven_minimal}), brute force {top}; "
                    f"{r.note()}"), compared
        if not legal(p, top, r.starts) or r.objective != peak_memory_modulo(p, r.starts, top):
            return f"{tag}: search's schedule or objective is wrong: {r.starts} {r.objective}", \
                compared
    return check_memory(p, top, tag), compared


def check_against_gaus(gaus: str) -> str | None:
    """problem.peak_memory_modulo against gaus's own report on a generated loop."""
    with tempfile.TemporaryDirectory() as tmp:
        graph = os.path.join(tmp, "loop.json")
        subprocess.run([gaus, "generate", "--kind", "loop", "--ops", "120", "--recurrences", "3", "--seed", "3",
                        "--out", graph], check=True, capture_output=True)
        p = load_problem(gaus, graph)
        for method in (["--method", "list"],
                       ["--method", "gaus", "--formulation", "C", "--time-limit", "0.5"]):
            out = os.path.join(tmp, "s.json")
            subprocess.run([gaus, "schedule", graph, *method, "--out", out], check=True,
                           capture_output=True)
            with open(out) as f:
                doc = json.load(f)
            starts = [doc["starts"][nm] for nm in p.names]
            mine = peak_memory_modulo(p, starts, doc["ii"])
            theirs = doc["objectives"]["peak_memory_modulo"]
            if abs(mine - theirs) > 1e-9 * max(1.0, abs(theirs)):
                return f"gaus {method[1]}: peak_memory_modulo {theirs}, the harness's {mine}"
    return None


def main() -> int:
    cases, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    problems = hand_made() + [(f"random case {k}", random_loop(rng)) for k in range(cases)]
    total = 0
    for tag, p in problems:
        msg, compared = check(p, tag)
        total += compared
        if msg:
            print(f"FAIL {msg}; {p}")
            return 1
    if len(sys.argv) > 3:
        msg = check_against_gaus(sys.argv[3])
        if msg:
            print(f"FAIL {msg}")
            return 1
    print(f"{len(problems)} loops, {total} II decisions as brute force")
    return 0


if __name__ == "__main__":
    sys.exit(main())
