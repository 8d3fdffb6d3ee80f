#!/usr/bin/env bash
# Installs what tools/harden.sh needs on top of install_deps.sh: clang and its sanitizer and
# libFuzzer runtimes (Debian: clang, libclang-rt-14-dev). Does nothing when they are present.
set -euo pipefail

have_fuzzer_rt() {
  command -v clang++ >/dev/null 2>&1 || return 1
  local rt
  rt=$(clang++ -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-x86_64.a
  [ -f "$rt" ] || compgen -G "$(clang++ -print-resource-dir)/lib/*/libclang_rt.fuzzer*.a" >/dev/null
}

if have_fuzzer_rt; then
  exit 0
fi
pkgs=(clang libclang-rt-14-dev)
echo "install_harden_deps: installing ${pkgs[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
have_fuzzer_rt || { echo "install_harden_deps: libFuzzer runtime still missing" >&2; exit 1; }
