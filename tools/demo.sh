#!/usr/bin/env bash
# The README's first command ends here: runs a real scheduling job on a bundled example and
# prints a short summary. Usage: tools/demo.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
gaus="$build/tools/gaus"
"$gaus" devices
