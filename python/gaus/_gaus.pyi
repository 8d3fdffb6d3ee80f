# Type stubs of the native module gaus._gaus (python/src/*.cpp). The user-facing API is
# gaus/__init__.py, which calls these with checked, converted arguments.
import os
from typing import Any, Callable, Optional

import numpy as np

__version__: str
cuda_built: bool

class InfeasibleError(ValueError):
    """No schedule exists under the requested horizon or II."""

class Problem:
    """A scheduling problem (ops, edges, unit classes); see gaus.read / gaus.from_arrays."""

    @property
    def source(self) -> str: ...
    @property
    def num_ops(self) -> int: ...
    @property
    def num_edges(self) -> int: ...
    @property
    def num_loop_carried(self) -> int: ...
    @property
    def op_names(self) -> list[str]: ...
    @property
    def op_types(self) -> list[str]: ...
    @property
    def op_classes(self) -> list[Optional[str]]: ...
    @property
    def latencies(self) -> list[int]: ...
    @property
    def blocking(self) -> list[int]: ...
    @property
    def weights(self) -> list[float]: ...
    @property
    def output_sizes(self) -> list[float]: ...
    @property
    def edges(self) -> list[tuple[int, int]]: ...
    @property
    def edge_delays(self) -> list[int]: ...
    @property
    def edge_distances(self) -> list[int]: ...
    @property
    def edge_weights(self) -> list[float]: ...
    @property
    def resources(self) -> dict[str, Optional[int]]: ...
    @property
    def horizon(self) -> int: ...
    @property
    def ii(self) -> int: ...
    @property
    def critical_path(self) -> int: ...
    def analyze(self, horizon: int = 0) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_dot(self, starts: Optional[np.ndarray] = None) -> str: ...
    def write(self, path: str | os.PathLike[str], format: str = "") -> None: ...

class Progress:
    """Passed to gaus.solve's progress callback after every legalization."""

    @property
    def restart(self) -> int: ...
    @property
    def iteration(self) -> int: ...
    @property
    def time_s(self) -> float: ...
    @property
    def loss(self) -> float: ...
    @property
    def have_legal(self) -> bool: ...
    @property
    def best_objective(self) -> float: ...
    @property
    def horizon(self) -> int: ...
    @property
    def ii(self) -> int: ...
    @property
    def lower_bound(self) -> Optional[float]: ...
    @property
    def stage(self) -> str: ...

def read(
    path: str,
    format: str,
    companion: str,
    library: str,
    design: str,
    latency: list[str],
    limit: list[str],
    unit_class: list[str],
    non_pipelined: bool,
) -> Problem: ...
def build(
    source: str,
    names: list[str],
    types: list[str],
    op_latency: list[int],
    op_blocking: list[int],
    weight: list[float],
    out_size: list[float],
    edge_src: list[int],
    edge_dst: list[int],
    edge_delay: list[int],
    edge_distance: list[int],
    edge_weight: list[float],
    latency: list[str],
    limit: list[str],
    unit_class: list[str],
    non_pipelined: bool,
    horizon: int,
    ii: int,
) -> Problem: ...
def solve(
    problem: Problem,
    formulation: str,
    backend: str,
    horizon: int,
    slack: int,
    ii: int,
    time_limit: float,
    iterations: int,
    restarts: int,
    seed: int,
    init: str,
    anneal: bool,
    cut: bool,
    progress: Optional[Callable[[Progress], Optional[bool]]],
    prove: float,
) -> dict[str, Any]: ...
def schedule(
    problem: Problem, method: str, horizon: int, ii: int, time_limit: float
) -> dict[str, Any]: ...
def verify(
    problem: Problem, starts: np.ndarray, horizon: int, ii: int, max_reported: int
) -> tuple[int, list[str]]: ...
