"""The exact prover on EXPRESS (docs/benchmarks.md, "Proofs of optimality"): for each instance,
`gaus schedule --method gaus --prove P` (the gradient solve, then CBC warm-started from its
schedule), and the warm start's effect on the proof: gaus_ilp on the same model (horizon at
gaus's latency, the latency bound built in) with gaus's schedule as MIP start against no start
(a cold CBC). Writes OUT/results.json and OUT/results.md.

    bench/prove.py [--instances a,b,...] [--time-limit 2] [--prove 60] [--out DIR]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile

from .machine import cpu_name, git_commit
from .paths import REPO
from .process import sh

# The EXPRESS instances whose latency the cheap bounds of earlier versions left unproven, and
# feedback_points, the sixth whose latency the present bound leaves to CBC.
DEFAULT = ("arf,collapse_pyr_dfg__113,fir1,idctcol_dfg__3,jpeg_fdct_islow_dfg__6,"
           "jpeg_idct_ifast_dfg__5,motion_vectors_dfg__7,matmul_dfg__3,"
           "smooth_color_z_triangle_dfg__31,cosine2,invert_matrix_general_dfg__3,"
           "feedback_points_dfg__7")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=os.path.join(os.path.dirname(REPO), "shared", "data"))
    ap.add_argument("--gaus", default=os.path.join(REPO, "build", "tools", "gaus"))
    ap.add_argument("--ilp", default=os.path.join(REPO, "build", "bench", "gaus_ilp"))
    ap.add_argument("--instances", default=DEFAULT, help="EXPRESS stems, comma-separated")
    ap.add_argument("--time-limit", type=float, default=2.0, help="gaus's gradient solve, s")
    ap.add_argument("--prove", type=float, default=60.0, help="seconds for CBC (each run)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "out", "prove"))
    return ap.parse_args(argv)


def load(path: str) -> dict:
    with open(path) as f:
        return json.load(f)


def run_ilp(args, dot, lib, start, horizon, out) -> dict:
    cmd = [args.ilp, dot, "--library", lib, "--problem", "rcs", "--start", start,
           "--horizon", str(horizon), "--time-limit", str(args.prove), "--out", out]
    r = sh(cmd, timeout=args.prove + 30)
    if r.returncode != 0 or not os.path.exists(out):
        return {"error": (r.stderr or r.stdout).strip()[-300:], "exit": r.returncode}
    d = load(out)
    v = sh([args.gaus, "verify", dot, out, "--library", lib])
    return {"objective": d["objective"], "bound": d["bound"], "optimal": d["optimal"],
            "status": d["status"], "time_s": d["time_s"], "legal": v.returncode == 0,
            "model": d["model"]}


def study(args, name: str, tmp: str) -> dict:
    dot = os.path.join(args.data_dir, "express", name + ".dot")
    lib = os.path.join(args.data_dir, "express", "limits.json")
    row = {"instance": name}
    # 1. what a user runs: the solve and --prove together
    out = os.path.join(tmp, name + ".gaus.json")
    cmd = [args.gaus, "schedule", dot, "--library", lib, "--method", "gaus", "--seed",
           str(args.seed), "--time-limit", str(args.time_limit), "--prove", str(args.prove),
           "--out", out]
    r = sh(cmd, timeout=args.time_limit + args.prove + 30)
    if r.returncode != 0:
        row["error"] = (r.stderr or r.stdout).strip()[-300:]
        return row
    g = load(out)
    v = sh([args.gaus, "verify", dot, out, "--library", lib])
    row["gaus"] = {"latency": g["latency"], "lower_bound": g["lower_bound"],
                   "optimal": g["optimal"], "legal": g["legal"] and v.returncode == 0,
                   "status": g["prove"]["status"], "prove_s": g["prove"].get("time_s"),
                   "improved": g["prove"].get("improved", False),
                   "solver_bound_proved": g["prove"]["status"].startswith("skipped: the solver")}
    # 2. the warm start's effect: the same ILP with gaus's schedule as MIP start, and without
    horizon = g["latency"]
    row["warm"] = run_ilp(args, dot, lib, out, horizon, os.path.join(tmp, name + ".warm.json"))
    row["cold"] = run_ilp(args, dot, lib, "none", horizon, os.path.join(tmp, name + ".cold.json"))
    return row


def markdown(meta: dict, rows: list[dict]) -> str:
    lines = [f"# Proofs of optimality on EXPRESS ({meta['date_utc'][:10]})", "",
             f"gaus {meta['time_limit_s']} s then `--prove {meta['prove_s']}`; gaus_ilp warm "
             f"(gaus's schedule as MIP start) and cold (none) on the same model, "
             f"{meta['prove_s']} s each. {meta['cpu']}, commit {meta['commit'][:12]}.", "",
             "| instance | gaus latency | proven by | optimal | ILP warm s | ILP cold s | speed-up |",
             "|---|---|---|---|---|---|---|"]
    ups = []
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['instance']} | error: {r['error']} | | | | | |")
            continue
        g, w, c = r["gaus"], r["warm"], r["cold"]

        def t(x):
            if "error" in x:
                return "error"
            return f"{x['time_s']:.2f}" if x["optimal"] else f"> {x['time_s']:.0f} (no proof)"
        up = ""
        if w.get("optimal") and c.get("optimal"):
            ups.append(c["time_s"] / max(w["time_s"], 1e-3))
            up = f"{ups[-1]:.2f}x"
        by = ("cheap bound" if g["solver_bound_proved"] else
              f"CBC ({g['prove_s']:.2f} s)" if g["optimal"] else "not proven")
        lines.append(f"| {r['instance']} | {g['latency']} | {by} | {g['optimal']} | {t(w)} | "
                     f"{t(c)} | {up} |")
    proven = sum(1 for r in rows if r.get("gaus", {}).get("optimal"))
    lines += ["", f"Proven optimal: {proven} of {len(rows)}."]
    if ups:
        lines.append(f"Warm against cold, where both prove: geometric mean speed-up "
                     f"{statistics.geometric_mean(ups):.2f}x (min {min(ups):.2f}x, max "
                     f"{max(ups):.2f}x, {len(ups)} instances).")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv)
    for exe in (args.gaus, args.ilp):
        if not os.access(exe, os.X_OK):
            print(f"prove: no executable at {exe} (build with CBC installed)")
            return 2
    meta = {"date_utc": dt.datetime.now(dt.timezone.utc).isoformat(), "commit": git_commit(),
            "cpu": cpu_name(), "time_limit_s": args.time_limit, "prove_s": args.prove,
            "seed": args.seed}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in [x for x in args.instances.split(",") if x]:
            rows.append(study(args, name, tmp))
            print(json.dumps(rows[-1]), flush=True)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"meta": meta, "results": rows}, f, indent=1)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(markdown(meta, rows))
    print(f"-> {args.out}/results.json, results.md")
    return 0
