#!/usr/bin/env python3
"""The harness's CP-SAT models (bench/gausbench/baselines/cpsat.py) against brute force: on small
random graphs (6 ops; random weights, edge weights, zero and positive delays, one unit class
with limit 1 and ops blocking 1 or 2 cycles) every model of every formulation (A, B, rcs) must
prove the optimum that enumerating every schedule in [0, D)^n finds, and return a schedule that
scores it (problem.exact_objective). Seeded: the same cases every run.

Usage: cpsat_brute.py CASES SEED    (exit 1 with a message on the first mismatch)
"""
import itertools
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
from gausbench.baselines import cpsat  # noqa: E402
from gausbench.problem import Problem, exact_objective, occupancy  # noqa: E402


def random_problem(rng: random.Random, formulation: str, n: int) -> Problem:
    edges = [(i, j) for j in range(n) for i in range(j) if rng.random() < 0.35]
    if formulation == "rcs":
        lat = [rng.choice([1, 1, 2]) for _ in range(n)]
        delay = [lat[i] for i, _ in edges]
    else:  # A: stages (delay 0); B: unit latency, delay 1 or 0
        lat = [1] * n
        delay = [0 if formulation == "A" else rng.choice([0, 1]) for _ in edges]
    return Problem(
        names=[f"o{i}" for i in range(n)],
        unit=["alu" if formulation == "rcs" and rng.random() < 0.7 else None for _ in range(n)],
        latency=lat, blocking=lat[:] if formulation == "rcs" else [0] * n,
        weight=[float(rng.choice([0, 1, 2, 3, 5, 8])) for _ in range(n)],
        out_size=[float(rng.choice([0, 1, 2, 4])) for _ in range(n)],
        src=[i for i, _ in edges], dst=[j for _, j in edges], delay=delay,
        distance=[0] * len(edges), eweight=[float(rng.choice([0, 1, 3])) for _ in edges],
        limits={"alu": 1} if formulation == "rcs" else {})


def brute_force(p: Problem, formulation: str, horizon: int) -> float | None:
    best = None
    for s in itertools.product(range(horizon), repeat=p.n):
        if any(s[i] + occupancy(p, i) > horizon for i in range(p.n)):
            continue
        if any(s[p.dst[e]] < s[p.src[e]] + p.delay[e] for e in range(len(p.src))):
            continue
        if formulation == "rcs":  # one unit: no two blocking ops of the class overlap
            busy = [t for i in range(p.n) if p.unit[i] == "alu"
                    for t in range(s[i], s[i] + p.blocking[i])]
            if len(busy) != len(set(busy)):
                continue
        v = exact_objective(p, formulation, list(s))
        best = v if best is None or v < best else best
    return best


def main() -> int:
    cases, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    checked = 0
    for k in range(cases):
        for formulation in ("A", "B", "rcs"):
            p = random_problem(rng, formulation, 6)
            early, late = cpsat.start_windows(p, 1 << 20)
            path = max(early[i] + occupancy(p, i) for i in range(p.n))
            if formulation == "A":  # D = levels: ops on the longest path
                levels = [1] * p.n
                for e in sorted(range(len(p.src)), key=lambda e: p.dst[e]):
                    levels[p.dst[e]] = max(levels[p.dst[e]], levels[p.src[e]] + 1)
                horizon = max(levels)
            elif formulation == "B":
                horizon = path
            else:  # room for the unit limit: the serial length, capped to keep it small
                horizon = min(sum(occupancy(p, i) for i in range(p.n)), path + 3)
            want = brute_force(p, formulation, horizon)
            for model in cpsat.MODELS[formulation]:
                r = cpsat.solve(p, formulation, horizon, 20.0, 1, model=model)
                tag = f"case {k} {formulation} {model} D={horizon}"
                if want is None:
                    if r.starts is not None:
                        print(f"FAIL {tag}: a schedule where none exists: {r.starts}")
                        return 1
                    continue
                if r.status != "OPTIMAL" or r.objective is None \
                        or abs(r.objective - want) > 1e-9:
                    print(f"FAIL {tag}: {r.status} {r.objective}, brute force {want}; {p}")
                    return 1
                if abs(exact_objective(p, formulation, r.starts) - want) > 1e-9:
                    print(f"FAIL {tag}: the schedule scores differently")
                    return 1
                if r.model != cpsat.model_name(formulation, model):
                    print(f"FAIL {tag}: recorded model {r.model!r}")
                    return 1
                checked += 1
    print(f"{checked} model solves optimal, as brute force")
    return 0


if __name__ == "__main__":
    sys.exit(main())
