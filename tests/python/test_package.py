"""The package's surface: exports, stubs, docstrings."""

import ast
import pathlib

import gaus
from gaus import _gaus


def test_exports():
    for name in gaus.__all__:
        assert hasattr(gaus, name), name
    assert gaus.__version__ == _gaus.__version__
    assert isinstance(gaus.cuda_built, bool)
    assert gaus.Problem is _gaus.Problem


def test_public_functions_document_their_arguments():
    for name in ("read", "from_arrays", "from_networkx", "solve", "schedule", "verify"):
        doc = getattr(gaus, name).__doc__
        assert doc and len(doc) > 200, name
    assert "cycles" in gaus.solve.__doc__ and "seconds" in gaus.solve.__doc__


def test_stubs_cover_the_native_module():
    package = pathlib.Path(gaus.__file__).parent
    assert (package / "py.typed").exists()
    tree = ast.parse((package / "_gaus.pyi").read_text())
    stubbed = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    stubbed |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    native = {n for n in dir(_gaus) if not n.startswith("_")} | {"__version__"}
    assert native - {"__version__"} <= stubbed | {"__version__"}
    assert stubbed <= native
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    for cls in ("Problem", "Progress"):
        members = {f.name for f in classes[cls].body if isinstance(f, ast.FunctionDef)}
        native_members = {m for m in dir(getattr(_gaus, cls)) if not m.startswith("_")}
        assert members == native_members, cls
