"""gaus.read for every format, its options, the Problem's properties and writers, and the
errors of bad input."""

import json

import pytest

import gaus
from conftest import FIR8, TEST_DATA


def test_fir8_properties():
    p = gaus.read(FIR8)
    assert p.num_ops == 24
    assert p.num_edges == len(p.edges) == len(p.edge_delays) == len(p.edge_weights)
    names = p.op_names
    assert names[:2] == ["ld0", "mul0"]
    assert p.op_types[1] == "mul"
    assert p.op_classes[1] == "mul"
    assert p.latencies[1] == 2 and p.blocking[1] == 2
    assert p.resources == {"mul": 2, "add": 1, "load": 2, "store": 1}
    assert p.source.endswith("fir8.json")
    assert p.critical_path == p.analyze()["critical_path"] > 0
    assert "24 ops" in repr(p)


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("aiger_small.aag", None),
        ("dot_small.dot", None),
        ("gml_small.gml", None),
        ("graphml_small.graphml", None),
        ("heurigym_small.json", "heurigym"),
        ("heurigym_combined.json", None),
        ("json_small.json", "json"),
    ],
)
def test_every_format(name, fmt):
    p = gaus.read(TEST_DATA / name, format=fmt)
    assert p.num_ops > 0
    assert len(p.op_names) == p.num_ops


def test_ssp_instance(tmp_path):
    f = tmp_path / "one.mlir"
    f.write_text(
        'ssp.instance @one of "SharedOperatorsProblem" {\n'
        "  library {\n    operator_type @mul [latency<2>]\n  }\n"
        "  resource {\n    resource_type @m [limit<1>]\n  }\n"
        "  graph {\n    %0 = operation<@mul> uses[@m] @a()\n"
        "    operation<@mul> uses[@m] @b(%0)\n  }\n}\n"
    )
    p = gaus.read(f)
    assert p.op_names == ["a", "b"]
    assert p.latencies == [2, 2] and p.blocking == [1, 1]  # a limit counts starts
    assert p.resources == {"m": 1}
    r = gaus.schedule(p, "list")
    assert r.legal and list(r.starts.values()) == [0, 2]
    f.write_text(f.read_text() + "// -----\n" + f.read_text())
    with pytest.raises(ValueError, match="holds 2 SSP instances"):
        gaus.read(f)


def test_chaining_delays(tmp_path):
    f = tmp_path / "chain.json"
    ops = [{"name": f"a{k}", "latency": 0, "in_delay": 1.5, "out_delay": 1.5} for k in range(5)]
    edges = [{"from": f"a{k}", "to": f"a{k + 1}"} for k in range(4)]
    f.write_text(json.dumps({"cycle_time": 5, "ops": ops, "edges": edges}))
    p = gaus.read(f)
    r = gaus.schedule(p, "list")
    assert r.legal and r.starts_array.tolist() == [0, 0, 0, 1, 1]  # three fit a cycle
    assert r.z == [0.0, 1.5, 3.0, 0.0, 1.5]
    assert r.to_dict()["z"]["a4"] == 1.5


def test_json_small_model():
    p = gaus.read(TEST_DATA / "json_small.json")
    assert p.horizon == 8 and p.ii == 3
    assert p.num_loop_carried == 1
    assert p.resources["MUL"] == 1 and p.resources["ADD"] is None
    i = p.op_names.index("b")
    assert p.weights[i] == 2.5
    assert p.output_sizes[p.op_names.index("sum")] == 32
    assert p.op_classes[p.op_names.index("out")] is None
    a = p.analyze(horizon=10)
    assert a["horizon"] == 10 and a["rec_mii"] >= 1 and a["res_mii"] == 4
    assert len(a["asap"]) == len(a["alap"]) == len(a["mobility"]) == p.num_ops


def test_library_and_overrides(express):
    plain = gaus.read(express / "hal.dot")
    lib = gaus.read(express / "hal.dot", library=express / "limits.json")
    i = lib.op_names.index("1")  # a mul
    assert plain.latencies[i] == 1
    assert lib.latencies[i] == 2 and lib.op_classes[i] == "MUL"
    assert lib.resources["MUL"] == 2
    # the library's units are not pipelined: a mul holds its unit 2 cycles
    assert lib.blocking[i] == 2
    over = gaus.read(express / "hal.dot", library=express / "limits.json",
                     latency={"MUL": 3}, limits={"MUL": 1, "add": None})
    assert over.latencies[i] == 3 and over.resources["MUL"] == 1
    assert over.resources["add"] is None
    same = gaus.read(express / "hal.dot", library=express / "limits.json",
                     latency=["MUL=3"], limits=["MUL=1", "add=-1"])
    assert same.to_json() == over.to_json()
    # the limits of another design: ewf limits a class that no op of hal uses
    with pytest.raises(ValueError, match="'ADD'"):
        gaus.read(express / "hal.dot", library=express / "limits.json", design="ewf")


def test_unit_class_and_non_pipelined():
    p = gaus.read(TEST_DATA / "dot_small.dot", unit_class={"add": "alu", "sub": "alu"},
                  latency={"alu": 4}, limits={"alu": 1}, non_pipelined=True)
    i = p.op_names.index("b c")
    assert p.op_classes[i] == "alu"
    assert p.latencies[i] == 4 and p.blocking[i] == 4
    assert p.resources["alu"] == 1


def test_companion(tmp_path):
    graph = (TEST_DATA / "graphml_small.graphml").read_text()
    rm = (TEST_DATA / "graphml_small_RM.xml").read_text()
    (tmp_path / "g.graphml").write_text(graph)
    (tmp_path / "model.xml").write_text(rm)
    with pytest.raises(ValueError, match="RM"):
        gaus.read(tmp_path / "g.graphml")  # the default companion g_RM.xml is missing
    p = gaus.read(tmp_path / "g.graphml", companion=tmp_path / "model.xml")
    assert p.num_ops == gaus.read(TEST_DATA / "graphml_small.graphml").num_ops


def test_write_roundtrip(tmp_path):
    p = gaus.read(FIR8)
    p.write(tmp_path / "f.json")
    q = gaus.read(tmp_path / "f.json")
    assert q.to_json() == p.to_json()
    assert json.loads(p.to_json())["ops"][0]["name"] == "ld0"
    p.write(str(tmp_path / "f.dot"))
    d = gaus.read(tmp_path / "f.dot")
    assert d.op_names == p.op_names and d.num_edges == p.num_edges
    p.write(tmp_path / "f.txt", format="dot")
    assert (tmp_path / "f.txt").read_text() == p.to_dot()
    with pytest.raises(ValueError, match="cannot write format 'gml'"):
        p.write(tmp_path / "f.gml")
    with pytest.raises(ValueError, match="does not exist"):
        p.write(tmp_path / "missing" / "f.json")


def test_to_dot_with_starts():
    p = gaus.read(FIR8)
    r = gaus.schedule(p, "asap")
    text = p.to_dot(r.starts_array)
    assert text != p.to_dot() and "rank" in text


# ---- errors ----------------------------------------------------------------------------------


def test_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        gaus.read(tmp_path / "nope.dot")
    assert e.value.filename == str(tmp_path / "nope.dot")
    with pytest.raises(FileNotFoundError, match="library"):
        gaus.read(FIR8, library=tmp_path / "lib.json")
    with pytest.raises(OSError):
        gaus.read(FIR8, companion=tmp_path / "c.dot", format="heurigym")


def test_parse_error_names_file_and_line(tmp_path):
    f = tmp_path / "bad.dot"
    f.write_text("digraph g {\n  a [label = add];\n  a -> b;\n}\n")
    with pytest.raises(ValueError) as e:
        gaus.read(f)
    msg = str(e.value)
    assert f"{f}:3" in msg and "'b'" in msg
    assert not isinstance(e.value, gaus.InfeasibleError)


def test_cycle_names_ops(tmp_path):
    f = tmp_path / "cycle.dot"
    f.write_text("digraph g {\n  x [label = add];\n  y [label = add];\n  x -> y;\n  y -> x;\n}\n")
    with pytest.raises(ValueError, match="cycle") as e:
        gaus.read(f)
    assert "'x'" in str(e.value) and "'y'" in str(e.value)


def test_bad_options(tmp_path, express):
    with pytest.raises(ValueError, match="format 'xml'"):
        gaus.read(FIR8, format="xml")
    with pytest.raises(ValueError, match="--latency"):
        gaus.read(FIR8, latency=["mul"])
    with pytest.raises(ValueError, match="--limit"):
        gaus.read(FIR8, limits={"mul": -5})
    with pytest.raises(TypeError):
        gaus.read(FIR8, latency={"mul": 1.5})
    with pytest.raises(ValueError, match="nosuchdesign"):
        gaus.read(express / "hal.dot", library=express / "limits.json", design="nosuchdesign")
    lib = tmp_path / "lib.json"
    lib.write_text('{"latency": {"MUL": "two"}}')
    with pytest.raises(ValueError, match="lib.json"):
        gaus.read(FIR8, library=lib)
    with pytest.raises(ValueError):
        gaus.read(FIR8, format="gml")
