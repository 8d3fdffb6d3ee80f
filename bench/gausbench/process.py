"""Child processes of the harness: a command run with a time limit, and CPU seconds used."""
from __future__ import annotations

import resource
import subprocess


def cpu_seconds(who: int) -> float:
    """User + system CPU seconds of this process (RUSAGE_SELF) or its waited-for children."""
    u = resource.getrusage(who)
    return u.ru_utime + u.ru_stime


def sh(cmd: list[str], timeout: float | None = None) -> subprocess.CompletedProcess:
    """cmd run to its end with its output captured as text; past timeout seconds it is killed and
    the result is exit 124 with "timed out after S s" as its stderr."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return subprocess.CompletedProcess(cmd, 124, out, f"timed out after {timeout} s")
