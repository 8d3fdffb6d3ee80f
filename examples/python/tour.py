"""A tour of the gaus Python package (docs/python.md).

    pip install .                      # from the repository root
    python3 examples/python/tour.py [--data DIR]

DIR holds the benchmark graphs (express/, epfl/; default ../shared/data beside the checkout, or
$GAUS_SHARED_DATA_DIR). The networkx part needs `pip install networkx`.
"""

import argparse
import os
import pathlib

import gaus

here = pathlib.Path(__file__).resolve()
default_data = os.environ.get("GAUS_SHARED_DATA_DIR", str(here.parents[3] / "shared" / "data"))
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--data", default=default_data, help="folder of express/ and epfl/")
parser.add_argument("--time-limit", type=float, default=2.0, help="seconds per solve")
args = parser.parse_args()
data = pathlib.Path(args.data)

# 1. An EXPRESS graph with its type library (unit classes, latencies, limits per design).
p = gaus.read(data / "express" / "hal.dot", library=data / "express" / "limits.json")
print(f"{p.source}: {p.num_ops} ops, {p.num_edges} edges, units {p.resources}, "
      f"critical path {p.critical_path} cycles")

# 2. Minimum latency under the unit limits (formulation rcs), then the independent verifier.
r = gaus.solve(p, time_limit=args.time_limit, seed=1)
print(f"rcs: latency {r.latency} (lower bound {r.lower_bound}, optimal {r.optimal}), "
      f"legal {r.legal}, {r.time_s:.2f} s on {r.backend}")
assert gaus.verify(p, r.starts) == []

# 3. A broken schedule: every multiplication at step 0.
broken = dict(r.starts)
for name, cls in zip(p.op_names, p.op_classes):
    if cls == "MUL":
        broken[name] = 0
for message in gaus.verify(p, broken):
    print("  violation:", message)

# 4. List scheduling, the classic heuristic.
ls = gaus.schedule(p, "list")
print(f"list: latency {ls.latency}, legal {ls.legal}")

# 5. Formulation B (peak live memory) on an EPFL circuit (AIGER).
adder = gaus.read(data / "epfl" / "arithmetic" / "adder.aig")
b = gaus.solve(adder, formulation="B", time_limit=args.time_limit)
print(f"{adder.num_ops}-op adder, B: peak memory {b.objective:g} bits "
      f"(lower bound {b.lower_bound}), horizon {b.horizon}, legal {b.legal}")

# 6. A graph built with networkx: node attributes give the type and latency.
try:
    import networkx as nx
except ImportError:
    print("networkx not installed: skipping the networkx graph")
else:
    G = nx.DiGraph(name="mac")
    G.add_nodes_from([("x0", {"type": "load"}), ("x1", {"type": "load"}),
                      ("m0", {"type": "mul", "latency": 3}), ("m1", {"type": "mul", "latency": 3}),
                      ("acc", {"type": "add"})])
    G.add_edges_from([("x0", "m0"), ("x1", "m1"), ("m0", "acc"), ("m1", "acc")])
    g = gaus.from_networkx(G, limits={"mul": 1, "load": 1})
    rg = gaus.solve(g, time_limit=None, iterations=100)
    print(f"networkx: latency {rg.latency}, starts {rg.starts}, legal {rg.legal}")
