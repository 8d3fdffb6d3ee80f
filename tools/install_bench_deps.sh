#!/usr/bin/env bash
# Installs the benchmark harness's Python packages (bench/requirements.txt: ortools, torch,
# matplotlib, numpy) from PyPI with the Python found as $PYTHON (default python3).
# Plain PyPI only: on x86-64 Linux the default torch wheel pulls the CUDA runtime wheels
# (several GB); it runs on the CPU as well when no GPU is present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
if ! "$python" -m pip --version >/dev/null 2>&1; then
  echo "install_bench_deps: $python has no pip (install python3-pip or set PYTHON)" >&2
  exit 2
fi
"$python" -m pip install --upgrade -r "$here/bench/requirements.txt"
"$python" - <<'PY'
import matplotlib, ortools, torch
print(f"ortools {ortools.__version__}, torch {torch.__version__}, "
      f"matplotlib {matplotlib.__version__}, cuda available: {torch.cuda.is_available()}")
PY
