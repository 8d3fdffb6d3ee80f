"""Shared paths of the Python package's tests.

Env (set by the `python` CTest entry, tests/CMakeLists.txt): GAUS_CLI (the built `gaus` tool),
GAUS_TEST_DATA_DIR (tests/data), GAUS_SHARED_DATA_DIR (the benchmark graphs, ../shared/data).
Run by hand: PYTHONPATH=build/python python3 -m pytest tests/python (or after `pip install .`).
"""

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TEST_DATA = pathlib.Path(os.environ.get("GAUS_TEST_DATA_DIR", REPO / "tests" / "data"))
SHARED_DATA = pathlib.Path(os.environ.get("GAUS_SHARED_DATA_DIR", REPO.parent / "shared" / "data"))
FIR8 = REPO / "examples" / "fir8.json"


@pytest.fixture
def cli():
    """The gaus tool built beside the module; the test is skipped when there is none."""
    path = os.environ.get("GAUS_CLI") or str(REPO / "build" / "tools" / "gaus")
    if not os.access(path, os.X_OK):
        pytest.skip("no gaus tool (set GAUS_CLI)")
    return path


@pytest.fixture
def express():
    """The EXPRESS folder (hal.dot, limits.json); skipped without the benchmark data."""
    d = SHARED_DATA / "express"
    if not (d / "hal.dot").exists():
        pytest.skip(f"no benchmark data at {SHARED_DATA}")
    return d


@pytest.fixture
def epfl():
    d = SHARED_DATA / "epfl" / "arithmetic"
    if not (d / "adder.aig").exists():
        pytest.skip(f"no benchmark data at {SHARED_DATA}")
    return d


def random_dag(n=300, fanin=2, seed=0):
    """A layered random DAG of `n` ops ("add"/"mul", 2 multipliers). Formulation B's lower bound
    stays below its best peak here, so a B solve runs to its time limit (rcs and A prove their
    optimum at once)."""
    import random

    import gaus

    rng = random.Random(seed)
    names = [f"v{i}" for i in range(n)]
    types = [rng.choice(["add", "mul"]) for _ in range(n)]
    edges = set()
    for j in range(8, n):
        for _ in range(fanin):
            edges.add((rng.randrange(max(0, j - 40), j), j))
    return gaus.from_arrays(names, types, sorted(edges), latency={"mul": 2},
                            limits={"mul": 2, "add": 3}, name=f"dag{n}")


@pytest.fixture(scope="session")
def dag():
    return random_dag()
