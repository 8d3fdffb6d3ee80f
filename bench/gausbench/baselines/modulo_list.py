"""Iterative modulo scheduling (Rau, "Iterative modulo scheduling", MICRO 1994) at one II: the
harness's own heuristic, a hint for the CP-SAT baseline of formulation C (cpsat_modulo.py), as
cpsat.py's list_schedule is for rcs. It shares no code with gaus's schedulers.

modulo_list_schedule(p, ii) places the ops by decreasing height (the longest path of c_e =
L_e - d_e * II to the end of the loop body, every edge counted, loop-carried ones included),
each at a step in [Estart, Estart + II - 1] where its unit class has room at every residue its
busy steps fall on (Estart: the latest s_i + c_e over its placed predecessors, and 0): the
earliest for an op on a cycle of edges, else the best-aligned with the class's use (best_fit).
When no step fits it goes to Estart (or one past its previous step, if that is later) and
displaces the ops of its class that hold the residues it needs; placed successors whose edges
it breaks are displaced too. Up to budget_factor x ops placements; the result is checked
(every edge, every class at every residue) and shifted to start at 0, or None when the budget
runs out, a recurrence exceeds the II, or an op alone needs more units than its class has.
O(budget x II x B) plus the heights' Bellman-Ford, O(ops x edges) at worst.
"""
from __future__ import annotations

import heapq

from ..problem import Problem
from .modulo_windows import strong_components


def heights(p: Problem, ii: int) -> list[int] | None:
    """Per op the longest path of c_e = L_e - d_e * II from it (0 at the end); None on a cycle
    of positive sum (no schedule at this II)."""
    h = [0] * p.n
    edges = [(p.src[e], p.dst[e], p.delay[e] - p.distance[e] * ii) for e in range(len(p.src))]
    for _ in range(p.n + 1):
        changed = False
        for i, j, c in edges:
            if h[j] + c > h[i]:
                h[i] = h[j] + c
                changed = True
        if not changed:
            return h
    return None


def modulo_list_schedule(p: Problem, ii: int, budget_factor: int = 6) -> list[int] | None:
    """A legal modulo schedule at ii (starts >= 0, the smallest 0), or None (module docstring)."""
    if ii < 1:
        return None
    height = heights(p, ii)
    if height is None:
        return None
    n = p.n
    pred: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succ: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for e in range(len(p.src)):
        i, j, c = p.src[e], p.dst[e], p.delay[e] - p.distance[e] * ii
        if i == j:
            if c > 0:
                return None
            continue
        pred[j].append((i, c))
        succ[i].append((j, c))
    limit = {i: p.limits[p.unit[i]] for i in range(n)
             if p.unit[i] in p.limits and p.limits[p.unit[i]] >= 0 and p.blocking[i] > 0}
    for i in limit:
        if p.blocking[i] > ii * limit[i]:
            return None  # the op alone holds more than the class has at some residue
    table: dict[str, list[int]] = {p.unit[i]: [0] * ii for i in limit}
    holders: dict[tuple[str, int], set[int]] = {}

    def need(i: int, t: int) -> dict[int, int]:
        out: dict[int, int] = {}
        for u in range(p.blocking[i]):
            out[(t + u) % ii] = out.get((t + u) % ii, 0) + 1
        return out

    def fits(i: int, t: int) -> bool:
        if i not in limit:
            return True
        row = table[p.unit[i]]
        return all(row[r] + k <= limit[i] for r, k in need(i, t).items())

    def best_fit(i: int, est: int) -> int | None:
        """The step in [est, est + II) where op i fits: for an op on a cycle the earliest (a
        later one eats into the recurrence's slack); for the others the one whose busy run is
        best aligned with the class's use (starting where the use steps down and ending where
        it steps up, it fills a gap whole, so that the residues stay level and long runs
        still fit later), the earliest of the best."""
        if i not in limit:
            return est
        if cyclic[i]:
            return next((x for x in range(est, est + ii) if fits(i, x)), None)
        row, b = table[p.unit[i]], p.blocking[i]
        best, best_score = None, None
        for x in range(est, est + ii):
            if not fits(i, x):
                continue
            a, z = x % ii, (x + b) % ii
            score = (row[(a - 1) % ii] - row[a]) + (row[z] - row[(z - 1) % ii]) \
                if b % ii else 0
            if best is None or score > best_score:
                best, best_score = x, score
        return best

    start: list[int | None] = [None] * n
    previous: list[int | None] = [None] * n

    def place(i: int, t: int) -> None:
        start[i] = t
        if i in limit:
            row = table[p.unit[i]]
            for r, k in need(i, t).items():
                row[r] += k
                holders.setdefault((p.unit[i], r), set()).add(i)

    cyclic = on_cycles(n, succ)
    heap = [(-height[i], i) for i in range(n)]
    heapq.heapify(heap)

    def unplace(i: int) -> None:
        if i in limit:
            row = table[p.unit[i]]
            for r, k in need(i, start[i]).items():
                row[r] -= k
                holders[(p.unit[i], r)].discard(i)
        start[i] = None
        heapq.heappush(heap, (-height[i], i))

    budget = budget_factor * max(n, 1)
    while heap:
        _, i = heapq.heappop(heap)
        if start[i] is not None:
            continue
        budget -= 1
        if budget < 0:
            return None
        est = max([0] + [start[a] + c for a, c in pred[i] if start[a] is not None])
        t = best_fit(i, est)
        if t is None:  # forced: displace the class's ops on the residues it needs
            t = est if previous[i] is None or est > previous[i] else previous[i] + 1
            row = table[p.unit[i]]
            for r, k in need(i, t).items():
                for other in sorted(holders.get((p.unit[i], r), ()), key=lambda o: height[o]):
                    if row[r] + k <= limit[i]:
                        break
                    unplace(other)
        place(i, t)
        previous[i] = t
        for j, c in succ[i]:
            if start[j] is not None and start[j] < t + c:
                unplace(j)
    s = [int(x) for x in start]
    low = min(s, default=0)
    s = [x - low for x in s]
    return s if is_legal(p, ii, s) else None


def on_cycles(n: int, succ: list[list[tuple[int, int]]]) -> list[bool]:
    """Per op whether a cycle of edges passes through it (its strongly connected component has
    more than one op; self-loops are left out of succ)."""
    comp = strong_components(n, [[j for j, _ in succ[i]] for i in range(n)])
    size: dict[int, int] = {}
    for c in comp:
        size[c] = size.get(c, 0) + 1
    return [size[comp[i]] > 1 for i in range(n)]


def is_legal(p: Problem, ii: int, s: list[int]) -> bool:
    """Every edge, and every limited class at every residue, at ii."""
    if any(s[p.dst[e]] + p.distance[e] * ii < s[p.src[e]] + p.delay[e] for e in range(len(p.src))):
        return False
    use: dict[tuple[str, int], int] = {}
    for i in range(p.n):
        if p.unit[i] in p.limits and p.limits[p.unit[i]] >= 0:
            for u in range(p.blocking[i]):
                key = (p.unit[i], (s[i] + u) % ii)
                use[key] = use.get(key, 0) + 1
    return all(v <= p.limits[k[0]] for k, v in use.items())
