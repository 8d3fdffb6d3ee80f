"""The repository root, from which the harness's default paths (build/tools/gaus, ../shared/data,
bench/out) follow."""
from __future__ import annotations

import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
