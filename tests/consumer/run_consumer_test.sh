#!/usr/bin/env bash
# Installs the built library into a temporary prefix, builds examples/consumer against it with
# find_package(gaus), and runs it. Usage: run_consumer_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$src/examples/consumer" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/build" >/dev/null
out=$("$tmp/build/gaus_consumer" "$src/examples/fir8.json")
echo "$out"
[ "$out" = "24 ops, latency 13, legal" ]
