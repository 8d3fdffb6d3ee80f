"""gaus.solve(prove=...): the exact proof after the solve (CBC), as `gaus schedule --prove`, and
C's II report. Skipped where the module was built without CBC (then prove= must say so)."""

import math

import pytest

import gaus
from conftest import FIR8


def _has_prover():
    try:
        gaus.solve(gaus.read(FIR8), time_limit=None, iterations=5, prove=1, backend="cpu")
        return True
    except ValueError as e:
        if "built without CBC" in str(e):
            return False
        raise


HAS_PROVER = _has_prover()
needs_prover = pytest.mark.skipif(not HAS_PROVER, reason="built without CBC")


@pytest.fixture(scope="module")
def fir8():
    return gaus.read(FIR8)


@needs_prover
def test_skipped_where_the_solver_proved_the_optimum(fir8):
    r = gaus.solve(fir8, time_limit=1, prove=5, backend="cpu")
    assert r.optimal and r.prove["status"] == "skipped: the solver proved its schedule optimal"
    assert r.to_dict()["prove"] == r.prove


@needs_prover
def test_express_latency_proven_by_cbc(express):
    p = gaus.read(express / "idctcol_dfg__3.dot", library=express / "limits.json")
    r = gaus.solve(p, time_limit=1, prove=60, backend="cpu")
    assert (r.latency, r.lower_bound, r.optimal, r.gap) == (22, 22.0, True, 0.0)
    assert r.prove["status"] == "optimal" and r.prove["horizon"] == 22
    assert set(r.prove) >= {"seconds", "time_s", "build_s", "start_objective", "objective",
                            "improved", "lower_bound", "optimal", "model"}
    assert gaus.verify(p, r) == []


@needs_prover
def test_b_result_legal_and_consistent(fir8):
    r = gaus.solve(fir8, formulation="B", time_limit=1, prove=3, backend="cpu")
    assert r.legal and gaus.verify(fir8, r) == []
    assert r.optimal == (r.lower_bound is not None and r.objective <= r.lower_bound)
    assert r.prove["seconds"] == 3


def test_c_reports_its_ii_proof(fir8):
    r = gaus.solve(fir8, formulation="C", time_limit=None, iterations=50, backend="cpu")
    assert r.ii_lower_bound is not None and r.ii_lower_bound <= r.ii
    assert r.ii_proven_minimal == (r.ii == r.ii_lower_bound)
    d = r.to_dict()
    assert d["ii_lower_bound"] == r.ii_lower_bound and "prove" not in d
    rcs = gaus.solve(fir8, time_limit=None, iterations=20, backend="cpu")
    assert rcs.ii_lower_bound is None and "ii_lower_bound" not in rcs.to_dict()


@needs_prover
def test_c_prove_on_machsuite(tmp_path):
    from conftest import SHARED_DATA

    f = SHARED_DATA / "hatschet" / "MachSuite" / "stencil3d" / "graph9.graphml"
    if not f.exists():
        pytest.skip(f"no benchmark data at {SHARED_DATA}")
    p = gaus.read(f)
    r = gaus.solve(p, formulation="C", time_limit=1, prove=60, backend="cpu")
    assert (r.ii, r.ii_lower_bound, r.ii_proven_minimal) == (9, 9, True)
    # the bound of unit conflicts on recurrences is 9 already: nothing left for CBC
    assert r.prove["status"] == "skipped: the II meets the bound of unit conflicts on recurrences"
    assert gaus.verify(p, r) == []


@pytest.mark.parametrize("bad", [0, -1, math.inf, math.nan])
def test_prove_needs_positive_seconds(fir8, bad):
    with pytest.raises(ValueError, match="prove"):
        gaus.solve(fir8, time_limit=None, iterations=5, prove=bad)


def test_without_cbc_prove_is_refused(fir8):
    if HAS_PROVER:
        pytest.skip("built with CBC")
    with pytest.raises(ValueError, match="built without CBC"):
        gaus.solve(fir8, time_limit=None, iterations=5, prove=5)
