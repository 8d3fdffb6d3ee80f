#!/usr/bin/env bash
# Installs what the benchmark harness needs: the CBC MIP solver (Debian coinor-libcbc-dev, for the
# ILP baseline) when missing, and the Python packages (bench/requirements.txt: ortools, torch,
# matplotlib, numpy, distributed) from PyPI with the Python found as $PYTHON (default python3).
# Plain PyPI only: on x86-64 Linux the default torch wheel pulls the CUDA runtime wheels
# (several GB); it runs on the CPU as well when no GPU is present.
# With --dask it installs only what bench/run.py --dask needs (the `distributed` line of
# bench/requirements.txt), and nothing when that imports already: the CLI test of the Dask mode
# calls it so.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
if [ "${1:-}" = "--dask" ]; then
  "$python" -c "import distributed" 2>/dev/null && exit 0
  "$python" -m pip install --upgrade "$(grep '^distributed' "$here/bench/requirements.txt")"
  "$python" -c "import distributed; print(f'distributed {distributed.__version__}')"
  exit 0
fi
# The ILP baseline (gaus_ilp, method `ilp`) needs CBC at build time: the Debian package, when
# missing (rebuild afterwards so that CMake finds it).
if command -v dpkg >/dev/null 2>&1; then
  missing=()
  for p in pkg-config coinor-libcbc-dev; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "install_bench_deps: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
if ! "$python" -m pip --version >/dev/null 2>&1; then
  echo "install_bench_deps: $python has no pip (install python3-pip or set PYTHON)" >&2
  exit 2
fi
"$python" -m pip install --upgrade -r "$here/bench/requirements.txt"
"$python" - <<'PY'
import distributed, matplotlib, ortools, torch
print(f"ortools {ortools.__version__}, torch {torch.__version__}, "
      f"matplotlib {matplotlib.__version__}, distributed {distributed.__version__}, "
      f"cuda available: {torch.cuda.is_available()}")
PY
