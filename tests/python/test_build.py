"""gaus.from_arrays and gaus.from_networkx: problems built in code."""

import pytest

import gaus


def diamond(**kw):
    return gaus.from_arrays(
        ["a", "b", "c", "d"],
        ["mul", "mul", "add", None],
        [("a", "c"), ("b", "c"), (2, 3)],
        **kw,
    )


def test_from_arrays_defaults():
    p = diamond()
    assert p.op_names == ["a", "b", "c", "d"]
    assert p.op_types == ["mul", "mul", "add", ""]
    assert p.op_classes == ["mul", "mul", "add", None]
    assert p.latencies == [1, 1, 1, 1]
    assert p.weights == [1.0] * 4 and p.output_sizes == [1.0] * 4
    assert sorted(p.edges) == [(0, 2), (1, 2), (2, 3)]
    assert p.edge_delays == [1, 1, 1]  # the source's latency
    assert p.source == "<arrays>"
    assert p.critical_path == 3
    assert all(v is None for v in p.resources.values())


def test_from_arrays_attributes():
    q = diamond(op_latency=[2, None, 1, 0])
    assert q.latencies == [2, 1, 1, 0]
    p = diamond(op_latency=[2, None, 1, 0], op_blocking=[2, 2, None, None],
                weight=[3, None, 1, 0], output_size=[8, 8, 16, None],
                edge_delay=[0, 1, 0], edge_distance=[0, 0, 0], edge_weight=[1, 2, 0],
                latency={"mul": 3}, limits={"mul": 1}, horizon=9, ii=0, name="diamond")
    # as for a file: the library's latency of a type wins over the op's own
    assert p.latencies == [3, 3, 1, 0]
    assert p.blocking[:2] == [2, 2]
    assert p.weights == [3.0, 1.0, 1.0, 0.0]
    assert p.output_sizes == [8.0, 8.0, 16.0, 1.0]
    assert p.resources["mul"] == 1
    assert p.horizon == 9 and p.source == "diamond"
    delays = dict(zip(p.edges, p.edge_delays))
    assert delays[(0, 2)] == 3 and delays[(1, 2)] == 4
    r = gaus.schedule(p, "list")
    assert r.legal
    s = r.starts
    assert abs(s["b"] - s["a"]) >= 2  # one multiplier, held 2 cycles


def test_from_arrays_unit_class_non_pipelined():
    p = diamond(unit_class={"mul": "alu", "add": "alu"}, latency={"alu": 2}, limits={"alu": 1},
                non_pipelined=True)
    assert p.op_classes[:3] == ["alu"] * 3
    assert p.blocking[:3] == [2, 2, 2]
    r = gaus.solve(p, time_limit=None, iterations=30)
    assert r.legal and r.latency == 2 * 3 + 1


def test_from_arrays_errors():
    with pytest.raises(ValueError, match="duplicate.*'a'"):
        gaus.from_arrays(["a", "a"], ["x", "x"])
    with pytest.raises(ValueError, match="no op named 'z'"):
        gaus.from_arrays(["a"], ["x"], [("a", "z")])
    with pytest.raises(ValueError, match="out of range"):
        gaus.from_arrays(["a"], ["x"], [(0, 1)])
    with pytest.raises(ValueError, match="types has 1 entries"):
        gaus.from_arrays(["a", "b"], ["x"])
    with pytest.raises(ValueError, match="op_latency has 1 entries"):
        gaus.from_arrays(["a", "b"], op_latency=[1])
    with pytest.raises(ValueError, match="edge_weight has 2 entries"):
        gaus.from_arrays(["a", "b"], edges=[(0, 1)], edge_weight=[1, 2])
    with pytest.raises(ValueError, match="cycle"):
        gaus.from_arrays(["a", "b"], edges=[(0, 1), (1, 0)])
    with pytest.raises(ValueError, match="'a'"):
        gaus.from_arrays(["a", "b"], weight=[-1, 1])
    with pytest.raises(ValueError, match="horizon must be >= 0"):
        gaus.from_arrays(["a"], horizon=-1)


def test_loop_carried_edge_is_allowed():
    p = gaus.from_arrays(["a", "b"], ["add", "add"], [(0, 1), (1, 0)], edge_distance=[0, 1])
    assert p.num_loop_carried == 1
    r = gaus.schedule(p, "list")
    assert r.legal and r.ii >= 2


def test_networkx_graph():
    nx = pytest.importorskip("networkx")
    G = nx.DiGraph(name="net")
    G.add_node("ld", type="load")
    G.add_node("m1", type="mul", latency=3, weight=2.0, output_size=32)
    G.add_node("m2", type="mul", latency=3)
    G.add_node(7, type="add")
    G.add_edge("ld", "m1", weight=1.5)
    G.add_edge("ld", "m2")
    G.add_edge("m1", 7, delay=1)
    G.add_edge("m2", 7)
    p = gaus.from_networkx(G, limits={"mul": 1})
    assert p.source == "net"
    assert p.op_names == ["ld", "m1", "m2", "7"]
    assert p.latencies == [1, 3, 3, 1]
    assert p.weights[1] == 2.0 and p.output_sizes[1] == 32.0
    delays = {(p.op_names[u], p.op_names[v]): d for (u, v), d in zip(p.edges, p.edge_delays)}
    assert delays[("m1", "7")] == 4 and delays[("m2", "7")] == 3
    weights = {(p.op_names[u], p.op_names[v]): w for (u, v), w in zip(p.edges, p.edge_weights)}
    assert weights[("ld", "m1")] == 1.5 and weights[("ld", "m2")] == 0.0
    r = gaus.solve(p, time_limit=None, iterations=50)
    assert r.legal
    assert gaus.verify(p, r) == []
    # one multiplier, pipelined: the two muls start in different steps
    assert r.starts["m1"] != r.starts["m2"]
    # ld at 0, m1 at 1 (its edge to 7 is the longer), m2 at 2, 7 at 5: latency 6, optimal
    assert r.latency == 6 and r.optimal


def test_networkx_custom_attributes_and_errors():
    nx = pytest.importorskip("networkx")
    G = nx.MultiDiGraph()
    G.add_node("a", kind="alu", lat=2)
    G.add_node("b", kind="alu")
    G.add_edge("a", "b", dist=0)
    G.add_edge("b", "a", dist=1)
    p = gaus.from_networkx(G, type_attr="kind", latency_attr="lat", distance_attr="dist")
    assert p.source == "networkx"
    assert p.op_types == ["alu", "alu"] and p.latencies == [2, 1]
    assert p.num_loop_carried == 1
    with pytest.raises(ValueError, match="directed"):
        gaus.from_networkx(nx.Graph([(1, 2)]))
    H = nx.DiGraph([(1, 2), (2, 1)])
    with pytest.raises(ValueError, match="cycle"):
        gaus.from_networkx(H)
