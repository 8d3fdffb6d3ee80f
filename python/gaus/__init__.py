"""gaus: schedule the operations of a dataflow graph onto clock cycles.

The same solver and verifier as the ``gaus`` command (C++, CPU or CUDA): gradient descent over
Gaussian start times, legalized by list scheduling, every reported schedule checked by the
independent verifier.

    import gaus
    p = gaus.read("hal.dot", library="limits.json")     # any format the command reads
    r = gaus.solve(p, time_limit=2)                      # formulation rcs: minimum latency
    r.latency, r.legal, r.starts["3"]
    gaus.verify(p, r.starts)                             # [] when legal

Units: steps and latencies are clock cycles (integers), times are seconds. Errors: malformed
input raises ValueError (its message names the file, line and op), a missing file
FileNotFoundError, a request no schedule can meet InfeasibleError (a ValueError). See
docs/python.md.
"""

from __future__ import annotations

import errno
import math
import operator
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

import numpy as np

from . import _gaus
from ._gaus import InfeasibleError, Problem, Progress

__version__: str = _gaus.__version__
#: True when the extension was built with the CUDA backend (backend="cuda" can then run on a GPU).
cuda_built: bool = _gaus.cuda_built

__all__ = [
    "InfeasibleError",
    "Problem",
    "Progress",
    "Result",
    "cuda_built",
    "from_arrays",
    "from_networkx",
    "read",
    "schedule",
    "solve",
    "verify",
]

PathLike = Union[str, "os.PathLike[str]"]
#: {"TYPE": N} or ["TYPE=N", ...] (the command's flag syntax).
Overrides = Union[Mapping[str, Any], Sequence[str], None]
#: Per-op starts: a Result, {op name: step}, or one step per op in op order (list, NumPy array).
Starts = Union["Result", Mapping[str, int], Sequence[int], np.ndarray]

_FORMATS = ("json", "heurigym", "aiger", "aig", "aag", "dot", "gml", "graphml", "ssp", "mlir")


# ---- helpers --------------------------------------------------------------------------------


def _require_file(path: str, what: str) -> None:
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, f"{what} not found", path)


def _flags(value: Overrides, name: str, unlimited: bool = False) -> list[str]:
    """A dict or a list of "KEY=VALUE" strings as the command's repeated flag values."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        out = []
        for k, v in value.items():
            if unlimited and v is None:
                v = -1
            if isinstance(v, bool) or not isinstance(v, (int, str, np.integer)):
                raise TypeError(f"{name}: {k!r} maps to {v!r}, expected an integer or a string")
            out.append(f"{k}={v}")
        return out
    out = list(value)
    for x in out:
        if not isinstance(x, str):
            raise TypeError(f"{name}: expected a dict or 'KEY=VALUE' strings, got {x!r}")
    return out


def _count(value: Any, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    n = operator.index(value)
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    return n


def _optional_count(value: Any, name: str) -> int:
    return 0 if value is None else _count(value, name)


def _per_op(values: Optional[Sequence[Any]], n: int, default: Any, convert: Callable, name: str):
    if values is None:
        return []
    out = list(values)
    if len(out) != n:
        raise ValueError(f"{name} has {len(out)} entries, expected one per op ({n})")
    return [default if v is None else convert(v) for v in out]


# ---- reading and building problems ----------------------------------------------------------


def read(
    path: PathLike,
    *,
    format: Optional[str] = None,
    library: Optional[PathLike] = None,
    design: Optional[str] = None,
    latency: Overrides = None,
    limits: Overrides = None,
    unit_class: Overrides = None,
    non_pipelined: bool = False,
    companion: Optional[PathLike] = None,
) -> Problem:
    """Reads a problem file as ``gaus schedule FILE ...`` does.

    Args:
        path: the graph: native JSON, HeuriGym JSON, AIGER (.aig/.aag), DOT, GML, GraphML or a
            CIRCT SSP file (.mlir) of one instance, read with its problem class's meaning.
        format: "json", "heurigym", "aiger", "dot", "gml", "graphml" or "ssp"; None: from the extension
            (and, for .json, the content).
        library: a type library JSON (unit classes, latencies in cycles, limits; like
            express/limits.json); None: none.
        design: the design whose limits a per-design library gives; None: the file's stem.
        latency: latency overrides in cycles, {"TYPE_OR_CLASS": N} or ["TYPE=N", ...], applied
            after the library (the command's --latency).
        limits: unit limits, {"CLASS": N} (N >= 0; None or -1: unlimited) or ["CLASS=N", ...]
            (--limit).
        unit_class: {"TYPE": "CLASS"} or ["TYPE=CLASS", ...]: run an op type on a unit class
            (--unit-class).
        non_pipelined: units are busy for an op's whole latency (default: pipelined, or as the
            file or library says).
        companion: GraphML: the resource model (default NAME_RM.xml); HeuriGym JSON: the DOT
            graph (default NAME.dot).

    Raises:
        FileNotFoundError: `path`, `library` or `companion` does not exist.
        ValueError: malformed or inconsistent input; the message names the file, line and op.
    """
    path = os.fspath(path)
    _require_file(path, "graph file")
    if library is not None:
        library = os.fspath(library)
        _require_file(library, "library file")
    if companion is not None:
        companion = os.fspath(companion)
        _require_file(companion, "companion file")
    if format is not None and format not in _FORMATS:
        raise ValueError(f"format {format!r}: expected one of {', '.join(_FORMATS)}")
    return _gaus.read(
        path,
        format or "",
        companion or "",
        library or "",
        design or "",
        _flags(latency, "latency"),
        _flags(limits, "limits", unlimited=True),
        _flags(unit_class, "unit_class"),
        bool(non_pipelined),
    )


def from_arrays(
    names: Sequence[str],
    types: Optional[Sequence[str]] = None,
    edges: Iterable[tuple[Union[int, str], Union[int, str]]] = (),
    *,
    op_latency: Optional[Sequence[Optional[int]]] = None,
    op_blocking: Optional[Sequence[Optional[int]]] = None,
    weight: Optional[Sequence[Optional[float]]] = None,
    output_size: Optional[Sequence[Optional[float]]] = None,
    edge_delay: Optional[Sequence[int]] = None,
    edge_distance: Optional[Sequence[int]] = None,
    edge_weight: Optional[Sequence[float]] = None,
    latency: Overrides = None,
    limits: Overrides = None,
    unit_class: Overrides = None,
    non_pipelined: bool = False,
    horizon: Optional[int] = None,
    ii: Optional[int] = None,
    name: str = "<arrays>",
) -> Problem:
    """Builds a problem from plain arrays (no file, no networkx).

    Args:
        names: unique op names, in op order.
        types: op types (each type is its own unit class unless `unit_class` maps it); None or
            "" entries: the op uses no unit.
        edges: (source, target) pairs, each an op index or an op name. An edge's delay is its
            source's latency plus `edge_delay`, as in DOT.
        op_latency: per-op latency in cycles, as a file gives it (an entry of `latency` for the
            op's type or class wins over it); None (or None entries): 1 unless `latency` says.
        op_blocking: per-op cycles the op holds its unit; None: 1 (pipelined) or the latency
            when `non_pipelined`.
        weight: per-op resource weight w_i >= 0 (formulation A); default 1.
        output_size: per-op bits stored b_i >= 0 (formulations B, C); default 1.
        edge_delay: per-edge cycles added to the source's latency; default 0.
        edge_distance: per-edge loop-carried distance (iterations, >= 0); default 0.
        edge_weight: per-edge communication weight c_e >= 0; default 0.
        latency, limits, unit_class, non_pipelined: as in read().
        horizon: the horizon D in cycles carried by the problem (None: none).
        ii: the initiation interval carried by the problem (None: none).
        name: the source named in error messages.

    Raises:
        ValueError: inconsistent arrays, unknown op names, duplicate names, a dependence cycle
            without a loop-carried edge; the message names the op.
    """
    names = [str(x) for x in names]
    n = len(names)
    if types is None:
        types_list: list[str] = []
    else:
        types_list = ["" if t is None else str(t) for t in types]
        if len(types_list) != n:
            raise ValueError(f"{name}: types has {len(types_list)} entries, expected {n}")
    index: Optional[dict[str, int]] = None
    src: list[int] = []
    dst: list[int] = []
    for k, edge in enumerate(edges):
        ends = []
        for end in edge:
            if isinstance(end, str):
                if index is None:
                    index = {x: i for i, x in enumerate(names)}
                if end not in index:
                    raise ValueError(f"{name}: edge {k}: no op named '{end}'")
                ends.append(index[end])
            else:
                ends.append(operator.index(end))
        if len(ends) != 2:
            raise ValueError(f"{name}: edge {k}: expected (source, target), got {edge!r}")
        src.append(ends[0])
        dst.append(ends[1])
    m = len(src)

    def per_edge(values, convert, label):
        if values is None:
            return []
        out = [convert(v) for v in values]
        if len(out) != m:
            raise ValueError(f"{name}: {label} has {len(out)} entries, expected one per edge ({m})")
        return out

    return _gaus.build(
        name,
        names,
        types_list,
        _per_op(op_latency, n, -1, int, "op_latency"),
        _per_op(op_blocking, n, -1, int, "op_blocking"),
        _per_op(weight, n, 1.0, float, "weight"),
        _per_op(output_size, n, 1.0, float, "output_size"),
        src,
        dst,
        per_edge(edge_delay, int, "edge_delay"),
        per_edge(edge_distance, int, "edge_distance"),
        per_edge(edge_weight, float, "edge_weight"),
        _flags(latency, "latency"),
        _flags(limits, "limits", unlimited=True),
        _flags(unit_class, "unit_class"),
        bool(non_pipelined),
        _optional_count(horizon, "horizon"),
        _optional_count(ii, "ii"),
    )


def from_networkx(
    G: Any,
    *,
    type_attr: str = "type",
    latency_attr: str = "latency",
    blocking_attr: str = "blocking",
    weight_attr: str = "weight",
    output_size_attr: str = "output_size",
    delay_attr: str = "delay",
    distance_attr: str = "distance",
    edge_weight_attr: str = "weight",
    latency: Overrides = None,
    limits: Overrides = None,
    unit_class: Overrides = None,
    non_pipelined: bool = False,
    horizon: Optional[int] = None,
    ii: Optional[int] = None,
    name: Optional[str] = None,
) -> Problem:
    """Builds a problem from a directed networkx graph (DiGraph or MultiDiGraph).

    Ops are the nodes (named str(node), in G.nodes order); node attributes give the op type
    (`type_attr`), latency in cycles, blocking cycles, weight and output size (missing: as in
    from_arrays). Edges are the graph's edges with optional attributes delay (cycles added to the
    source's latency), distance (loop-carried iterations) and weight (communication). `latency`,
    `limits`, `unit_class`, `non_pipelined` are as in read(). `name` (default: G.graph["name"],
    else "networkx") is the source named in messages.

    Raises:
        ValueError: an undirected graph, or what from_arrays raises.
    """
    if not G.is_directed():
        raise ValueError("from_networkx: the graph must be directed (a DiGraph or MultiDiGraph)")
    source = name or G.graph.get("name") or "networkx"
    nodes = list(G.nodes(data=True))
    index = {node: i for i, (node, _) in enumerate(nodes)}

    def node_values(attr, default):
        if not any(attr in data for _, data in nodes):
            return None
        return [data.get(attr, default) for _, data in nodes]

    edges = list(G.edges(data=True))

    def edge_values(attr, default):
        if not any(attr in data for _, _, data in edges):
            return None
        return [data.get(attr, default) for _, _, data in edges]

    return from_arrays(
        [str(node) for node, _ in nodes],
        [str(data.get(type_attr, "") or "") for _, data in nodes],
        [(index[u], index[v]) for u, v, _ in edges],
        op_latency=node_values(latency_attr, None),
        op_blocking=node_values(blocking_attr, None),
        weight=node_values(weight_attr, None),
        output_size=node_values(output_size_attr, None),
        edge_delay=edge_values(delay_attr, 0),
        edge_distance=edge_values(distance_attr, 0),
        edge_weight=edge_values(edge_weight_attr, 0.0),
        latency=latency,
        limits=limits,
        unit_class=unit_class,
        non_pipelined=non_pipelined,
        horizon=horizon,
        ii=ii,
        name=source,
    )


# ---- results --------------------------------------------------------------------------------


@dataclass(eq=False)
class Result:
    """A verified schedule and its scores; what solve() and schedule() return.

    Attributes:
        method: "gaus rcs", "gaus A", ..., "list", "asap", "alap", "fds" (with the command's
            notes, e.g. "list (modulo, II searched from 3)").
        starts_array: start step per op in op order (NumPy int32).
        legal: the independent verifier's verdict on the schedule.
        latency: makespan in cycles, max over ops of start + max(latency, 1).
        horizon: the horizon D the schedule was made for (0: none).
        ii: initiation interval (0: not a modulo schedule).
        objective: the formulation's exact objective (lower is better; rcs: the latency);
            None for the heuristics.
        objectives: every exact objective, as the command's JSON "objectives".
        lower_bound: a proven lower bound on `objective`, None when none is known.
        gap: (objective - lower_bound) / objective, None without a bound or a legal schedule.
        optimal: legal and meeting `lower_bound`, as the solver proved it (the solver stops
            there, before its time limit); False for the heuristics.
        violations: the verifier's messages (at most 100), empty when legal.
        violation_count: every violation found.
        history: the any-time curve, one dict per new best legal schedule:
            {"time_s", "iteration", "restart", "objective"}.
        status: "ok", "cancelled", "time limit", ... plus notes (solve); "ok" (schedule).
        time_s: seconds the call took.
        backend: "cpu" or "cuda" (solve), None (schedule).
        formulation: "A", "B", "C" or "rcs" (solve), None (schedule).
        iterations: Adam steps over all restarts (solve), 0 (schedule).
        restarts: {"count", "extra", "legal", "min", "median", "max", "best"} (solve), None.
        ii_lower_bound: solve, C: no modulo schedule has a smaller II (max(ResMII, RecMII, 1),
            raised by a proof); None otherwise.
        ii_proven_minimal: solve, C: the schedule's II meets `ii_lower_bound`; None otherwise.
        prove: solve(prove=...): the proof's record, as the command's "prove"; None otherwise.
        z: operator chaining (a problem with delays): each op's start time within its cycle, in
            op order; None otherwise.
    """

    method: str
    starts_array: np.ndarray
    legal: bool
    latency: int
    horizon: int
    ii: int
    objective: Optional[float]
    objectives: dict
    lower_bound: Optional[float]
    violations: list
    violation_count: int
    history: list = field(default_factory=list)
    status: str = "ok"
    time_s: float = 0.0
    backend: Optional[str] = None
    formulation: Optional[str] = None
    iterations: int = 0
    restarts: Optional[dict] = None
    gap: Optional[float] = None
    optimal: bool = False
    ii_lower_bound: Optional[int] = None
    ii_proven_minimal: Optional[bool] = None
    prove: Optional[dict] = None
    z: Optional[list] = None
    source: str = ""
    op_names: list = field(default_factory=list, repr=False)

    @property
    def starts(self) -> dict[str, int]:
        """{op name: start step}, in op order."""
        return dict(zip(self.op_names, self.starts_array.tolist()))

    def to_dict(self) -> dict:
        """The JSON that ``gaus schedule --out`` writes for the same run (file, method, legal,
        latency, horizon, ii, objectives, violation_count, violations, starts, and for solve
        formulation, backend, status, objective, lower_bound, gap, optimal, iterations, time_s,
        history, restarts, and for C ii_lower_bound, ii_proven_minimal, with prove= prove)."""
        d = {
            "file": self.source,
            "method": self.method,
            "legal": self.legal,
            "latency": self.latency,
            "horizon": self.horizon,
            "ii": self.ii,
            "objectives": self.objectives,
            "violation_count": self.violation_count,
            "violations": list(self.violations),
            "starts": self.starts,
        }
        if self.z is not None:
            d["z"] = dict(zip(self.op_names, self.z))
        if self.formulation is not None:
            d.update(
                formulation=self.formulation,
                backend=self.backend,
                status=self.status,
                objective=self.objective,
                lower_bound=self.lower_bound,
                gap=self.gap,
                optimal=self.optimal,
                iterations=self.iterations,
                time_s=self.time_s,
                history=self.history,
                restarts=self.restarts,
            )
            if self.ii_lower_bound is not None:
                d.update(ii_lower_bound=self.ii_lower_bound,
                         ii_proven_minimal=self.ii_proven_minimal)
            if self.prove is not None:
                d["prove"] = self.prove
        return d

    def __repr__(self) -> str:
        verdict = "legal" if self.legal else f"ILLEGAL ({self.violation_count} violations)"
        extra = f", II {self.ii}" if self.ii > 0 else ""
        obj = "" if self.objective is None else f", objective {self.objective:g}"
        return f"<gaus.Result {self.method}: latency {self.latency}{extra}{obj}, {verdict}>"


def _result(problem: Problem, d: dict, time_s: float) -> Result:
    import json

    return Result(
        method=d["method"],
        starts_array=d["starts"],
        legal=d["legal"],
        latency=d["latency"],
        horizon=d["horizon"],
        ii=d["ii"],
        objective=d.get("objective"),
        objectives=json.loads(d["objectives_json"]),
        lower_bound=d.get("lower_bound"),
        gap=d.get("gap"),
        optimal=d.get("optimal", False),
        violations=d["violations"],
        violation_count=d["violation_count"],
        z=d.get("z"),
        history=d.get("history", []),
        status=d.get("status", "ok"),
        time_s=d.get("time_s", time_s),
        backend=d.get("backend"),
        formulation=d.get("formulation"),
        iterations=d.get("iterations", 0),
        restarts=d.get("restarts"),
        ii_lower_bound=d.get("ii_lower_bound"),
        ii_proven_minimal=d.get("ii_proven_minimal"),
        prove=d.get("prove"),
        source=problem.source,
        op_names=problem.op_names,
    )


# ---- scheduling -----------------------------------------------------------------------------


def solve(
    problem: Problem,
    *,
    formulation: str = "rcs",
    horizon: Optional[int] = None,
    ii: Optional[int] = None,
    slack: int = 0,
    time_limit: Optional[float] = 10.0,
    iterations: Optional[int] = None,
    restarts: int = 1,
    seed: int = 1,
    backend: str = "auto",
    init: str = "midpoint",
    anneal: bool = True,
    cut: bool = True,
    progress: Optional[Callable[[Progress], Optional[bool]]] = None,
    prove: Optional[float] = None,
) -> Result:
    """The gradient solver, as ``gaus schedule --method gaus``; returns the best legal schedule.

    Args:
        formulation: "rcs" (minimum latency under unit limits), "A" (peak weighted use +
            communication), "B" (peak live memory) or "C" (modulo peak memory at an II).
        horizon: D in cycles for A, B, C; None: the formulation's default (rcs ignores it).
        ii: C: the II; None: the problem's, else the smallest one found is searched.
        slack: cycles added to the default horizon (A, B, C).
        time_limit: seconds for the whole solve, all of them used (restarts continue until the
            limit or a proven optimum); None or math.inf: exactly `restarts` restarts, so the
            result is reproducible and equals the command's for the same seed.
        iterations: Adam steps per restart (rcs: per horizon tried); None: 2000 (rcs 300).
        restarts: restarts run side by side in one batch (>= 1).
        seed: seed of the restarts' jitter (>= 0).
        backend: "auto" (CUDA when built with it and a device is present), "cpu" or "cuda".
        init: initial means: "midpoint" (of the ASAP/ALAP frame), "list" or "alap".
        anneal: A/B/C: polish the best schedules by simulated annealing.
        cut: B: Lagrangian minimum cuts (schedules and a lower bound).
        progress: called with a Progress after every legalization (and every 0.2 s or so while
            annealing), on the calling thread; returning False cancels the solve (status
            "cancelled", the best schedule so far is returned); an exception it raises is
            re-raised after the solver stops.
        prove: seconds for an exact proof after the solve, as ``--prove`` (CBC, where it was
            found at build time): rcs, A, B prove the schedule optimal or improve it; C proves
            its II minimal or finds a smaller one. None: no proof. The result's `prove` holds
            the proof's record; `lower_bound`, `gap`, `optimal` (and for C `ii_lower_bound`,
            `ii_proven_minimal`) take what it adds.

    The GIL is released while solving. Ctrl-C stops the solver at its next check and raises
    KeyboardInterrupt once it has stopped.

    Raises:
        ValueError: unusable options. InfeasibleError: no schedule exists (a horizon below the
        critical path, a unit class with limit 0 that an op needs).
    """
    if time_limit is None:
        time_limit = math.inf
    time_limit = float(time_limit)
    if not time_limit >= 0:
        raise ValueError(f"time_limit must be >= 0 seconds, got {time_limit}")
    if progress is not None and not callable(progress):
        raise TypeError("progress must be callable or None")
    start = time.perf_counter()
    d = _gaus.solve(
        problem,
        str(formulation),
        str(backend),
        _optional_count(horizon, "horizon"),
        _count(slack, "slack"),
        _optional_count(ii, "ii"),
        time_limit,
        _optional_count(iterations, "iterations"),
        _count(restarts, "restarts", 1),
        _count(seed, "seed"),
        str(init),
        bool(anneal),
        bool(cut),
        progress,
        _prove_seconds(prove),
    )
    return _result(problem, d, time.perf_counter() - start)


def _prove_seconds(prove: Optional[float]) -> float:
    if prove is None:
        return 0.0
    seconds = float(prove)
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ValueError(f"prove must be a positive number of seconds or None, got {prove!r}")
    return seconds


def schedule(
    problem: Problem,
    method: str = "list",
    *,
    horizon: Optional[int] = None,
    ii: Optional[int] = None,
    time_limit: Optional[float] = None,
) -> Result:
    """A heuristic schedule, as ``gaus schedule --method METHOD``.

    Args:
        method: "list" (resource-constrained list scheduling; with `ii`, or on a problem with
            loop-carried edges, iterative modulo scheduling), "asap", "alap" (latest starts at
            the horizon) or "fds" (force-directed, time-constrained: ignores unit limits).
        horizon: D in cycles for alap and fds (None: the problem's, else the critical path);
            list stamps it on the result (a schedule that overshoots is then not legal).
        ii: list: modulo schedule at this II (None: the problem's, else searched when there are
            loop-carried edges).
        time_limit: fds: seconds, after which the free ops go to their earliest steps
            (None: no limit).

    Raises:
        ValueError: an unknown method. InfeasibleError: a horizon below the critical path, no
        modulo schedule at `ii`, a unit class with limit 0 that an op needs.
    """
    limit = math.inf if time_limit is None else float(time_limit)
    start = time.perf_counter()
    d = _gaus.schedule(
        problem,
        str(method),
        _optional_count(horizon, "horizon"),
        _optional_count(ii, "ii"),
        limit,
    )
    return _result(problem, d, time.perf_counter() - start)


def _starts_array(problem: Problem, starts: Any) -> np.ndarray:
    if isinstance(starts, Mapping):
        names = problem.op_names
        index = {x: i for i, x in enumerate(names)}
        out = np.empty(len(names), dtype=np.int64)
        seen = np.zeros(len(names), dtype=bool)
        for op, step in starts.items():
            i = index.get(str(op))
            if i is None:
                raise ValueError(
                    f"{problem.source}: the schedule names op '{op}', not in the problem")
            out[i] = operator.index(step)
            seen[i] = True
        if not seen.all():
            missing = names[int(np.argmin(seen))]
            raise ValueError(f"{problem.source}: the schedule has no start for op '{missing}'")
    else:
        out = np.asarray(starts)
        if out.ndim != 1:
            raise ValueError(f"starts: expected one start per op, got shape {out.shape}")
        if out.size and not np.issubdtype(out.dtype, np.integer):
            raise TypeError(f"starts: expected integers, got {out.dtype}")
        if out.size != problem.num_ops:
            raise ValueError(f"{problem.source}: {out.size} starts for {problem.num_ops} ops")
    i32 = np.iinfo(np.int32)
    if out.size and (out.min() < i32.min or out.max() > i32.max):
        raise ValueError("starts: a start does not fit in 32 bits")
    return np.ascontiguousarray(out, dtype=np.int32)


def verify(
    problem: Problem,
    starts: Starts,
    *,
    horizon: Optional[int] = None,
    ii: Optional[int] = None,
    max_reported: int = 100,
) -> list[str]:
    """Checks a schedule against every rule of the model; returns the violations' messages
    (empty when legal).

    Args:
        starts: a Result, {op name: step} (every op exactly once), or one step per op in op
            order (list or NumPy integer array).
        horizon: D in cycles: every op must end by it (None: a Result's horizon, else no bound).
        ii: initiation interval: loop-carried edges are checked and unit use is folded mod II
            (None: a Result's II, else 0, no modulo check).
        max_reported: at most this many messages; when more violations exist, a last line
            "... and N more" says how many.

    Messages name the ops, e.g. "dependency 'a' -> 'b': 'b' starts at 3, needs >= 5 ('a' starts
    at 2, delay 3)" or "capacity: class 'MUL' uses 3 of 2 units at step 4 (ops 'a', 'b', 'c')".

    Raises:
        ValueError: `starts` names an op not in the problem, misses one, or has the wrong length.
    """
    if isinstance(starts, Result):
        if horizon is None:
            horizon = starts.horizon
        if ii is None:
            ii = starts.ii
        array = np.ascontiguousarray(starts.starts_array, dtype=np.int32)
        if array.size != problem.num_ops:
            raise ValueError(f"{problem.source}: {array.size} starts for {problem.num_ops} ops")
    else:
        array = _starts_array(problem, starts)
    count, messages = _gaus.verify(
        problem,
        array,
        _optional_count(horizon, "horizon"),
        _optional_count(ii, "ii"),
        _count(max_reported, "max_reported"),
    )
    if count > len(messages):
        messages.append(f"... and {count - len(messages)} more")
    return messages
