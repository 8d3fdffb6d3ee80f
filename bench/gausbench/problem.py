"""The scheduling problem as the harness reads it, and the exact objectives of its schedules.

load_problem converts any graph file to gaus native JSON (`gaus convert FILE --to json
[--library ...]`, docs/native-json.md) and parses it into a Problem (ops, edges, unit limits);
exact_objective scores a discrete schedule by the definitions of host/verify/objectives.hpp (C:
the peak modulo memory at an II): it gives CP-SAT's objective (whose model scales the weights)
and checks the one gaus reports.
Used by the driver, the CP-SAT baseline and the PyTorch reference.
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass


@dataclass
class Problem:
    names: list[str]
    unit: list[str | None]
    latency: list[int]
    blocking: list[int]
    weight: list[float]
    out_size: list[float]
    src: list[int]
    dst: list[int]
    delay: list[int]
    distance: list[int]
    eweight: list[float]
    limits: dict[str, int]  # class -> limit (-1 unlimited)
    horizon: int = 0
    ii: int = 0

    @property
    def n(self) -> int:
        return len(self.names)


def parse_native(doc: dict) -> Problem:
    ops = doc["ops"]
    names = [o["name"] for o in ops]
    index = {nm: k for k, nm in enumerate(names)}
    edges = doc.get("edges", [])
    lat = [int(o.get("latency", 1)) for o in ops]
    return Problem(
        names=names,
        unit=[o.get("unit") for o in ops],
        latency=lat,
        blocking=[int(o.get("blocking", 1 if o.get("unit") or o.get("type") else 0)) for o in ops],
        weight=[float(o.get("weight", 1)) for o in ops],
        out_size=[float(o.get("output_size", 1)) for o in ops],
        src=[index[e["from"]] for e in edges],
        dst=[index[e["to"]] for e in edges],
        delay=[int(e.get("delay", lat[index[e["from"]]])) for e in edges],
        distance=[int(e.get("distance", 0)) for e in edges],
        eweight=[float(e.get("weight", 0)) for e in edges],
        limits={k: int(v) for k, v in doc.get("resources", {}).items()},
        horizon=int(doc.get("horizon", 0)),
        ii=int(doc.get("ii", 0)),
    )


def load_problem(gaus: str, file: str, extra: list[str] | None = None) -> Problem:
    """Converts FILE with `gaus convert --to json` (extra: --library etc.) and parses it."""
    cmd = [gaus, "convert", file, "--to", "json", *(extra or [])]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return parse_native(json.loads(out))


def occupancy(p: Problem, i: int) -> int:
    return max(p.latency[i], 1)


def local_consumers(p: Problem) -> list[list[int]]:
    """Per op its distinct distance-0 consumers (parallel edges merged)."""
    succ: list[set[int]] = [set() for _ in range(p.n)]
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            succ[p.src[e]].add(p.dst[e])
    return [sorted(s) for s in succ]


def asap_starts(p: Problem) -> list[int]:
    """Earliest starts over distance-0 edges (Kahn order): a feasible point for A and B."""
    succ: list[list[int]] = [[] for _ in range(p.n)]
    indeg = [0] * p.n
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            succ[p.src[e]].append(e)
            indeg[p.dst[e]] += 1
    start = [0] * p.n
    ready = [i for i in range(p.n) if indeg[i] == 0]
    while ready:
        i = ready.pop()
        for e in succ[i]:
            j = p.dst[e]
            start[j] = max(start[j], start[i] + p.delay[e])
            indeg[j] -= 1
            if indeg[j] == 0:
                ready.append(j)
    return start


def peak_memory_modulo(p: Problem, starts: list[int], ii: int) -> float:
    """The peak modulo live memory of host/verify/objectives.cpp at II = ii: op i's value is live
    on [s_i, e_i), e_i its last distance-0 consumer's start (no consumer, or e_i <= s_i: never
    live); an interval of length len adds b_i * floor(len / II) at every residue and b_i at the
    len mod II residues from s_i mod II on (wrapping past II - 1 to 0); the peak is the largest
    sum over residues (0 when nothing is live)."""
    if ii < 1:
        raise ValueError(f"initiation interval must be >= 1, got {ii}")
    last: list[int | None] = [None] * p.n
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            i, j = p.src[e], p.dst[e]
            last[i] = starts[j] if last[i] is None else max(last[i], starts[j])
    base = 0.0
    diff = [0.0] * (ii + 1)
    covered = False
    for i in range(p.n):
        if last[i] is None or last[i] <= starts[i]:
            continue
        length, w = last[i] - starts[i], p.out_size[i]
        base += w * (length // ii)
        rem = length % ii
        if rem == 0 or w == 0:
            continue
        covered = True
        a = starts[i] % ii
        if a + rem <= ii:
            diff[a] += w
            diff[a + rem] -= w
        else:
            diff[a] += w
            diff[ii] -= w
            diff[0] += w
            diff[a + rem - ii] -= w
    peak = run = 0.0
    if covered:
        for t in range(ii):
            run += diff[t]
            peak = max(peak, run)
    return base + peak


def exact_objective(p: Problem, formulation: str, starts: list[int], ii: int = 0) -> float:
    """The formulation's exact objective of a discrete schedule (host/verify/objectives.hpp rules);
    C: the peak modulo memory at II = ii (peak_memory_modulo)."""
    if formulation == "C":
        return peak_memory_modulo(p, starts, ii)
    if formulation == "rcs":
        return float(max((starts[i] + occupancy(p, i) for i in range(p.n)), default=0))
    if formulation == "A":
        use: dict[int, float] = {}
        for i in range(p.n):
            use[starts[i]] = use.get(starts[i], 0.0) + p.weight[i]
        comm = sum(max(starts[p.dst[e]] - starts[p.src[e]], 0)
                   for e in range(len(p.src)) if p.distance[e] == 0 and p.eweight[e] != 0)
        return 100.0 * max(use.values(), default=0.0) + comm
    if formulation == "B":
        delta: dict[int, float] = {}
        for i, cons in enumerate(local_consumers(p)):
            if not cons:
                continue
            end = max(starts[j] for j in cons)
            if end > starts[i]:
                delta[starts[i]] = delta.get(starts[i], 0.0) + p.out_size[i]
                delta[end] = delta.get(end, 0.0) - p.out_size[i]
        best = run = 0.0
        for d in sorted(delta):
            run += delta[d]
            best = max(best, run)
        return best
    raise ValueError(f"unknown formulation {formulation!r}")
