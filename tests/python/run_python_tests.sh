#!/usr/bin/env bash
# The pytest suite of the Python package, against the module built in this build tree.
# Usage: run_python_tests.sh PYTHON MODULE_DIR (MODULE_DIR holds gaus/; empty: not built).
# Exit 77 (skipped) only when the module could not be built (no nanobind for PYTHON) or
# pytest/numpy are missing; tools/install_python_deps.sh (run by `make deps`) installs them.
# Env passed on to the tests: GAUS_CLI, GAUS_SHARED_DATA_DIR, GAUS_TEST_DATA_DIR.
set -u
python=$1
dir=$2
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "$python" ] || [ -z "$dir" ]; then
  echo "python: the module was not built (no nanobind for the Python CMake found;" \
       "tools/install_python_deps.sh installs it)"
  exit 77
fi
if ! "$python" -c 'import pytest, numpy' 2>/dev/null; then
  echo "python: pytest or numpy missing for $python (tools/install_python_deps.sh)"
  exit 77
fi
export PYTHONPATH="$dir${PYTHONPATH:+:$PYTHONPATH}"
exec "$python" -m pytest -q -p no:cacheprovider "$here"
