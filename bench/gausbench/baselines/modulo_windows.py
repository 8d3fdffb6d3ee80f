"""Start windows of a modulo schedule at one II for the CP-SAT baseline of formulation C
(cpsat_modulo.py): the strongly connected components of the edges, longest paths inside each,
and per op a window [lo_i, hi_i] that some legal schedule meets whenever any legal schedule
exists, with the lower bounds max(ResMII, RecMII) and the classes the model constrains.

The windows lose no schedule, so INFEASIBLE at an II proves that no modulo schedule exists
there. Take any legal schedule at II (s >= 0) and move it up by less than II so that the
anchor's residue is 0. Then, over the components in topological order, shift each one down as
a whole as far as it goes, by steps of sigma = II where it holds a modelled op (its residues,
hence the unit use, unchanged) or sigma = 1 where it holds none (its ops hold no constrained
unit), while its starts stay >= 0 and its entry edges (from components already placed, which
moved down and so only loosened them) hold: its inner edges keep their slack, its exit edges
gain. The result is legal and keeps the anchor's residue, and for each component either (a)
some op k of it starts below sigma, or (b) some entry edge e = (i -> j) would break one step
lower, s_j <= s_i + c_e + sigma - 1. Inside a component every start is tied to its reference
op x (a modelled op where it has one): d(x, i) <= s_i - s_x <= -d(i, x), d the longest path of
c_e = L_e - d_e * II over the component's edges. With these offsets this gives, in topological
order,

  hi_x = max(sigma - 1 - min_k d(x, k), max over entry edges of hi_i + c_e + sigma - 1 - d(x, j)),
  hi_i = hi_x - d(i, x) for the component's ops i;

and s >= 0 with the edges gives lo_x = max(max_k d(k, x), max over entry edges of lo_i + c_e +
d(j, x)), lo_i = max(0, lo_x + d(x, i)) (true of every schedule); hi_i = max(hi_i, lo_i).
Each component adds at most sigma - 1: far tighter than the least-schedule bound of
host/ilp/modulo_model.cpp (modulo_latest_starts, up to II - 1 per modelled op and the m - 1
largest edge weights of a component of m ops), e.g. on MachSuite aes2/graph4 at II 31 the
largest hi is 133 against its 2,771. component_windows computes them (Bellman-Ford from and to
each reference op inside its component).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem


def modelled_classes(p: Problem) -> dict[str, list[int]]:
    """Per unit class that can overflow its limit at some residue (limit >= 0 and the total
    blocking of its ops with B_i > 0 above the limit) those ops."""
    out: dict[str, list[int]] = {}
    for cls, limit in p.limits.items():
        if limit < 0:
            continue
        members = [i for i in range(p.n) if p.unit[i] == cls and p.blocking[i] > 0]
        if sum(p.blocking[i] for i in members) > limit:
            out[cls] = members
    return out


def mii(p: Problem) -> tuple[int, int]:
    """(ResMII, RecMII), computed here: ResMII = max over modelled classes of ceil(total
    blocking / limit) (a class of limit 0 that an op needs admits no II: 2^40), RecMII = the
    smallest II with no cycle of positive sum of L_e - d_e * II (binary search; each test the
    windows' Bellman-Ford, or a self-loop). Both are lower bounds: every smaller II is
    infeasible, since the use per residue and the cycle sums only grow as the II shrinks."""
    res = 1
    for cls, members in modelled_classes(p).items():
        total, limit = sum(p.blocking[i] for i in members), p.limits[cls]
        res = max(res, 1 << 40 if limit == 0 else -(-total // limit))
    none = [False] * p.n

    def cyclic_ok(ii: int) -> bool:
        return self_loop_conflict(p, ii) is None and component_windows(p, ii, none) is not None

    lo, hi = 1, 1 + sum(max(d, 0) for d in p.delay)  # at hi every cycle with d > 0 is negative
    if not cyclic_ok(hi):
        return res, 1 << 40  # a cycle of distance 0 and positive delay: no II at all
    while lo < hi:
        mid = (lo + hi) // 2
        if cyclic_ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return res, lo


def self_loop_conflict(p: Problem, ii: int) -> str | None:
    """A self-loop that no start satisfies at ii (L_e > d_e * II), named; else None."""
    for e in range(len(p.src)):
        if p.src[e] == p.dst[e] and p.delay[e] > p.distance[e] * ii:
            return (f"self-loop on {p.names[p.src[e]]!r} needs {p.delay[e]} > "
                    f"{p.distance[e]} x {ii}")
    return None


def strong_components(n: int, succ: list[list[int]]) -> list[int]:
    """Per node its strongly connected component (Tarjan, iterative); components are numbered
    in reverse topological order (a component's successors have smaller numbers)."""
    index = [-1] * n
    low = [0] * n
    comp = [-1] * n
    on_stack = [False] * n
    stack: list[int] = []
    counter = ncomp = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, k = work[-1]
            if k < len(succ[v]):
                work[-1] = (v, k + 1)
                w = succ[v][k]
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = ncomp
                    if w == v:
                        break
                ncomp += 1
    return comp


@dataclass
class Windows:
    """Start windows at one II (module docstring) and each op's place in its component."""
    lo: list[int]
    hi: list[int]
    ref: list[int]     # the reference op of the op's strongly connected component
    d_from: list[int]  # dist(ref, i): s_i - s_ref >= d_from[i] in every legal schedule
    d_to: list[int]    # dist(i, ref): s_ref - s_i >= d_to[i]


@dataclass
class Components:
    """The strongly connected components of the edges at one II, in topological order."""
    order: list[list[int]]                   # each component's ops, predecessors first
    inner: list[list[tuple[int, int, int]]]  # its inner edges (i, j, c_e)
    into: list[list[tuple[int, int, int]]]   # the edges entering it from other components


def components(p: Problem, ii: int) -> Components:
    n = p.n
    succ: list[list[int]] = [[] for _ in range(n)]
    for e in range(len(p.src)):
        succ[p.src[e]].append(p.dst[e])
    comp = strong_components(n, succ)
    nc = max(comp, default=-1) + 1
    members: list[list[int]] = [[] for _ in range(nc)]
    for i in range(n):
        members[comp[i]].append(i)
    inner: list[list[tuple[int, int, int]]] = [[] for _ in range(nc)]
    into: list[list[tuple[int, int, int]]] = [[] for _ in range(nc)]
    for e in range(len(p.src)):
        i, j = p.src[e], p.dst[e]
        c = p.delay[e] - p.distance[e] * ii
        (inner[comp[i]] if comp[i] == comp[j] else into[comp[j]]).append((i, j, c))
    topo = list(range(nc - 1, -1, -1))  # Tarjan numbers: a component's predecessors come first
    return Components([members[k] for k in topo], [inner[k] for k in topo],
                      [into[k] for k in topo])


def component_windows(p: Problem, ii: int, modelled: list[bool]) -> Windows | None:
    """The windows of the module docstring at ii (modelled[i]: op i's residue is constrained),
    or None when the edges close a cycle of positive sum of c_e = L_e - d_e * II (no schedule at
    this II). Longest paths inside each component from and to its reference op (Bellman-Ford,
    O(ops x edges) of the component), then one pass over the components in topological order.
    """
    n = p.n
    cs = components(p, ii)
    w = Windows([0] * n, [0] * n, [0] * n, [0] * n, [0] * n)
    for ops, inner, into in zip(cs.order, cs.inner, cs.into):
        x = next((i for i in ops if modelled[i]), ops[0])
        for arr, forward in ((w.d_from, True), (w.d_to, False)):
            dist = longest_from(ops, inner, x, forward)
            if dist is None:
                return None
            for i in ops:
                arr[i] = dist[i]
        step = ii if any(modelled[i] for i in ops) else 1  # the shift that keeps residues
        hx = step - 1 - min(w.d_from[i] for i in ops)      # (a): some op starts below step
        lx = max(w.d_to[i] for i in ops)                   # s >= 0 everywhere
        for i, j, c in into:
            hx = max(hx, w.hi[i] + c + step - 1 - w.d_from[j])  # (b): an entry edge binds
            lx = max(lx, w.lo[i] + c + w.d_to[j])
        for i in ops:
            w.ref[i] = x
            w.lo[i] = max(0, lx + w.d_from[i])
            w.hi[i] = max(w.lo[i], hx - w.d_to[i])
    return w


def normalized(p: Problem, ii: int, starts: list[int], modelled: list[bool],
               anchor: int | None) -> list[int]:
    """A legal schedule at ii moved as in the windows' argument (module docstring): up by less
    than II so that the anchor's residue is 0, then each component, in topological order, down
    by whole steps (II if it holds a modelled op, else 1) as far as s >= 0 and its entry edges
    allow. Legal again, with the same unit use, and inside the windows."""
    s = list(starts)
    if anchor is not None:
        up = (-s[anchor]) % ii
        s = [x + up for x in s]
    cs = components(p, ii)
    for ops, into in zip(cs.order, cs.into):
        step = ii if any(modelled[i] for i in ops) else 1
        room = min([s[i] for i in ops] + [s[j] - s[i] - c for i, j, c in into])
        down = room // step * step
        for i in ops:
            s[i] -= down
    return s


def longest_from(ops: list[int], edges: list[tuple[int, int, int]], x: int, forward: bool
                 ) -> dict[int, int] | None:
    """Longest path lengths inside one strongly connected component (its ops and inner edges
    (i, j, c)): from x to every op (forward) or from every op to x; None on a positive cycle.
    Every op is reached (the component is strongly connected)."""
    neg = float("-inf")
    dist: dict[int, float] = {i: neg for i in ops}
    dist[x] = 0
    for _ in range(len(ops) + 1):
        changed = False
        for i, j, c in edges:
            a, b = (i, j) if forward else (j, i)
            if dist[a] != neg and dist[a] + c > dist[b]:
                dist[b] = dist[a] + c
                changed = True
        if not changed:
            return {i: int(v) for i, v in dist.items()}
    return None


def anchor_op(p: Problem, classes: dict[str, list[int]]) -> int | None:
    """The op whose residue is fixed to 0: of the class with the largest blocking per unit, the
    op with the longest blocking (lowest index on ties); None without modelled classes."""
    if not classes:
        return None
    cls = max(sorted(classes), key=lambda k: sum(p.blocking[i] for i in classes[k])
              / max(p.limits[k], 1))
    return max(classes[cls], key=lambda i: (p.blocking[i], -i))


def modelled_ops(p: Problem) -> tuple[list[bool], int | None]:
    """(per op whether its residue is modelled, i.e. it holds a modelled class, the anchor)."""
    classes = modelled_classes(p)
    modelled = [False] * p.n
    for members in classes.values():
        for i in members:
            modelled[i] = True
    return modelled, anchor_op(p, classes)
