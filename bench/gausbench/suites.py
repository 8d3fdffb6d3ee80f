"""Benchmark suites of the gaus harness: which graphs, which formulation, which objective.

Each suite reads its graphs by path under the data folder (../shared/data by default; never
copied into the repository):

  express    EXPRESS DFGs under express/limits.json     rcs  minimum latency (makespan)
  rw         ICML 2024 random workloads (GML)            A    100 * peak stage weight + comm
  epfl       EPFL combinational AIGER circuits           B    peak live memory
  machsuite  HatScheT MachSuite loop bodies + RM XML     C    smallest II, then modulo memory

An objective is lower-is-better; `rank_key` orders results of one instance (C compares the II
first, then the peak modulo memory, since the methods may reach different IIs).
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field


@dataclass
class Instance:
    suite: str
    name: str
    file: str
    library: str | None = None  # type library JSON passed as --library


@dataclass
class Suite:
    name: str
    formulation: str            # rcs, A, B, C (gaus --formulation)
    objective: str              # key of the gaus report's "objectives"
    pattern: str                # glob under the data folder
    library: str | None = None  # relative to the data folder
    quick: list[str] = field(default_factory=list)  # instance names of the --quick subset
    description: str = ""

    def instances(self, data_dir: str, quick: bool = False) -> list[Instance]:
        files = sorted(glob.glob(os.path.join(data_dir, self.pattern)))
        lib = os.path.join(data_dir, self.library) if self.library else None
        out = [Instance(self.name, instance_name(self, f), f, lib) for f in files]
        if quick:
            keep = set(self.quick)
            out = [x for x in out if x.name in keep]
        return out


def instance_name(suite: Suite, path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    if suite.name == "machsuite":  # graphN is only unique within its kernel's folder
        return f"{os.path.basename(os.path.dirname(path))}/{stem}"
    return stem


SUITES: dict[str, Suite] = {
    s.name: s
    for s in [
        Suite("express", "rcs", "latency", "express/*.dot", "express/limits.json",
              quick=["hal", "arf", "ewf", "fir2", "cosine1", "idctcol_dfg__3"],
              description="minimum latency under express/limits.json (non-pipelined units)"),
        Suite("rw", "A", "formulation_a", "rw/*.gml",
              quick=["rand_graph_1000_1", "rand_graph_sparse_1000_1"],
              description="formulation A: 100 * peak stage weight + binarized communication, "
                          "D = levels"),
        Suite("epfl", "B", "peak_memory", "epfl/*/*.aig",
              quick=["int2float", "ctrl", "router"],
              description="formulation B: peak live memory, D = critical path"),
        Suite("machsuite", "C", "peak_memory_modulo", "hatschet/MachSuite/*/graph*.graphml",
              quick=["spmv_crs/graph1", "gemm_ncubed/graph1"],
              description="formulation C: smallest II, then peak modulo live memory"),
    ]
}


def rank_key(suite: Suite, result: dict) -> tuple:
    """Sort key of a result within its instance: legal first, then lower is better."""
    if not result.get("legal") or result.get("objective") is None:
        return (1, float("inf"), float("inf"))
    if suite.formulation == "C":
        return (0, result.get("ii") or 0, result["objective"])
    return (0, result["objective"], 0)
