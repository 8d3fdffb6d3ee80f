#!/usr/bin/env bash
# Installs the built library into a temporary prefix, checks that only the public headers are
# installed (none needs CUDA), builds examples/consumer against it with find_package(gaus) and
# <gaus/gaus.hpp> alone, and runs its gradient solve on an EXPRESS-style problem.
# Usage: run_consumer_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
inc="$tmp/prefix/include/gaus"
[ -f "$inc/gaus.hpp" ] || { echo "consumer: gaus.hpp not installed"; exit 1; }
for internal in host/solver/solver_detail.hpp host/loss/loss.hpp host/loss/cuda/cuda_buffer.hpp \
                kernels/cuda_check.hpp tools/report.hpp; do
  if [ -e "$inc/$internal" ]; then echo "consumer: internal header $internal installed"; exit 1; fi
done
if grep -rlE '#include <(cuda|cuda_runtime)' "$inc"; then
  echo "consumer: an installed header includes a CUDA header"; exit 1
fi
cmake -S "$src/examples/consumer" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/build" >/dev/null
out=$("$tmp/build/gaus_consumer" "$src/examples/fir8.json")
echo "$out"
[ "$out" = "24 ops, latency 13, legal" ]
