#!/usr/bin/env bash
# Installs the Debian packages gaus needs to build and test, when they are missing.
# Safe to run repeatedly: it does nothing when everything is present.
set -euo pipefail

# python3-dev, python3-pip, python3-venv: the Python package (python/, tools/install_python_deps.sh)
# pkg-config and coinor-libcbc-dev: the CBC MIP solver of the ILP baseline (bench/baselines/ilp.cpp,
# built only when CBC is found)
pkgs=(cmake ninja-build g++ make libboost-graph-dev doctest-dev nlohmann-json3-dev libcli11-dev
      python3-dev python3-pip python3-venv pkg-config coinor-libcbc-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install_deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
