"""gaus.schedule (the heuristics) and gaus.verify (the independent verifier)."""

import json
import subprocess

import numpy as np
import pytest

import gaus
from conftest import FIR8, TEST_DATA


@pytest.fixture(scope="module")
def fir8():
    return gaus.read(FIR8)


@pytest.mark.parametrize("method", ["list", "asap", "alap", "fds"])
def test_methods(fir8, method):
    r = gaus.schedule(fir8, method)
    assert r.method == method
    assert r.objective is None and r.lower_bound is None and not r.optimal
    assert r.formulation is None and r.backend is None and r.history == []
    assert r.latency == r.objectives["latency"]
    assert len(r.starts) == fir8.num_ops
    if method == "list":  # the only one that honors unit limits
        assert r.legal
    if method in ("asap", "alap", "fds"):
        assert r.latency == fir8.critical_path
    # the verifier agrees with the result's verdict, at the result's horizon
    assert (gaus.verify(fir8, r) == []) == r.legal


def test_alap_and_fds_horizon(fir8):
    d = fir8.critical_path + 3
    assert gaus.schedule(fir8, "alap", horizon=d).latency == d
    r = gaus.schedule(fir8, "fds", horizon=d, time_limit=10)
    assert r.horizon == d and r.latency <= d
    with pytest.raises(gaus.InfeasibleError, match="critical path"):
        gaus.schedule(fir8, "alap", horizon=2)


def test_modulo_list():
    p = gaus.read(TEST_DATA / "json_small.json")
    with pytest.raises(gaus.InfeasibleError, match="II=3 is below the resource bound 4"):
        gaus.schedule(p, "list")  # the file's II
    r = gaus.schedule(p, "list", ii=5)
    assert r.legal and r.ii == 5 and r.method == "list (modulo)"
    q = gaus.from_arrays(["a", "b"], ["add", "add"], [(0, 1), (1, 0)], edge_distance=[0, 1])
    r = gaus.schedule(q, "list")  # no II given: searched
    assert r.legal and r.ii == 2 and r.method.startswith("list (modulo, II searched")


def test_ii_below_the_conflict_bound():
    # Two reads on one port, then two writes on another, around a recurrence: RecMII 5, but
    # the unit conflicts refute II 6.
    names = ["a", "c", "d", "r1", "r2", "w1", "w2"]
    types = ["x", "x", "x", "r", "r", "w", "w"]
    edges = [("a", "r1"), ("a", "r2"), ("r1", "c"), ("r2", "c"), ("c", "w1"), ("c", "w2"),
             ("w1", "d"), ("w2", "d"), ("d", "a")]
    p = gaus.from_arrays(names, types, edges, edge_distance=[0] * 8 + [1],
                         limits={"r": 1, "w": 1})
    a = p.analyze()
    assert (a["rec_mii"], a["ii_conflict_bound"]) == (5, 7)
    with pytest.raises(gaus.InfeasibleError, match="below the bound of unit conflicts on recurrences, 7"):
        gaus.schedule(p, "list", ii=6)
    r = gaus.schedule(p, "list")
    assert r.legal and r.ii == 7 and r.method == "list (modulo, II searched from 7)"


def test_unknown_method(fir8):
    with pytest.raises(ValueError, match="method 'ilp'"):
        gaus.schedule(fir8, "ilp")


def test_list_same_as_cli(cli, tmp_path, fir8):
    out = tmp_path / "s.json"
    subprocess.run([cli, "schedule", str(FIR8), "--method", "list", "--out", str(out)],
                   check=True, capture_output=True)
    want = json.loads(out.read_text())
    got = gaus.schedule(fir8, "list").to_dict()
    for key in ("method", "legal", "latency", "horizon", "ii", "objectives", "starts"):
        assert got[key] == want[key], key


def test_verify_inputs(fir8):
    r = gaus.schedule(fir8, "list")
    assert gaus.verify(fir8, r) == []
    assert gaus.verify(fir8, r.starts) == []
    assert gaus.verify(fir8, r.starts_array) == []
    assert gaus.verify(fir8, r.starts_array.astype(np.int64)) == []
    assert gaus.verify(fir8, list(r.starts.values())) == []
    assert gaus.verify(fir8, r.starts, horizon=r.latency) == []


def test_verify_reports_violations(fir8):
    s = gaus.schedule(fir8, "list").starts
    broken = dict(s)
    broken["mul0"] = broken["ld0"]  # before its load's result is ready
    v = gaus.verify(fir8, broken)
    assert v and any(m.startswith("dependency 'ld0' -> 'mul0'") for m in v)
    # every op at step 0: two loads ports and two multipliers are over their limits
    v = gaus.verify(fir8, [0] * fir8.num_ops)
    assert any(m.startswith("capacity: class 'mul'") for m in v)
    # a horizon too short for the schedule
    v = gaus.verify(fir8, s, horizon=2)
    assert any(m.startswith("horizon") for m in v)
    # at most max_reported messages, then a count of the rest
    v = gaus.verify(fir8, [0] * fir8.num_ops, max_reported=1)
    assert len(v) == 2 and v[1].startswith("... and ")


def test_verify_modulo():
    p = gaus.read(TEST_DATA / "json_small.json")
    r = gaus.schedule(p, "list", ii=5)
    assert gaus.verify(p, r) == []
    # folded onto II = 1, the one multiplier is over its limit
    v = gaus.verify(p, r.starts, ii=1)
    assert any(m.startswith("capacity: class 'MUL'") for m in v)
    # a two-op recurrence of delay 2 over one iteration needs II >= 2
    q = gaus.from_arrays(["a", "b"], ["add", "add"], [(0, 1), (1, 0)], edge_distance=[0, 1])
    assert gaus.verify(q, [0, 1], ii=2) == []
    v = gaus.verify(q, [0, 1], ii=1)
    assert len(v) == 1 and v[0].startswith("recurrence 'b' -> 'a'")


def test_verify_errors(fir8):
    s = gaus.schedule(fir8, "list").starts
    with pytest.raises(ValueError, match="no start for op"):
        gaus.verify(fir8, {k: v for k, v in s.items() if k != "ld0"})
    with pytest.raises(ValueError, match="names op 'nope'"):
        gaus.verify(fir8, {**s, "nope": 1})
    with pytest.raises(ValueError, match="3 starts for 24 ops"):
        gaus.verify(fir8, [0, 1, 2])
    with pytest.raises(TypeError, match="integers"):
        gaus.verify(fir8, [0.5] * fir8.num_ops)
    with pytest.raises(ValueError, match="32 bits"):
        gaus.verify(fir8, [2**40] * fir8.num_ops)
