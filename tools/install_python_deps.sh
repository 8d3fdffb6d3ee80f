#!/usr/bin/env bash
# Installs from PyPI what the Python package's build and tests need (nanobind for the extension,
# scikit-build-core for `pip install .`, pytest, numpy and networkx for tests/python), into the
# Python found as $PYTHON (default python3: the one CMake's python/CMakeLists.txt picks up).
# Safe to run repeatedly: it does nothing when all of them import. Run by `make deps`.
set -euo pipefail
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "install_python_deps: no $python; the Python package and its tests are skipped" >&2
  exit 0
fi
if "$python" - <<'PY' 2>/dev/null
import nanobind, scikit_build_core, pytest, numpy, networkx
PY
then
  exit 0
fi
if ! "$python" -m pip --version >/dev/null 2>&1; then
  echo "install_python_deps: $python has no pip (install python3-pip or set PYTHON)" >&2
  exit 2
fi
echo "install_python_deps: installing nanobind scikit-build-core pytest numpy networkx"
pkgs=("nanobind>=2.0" "scikit-build-core>=0.9" "pytest>=7" "numpy>=1.21" "networkx>=2.6")
if ! "$python" -m pip install --quiet --disable-pip-version-check "${pkgs[@]}"; then
  # A distribution's Python marked externally managed (PEP 668) refuses system-wide installs:
  # install for the user instead (on sys.path of the same interpreter).
  echo "install_python_deps: retrying as a user install" >&2
  "$python" -m pip install --quiet --disable-pip-version-check --user --break-system-packages \
    "${pkgs[@]}"
fi
