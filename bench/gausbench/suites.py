"""Benchmark suites of the gaus harness: which graphs, which formulation, which objective.

Each suite reads its graphs by path under the data folder (../shared/data by default; never
copied into the repository):

  express    EXPRESS DFGs under express/limits.json     rcs  minimum latency (makespan)
  rw         ICML 2024 random workloads (GML)            A    100 * peak stage weight + comm
  epfl       EPFL combinational AIGER circuits           B    peak live memory
  machsuite  HatScheT MachSuite loop bodies + RM XML     C    smallest II, then modulo memory
  modloop    loops made by `gaus generate --kind loop`   C    smallest II, then modulo memory

A generated suite (modloop) is not data: its graphs are written by the gaus binary under test,
from the seeds listed here, into a scratch folder when a run starts (generate_instances).

An objective is lower-is-better; `rank_key` orders results of one instance (C compares the II
first, then the peak modulo memory, since the methods may reach different IIs).
"""
from __future__ import annotations

import glob
import os
import subprocess
import tempfile
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
    generated: dict[str, list[str]] = field(default_factory=dict)  # name -> `gaus generate` args

    def instances(self, data_dir: str, quick: bool = False) -> list[Instance]:
        if self.generated:
            out = [Instance(self.name, name, os.path.join(generated_dir(), f"{name}.json"))
                   for name in self.generated]
        else:
            files = sorted(glob.glob(os.path.join(data_dir, self.pattern)))
            lib = os.path.join(data_dir, self.library) if self.library else None
            out = [Instance(self.name, instance_name(self, f), f, lib) for f in files]
        if quick:
            keep = set(self.quick)
            out = [x for x in out if x.name in keep]
        return out


def generated_dir() -> str:
    """Where generated suites' graphs are written: $GAUS_BENCH_GENERATED, else a folder of this
    user's under the system's temporary folder."""
    return os.environ.get("GAUS_BENCH_GENERATED") or \
        os.path.join(tempfile.gettempdir(), f"gaus-bench-generated-{os.getuid()}")


def generate_instances(gaus: str, plan: list) -> None:
    """Writes the graph of every generated instance in plan ((suite, instance) pairs) with the
    gaus binary under test, replacing an older file (the generator may have changed)."""
    for suite, inst in plan:
        if inst.name not in suite.generated:
            continue
        os.makedirs(os.path.dirname(inst.file), exist_ok=True)
        cmd = [gaus, "generate", *suite.generated[inst.name], "--out", inst.file]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")


def loop_suite() -> dict[str, list[str]]:
    """modloop: ten loop bodies of 500 to 1,500 ops (the generator's defaults: 5 unit classes,
    2 of them non-pipelined, limits and recurrences sized for II = ops / 20), seeds 1..10."""
    sizes = [500, 600, 700, 800, 900, 1000, 1100, 1250, 1400, 1500]
    return {f"loop{n}_s{k}": ["--kind", "loop", "--ops", str(n), "--seed", str(k)]
            for k, n in enumerate(sizes, 1)}


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
        Suite("modloop", "C", "peak_memory_modulo", "", quick=["loop500_s1", "loop1000_s6"],
              generated=loop_suite(),
              description="formulation C on generated loops (gaus generate --kind loop, "
                          "500-1,500 ops, non-pipelined units, recurrences): smallest II"),
    ]
}


def rank_key(suite: Suite, result: dict) -> tuple:
    """Sort key of a result within its instance: legal first, then lower is better."""
    if not result.get("legal") or result.get("objective") is None:
        return (1, float("inf"), float("inf"))
    if suite.formulation == "C":
        return (0, result.get("ii") or 0, result["objective"])
    return (0, result["objective"], 0)
