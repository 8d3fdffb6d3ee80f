#!/usr/bin/env python3
"""Random problems through `gaus schedule`: every method and formulation, odd options (horizons
and IIs below the bounds, zero latencies, zero-delay and loop-carried edges, one unit, no unit
classes, time limits down to 0). Each run must exit 0 (legal; the schedule then verifies with
`gaus verify`), 1 (no legal schedule, reported) or 2 (usage or input error, nothing written), in
time, and never by a signal. Seeded: the same cases every run.

Usage: solver_stress.py GAUS RUNS SEED WORKDIR    (exit 1 on the first class of failure seen)
"""
import os
import random
import subprocess
import sys
import time


def case(rng: random.Random, g: str, work: str) -> tuple[list[str], list[str]]:
    ops = rng.choice([1, 2, 3, 5, 10, 30, 100, 400])
    gen = [g, "generate", "--ops", str(ops), "--seed", str(rng.randrange(1 << 30)),
           "--fan-in", str(rng.choice([1, 2, 4, 8])), "--classes", str(rng.choice([0, 1, 2, 3])),
           "--limit", str(rng.choice([-1, 1, 2, 5])),
           "--latency", rng.choice(["0", "1", "0-3", "1-2", "2-5"]),
           "--loop-carried", str(rng.choice([0, 0, 0.05, 0.3])),
           "--out", os.path.join(work, "g.json")]
    if rng.random() < 0.3:
        gen.append("--zero-delay")
    if rng.random() < 0.3:
        gen += ["--layers", str(min(ops, rng.choice([1, 2, 5, 50])))]
    method = rng.choice(["gaus", "gaus", "gaus", "list", "fds", "asap", "alap"])
    cmd = [g, "schedule", os.path.join(work, "g.json"), "--method", method,
           "--formulation", rng.choice(["A", "B", "C", "rcs"]),
           "--time-limit", str(rng.choice([0, 0.1, 0.3])), "--backend", "cpu",
           "--restarts", str(rng.choice([1, 1, 2, 4])), "--seed", str(rng.randrange(100)),
           "--out", os.path.join(work, "s.json")]
    if rng.random() < 0.3:
        cmd += ["--horizon", str(rng.choice([1, 2, 5, 10, 50, 400]))]
    if rng.random() < 0.3:
        cmd += ["--ii", str(rng.choice([1, 2, 3, 7, 40]))]
    if rng.random() < 0.2:
        cmd += ["--slack", str(rng.choice([0, 1, 5]))]
    if rng.random() < 0.2:
        cmd += ["--iterations", str(rng.choice([1, 10, 100]))]
    if rng.random() < 0.2:
        cmd.append("--no-anneal")
    return gen, cmd


def main() -> int:
    g, runs, seed, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(seed)
    failures = []
    exits = {0: 0, 1: 0, 2: 0}
    out = os.path.join(work, "s.json")
    for k in range(runs):
        gen, cmd = case(rng, g, work)
        r = subprocess.run(gen, capture_output=True, text=True)
        if r.returncode != 0:
            failures.append(f"generate failed: {' '.join(gen)}: {r.stderr.strip()[:200]}")
            continue
        if os.path.exists(out):
            os.remove(out)
        t0 = time.monotonic()
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            failures.append(f"no exit within 60 s: {' '.join(cmd)}")
            continue
        took = time.monotonic() - t0
        why = (r.stderr.strip().splitlines() or [""])[-1][:200]
        exits[r.returncode] = exits.get(r.returncode, 0) + 1
        if r.returncode not in (0, 1, 2):
            failures.append(f"exit {r.returncode}: {' '.join(cmd)}: {why}")
        elif r.returncode == 2 and os.path.exists(out):
            failures.append(f"exit 2 left {out}: {' '.join(cmd)}: {why}")
        elif r.returncode == 0:
            if not os.path.exists(out):
                failures.append(f"exit 0 without output: {' '.join(cmd)}")
                continue
            v = subprocess.run([g, "verify", cmd[2], out], capture_output=True, text=True)
            if v.returncode != 0:
                failures.append(f"reported legal, verify exit {v.returncode}: {' '.join(cmd)}: "
                                f"{(v.stdout + v.stderr).strip()[-200:]}")
        # A time limit is the solve's: reading, a bounded start (list scheduling) and writing
        # come on top, generously on a loaded machine.
        limit = float(cmd[cmd.index("--time-limit") + 1])
        if "gaus" == cmd[cmd.index("--method") + 1] and took > limit + 10:
            failures.append(f"took {took:.1f} s at --time-limit {limit}: {' '.join(cmd)}")
    for f in failures:
        print(f)
    print(f"solver stress: {runs} runs, {len(failures)} failures; exits "
          + ", ".join(f"{c}: {n}" for c, n in sorted(exits.items())))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
