#!/usr/bin/env bash
# Packs what a run on the lent GPU machine needs into .device/ (git-ignored), for the device
# tool's `carry`: the CUDA build of the tool, the GPU tests and the loss benchmark, the shared
# libraries they link (the GPU machine has none of our Debian packages), and ../shared/data
# (the ../shared beside the checkout does not travel). Run here, then on the device:
#   tools/gpu_session.sh info tests bench ...        (see that script)
# Usage: tools/gpu_bundle.sh [BUILD_DIR]   (default build-gpu; CUDA on, Release)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-gpu}
DATA=${GAUS_DATA_DIR:-../shared/data}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGAUS_CUDA=ON >/dev/null
cmake --build "$BUILD" --target gaus_cli gaus_tests_gpu gaus_loss_bench
rm -rf .device
mkdir -p .device/bin .device/lib
cp "$BUILD/tools/gaus" "$BUILD/tests/gaus_tests_gpu" "$BUILD/bench/gaus_loss_bench" .device/bin/
# Every shared library they need except the C library family and the CUDA driver.
for bin in .device/bin/*; do
  ldd "$bin" | awk '/=> \// {print $3}'
done | sort -u | grep -v -E '/(libc|libm|libdl|libpthread|librt|ld-linux[^/]*|libcuda)\.so' |
  while read -r lib; do cp -L "$lib" .device/lib/; done
if [[ -d $DATA ]]; then
  cp -r "$DATA" .device/data
else
  echo "gpu_bundle: $DATA not found; no graphs carried" >&2
fi
{ git rev-parse HEAD && git diff --quiet HEAD -- core kernels host graphs bench tools || echo "+dirty"; } 2>/dev/null | paste -sd "" > .device/commit || true
du -sh .device
