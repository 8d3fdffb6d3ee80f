"""Facts of the machine and tree a run ran on, recorded in its results.json meta: the commit, the
CPU's name and the CUDA devices gaus sees.
"""
from __future__ import annotations

import os
import platform

from .paths import REPO
from .process import sh


def git_commit() -> str:
    if os.environ.get("GAUS_COMMIT"):  # set where the tree is a copy without .git (GPU runs)
        return os.environ["GAUS_COMMIT"]
    r = sh(["git", "-C", REPO, "rev-parse", "HEAD"])
    if r.returncode != 0:
        return "unknown"
    dirty = sh(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"]).stdout
    return r.stdout.strip() + ("+dirty" if dirty.strip() else "")


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cuda_devices(gaus: str) -> list[str]:
    """Device names listed by `gaus devices` ("  0: NAME" lines)."""
    r = sh([gaus, "devices"], timeout=60)
    names = []
    for line in r.stdout.splitlines():
        head, _, name = line.strip().partition(": ")
        if head.isdigit() and name:
            names.append(name)
    return names
