"""Cross-checks gaus's loss values and gradients against the PyTorch reference (torch_loss.py),
and times both.

  bench/check_grads.py [--gaus build/tools/gaus] [--data-dir ../shared/data] [--window 10]
                       [--seed 1]
      writes random mu/sigma for each small graph to a params JSON, runs
      `gaus eval FILE --params P.json --horizon D [--ii N] --window K --tau T`, evaluates the
      reference (dense and windowed, float64, autograd) at the same point, and prints per term
      the max relative error of the value, grad_mu and grad_sigma (|a - b|_inf / |b|_inf).
      Exit 1 when an error exceeds --tolerance.

  bench/check_grads.py --timing [--graphs sqrt,div] [--iters 5] [--threads N] [--compile]
                       [--loss-bench build/bench/gaus_loss_bench]
      forward + backward time per iteration of gaus's CPU engine (gaus_loss_bench, double) and
      of the reference (windowed; dense where it fits in --dense-limit elements) on EPFL graphs,
      at the same point (mu at the ASAP/ALAP midpoint, D = critical path + max(2, cp / 10)).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import tempfile

import torch

from ..problem import load_problem
from ..paths import REPO
from .torch_loss import TERMS, TorchLoss, initial_params, time_iterations


def cases(data: str) -> list[dict]:
    """Small graphs that exercise every term: unit limits, weights, memory, II."""
    ex = os.path.join(REPO, "examples", "fir8.json")
    lib = os.path.join(data, "express", "limits.json")
    out = [{"name": "fir8", "file": ex, "slack": 3},
           {"name": "json_small (II 3)", "file": os.path.join(REPO, "tests", "data",
                                                           "json_small.json"), "ii": 3},
           {"name": "express/hal", "file": os.path.join(data, "express", "hal.dot"),
            "library": lib, "slack": 1},
           {"name": "express/ewf", "file": os.path.join(data, "express", "ewf.dot"),
            "library": lib, "slack": 4},
           {"name": "rw/rand_graph_1000_1", "file": os.path.join(data, "rw",
                                                              "rand_graph_1000_1.gml"),
            "levels": True},
           {"name": "epfl/int2float", "file": os.path.join(data, "epfl", "random_control",
                                                        "int2float.aig"), "slack": 3}]
    return [c for c in out if os.path.exists(c["file"])]


def gaus_info(gaus: str, file: str, extra: list[str]) -> dict:
    r = subprocess.run([gaus, "info", file, *extra, "--json"], capture_output=True, text=True,
                       check=True)
    return json.loads(r.stdout)


def rel_err(a: list[float], b: list[float]) -> float:
    scale = max((abs(x) for x in b), default=0.0)
    diff = max((abs(x - y) for x, y in zip(a, b)), default=0.0)
    return diff / scale if scale > 0 else diff


def check(args) -> int:
    rng = random.Random(args.seed)
    worst = 0.0
    print(f"gaus eval vs PyTorch reference (float64 autograd), K = {args.window}, "
          f"tau = {args.tau}; errors are |gaus - ref|_inf / |ref|_inf")
    print(f"{'graph':24s} {'mode':6s} {'term':14s} {'value gaus':>14s} {'value ref':>14s} "
          f"{'err value':>10s} {'err g_mu':>10s} {'err g_sig':>10s}")
    for c in cases(args.data_dir):
        extra = ["--library", c["library"]] if c.get("library") else []
        p = load_problem(args.gaus, c["file"], extra)
        info = gaus_info(args.gaus, c["file"], extra)
        D = info["levels"] if c.get("levels") else info["critical_path"] + c.get("slack", 0)
        if p.horizon:
            D = max(D, p.horizon)
        ii = c.get("ii", 0)
        asap_mu, _ = initial_params(p, D)
        mu = [m + rng.uniform(-1.0, 1.0) for m in asap_mu]
        sg = [rng.uniform(0.3, 2.0) for _ in range(p.n)]
        with tempfile.TemporaryDirectory() as tmp:
            pf = os.path.join(tmp, "params.json")
            with open(pf, "w") as f:
                json.dump({"mu": dict(zip(p.names, mu)), "sigma": dict(zip(p.names, sg))}, f)
            cmd = [args.gaus, "eval", c["file"], *extra, "--params", pf, "--horizon", str(D),
                   "--ii", str(ii), "--window", str(args.window), "--tau", str(args.tau)]
            r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{c['name']}: gaus eval failed ({r.returncode}): {r.stderr.strip()[:200]}")
            return 2
        ge = json.loads(r.stdout)
        for mode in ("dense", "window"):
            ref = TorchLoss(p, D, ii, args.window, args.tau, "cpu", torch.float64, mode)
            for term in TERMS:
                g = ge.get(term)
                if g is None or (term == "recurrence" and ii == 0):
                    continue
                m = torch.tensor(mu, dtype=torch.float64, requires_grad=True)
                s = torch.tensor(sg, dtype=torch.float64, requires_grad=True)
                ref.fit(m, s)
                v = ref.forward(m, s, [term])[term]
                if v.requires_grad:
                    v.backward()
                gm = m.grad.tolist() if m.grad is not None else [0.0] * p.n
                gs = s.grad.tolist() if s.grad is not None else [0.0] * p.n
                e_v = rel_err([g["value"]], [v.item()])
                e_m = rel_err([g["grad_mu"][nm] for nm in p.names], gm)
                e_s = rel_err([g["grad_sigma"][nm] for nm in p.names], gs)
                worst = max(worst, e_v, e_m, e_s)
                print(f"{c['name']:24s} {mode:6s} {term:14s} {g['value']:14.8g} "
                      f"{v.item():14.8g} {e_v:10.2e} {e_m:10.2e} {e_s:10.2e}")
    print(f"max relative error: {worst:.3e} (tolerance {args.tolerance:g})")
    return 0 if worst <= args.tolerance else 1


def timing_graphs(args, tmp: str) -> list[tuple[str, str, list[str]]]:
    """(name, file, gaus_loss_bench selection) for the EPFL names and synthetic sizes asked for;
    synthetic graphs are the loss bench's own, saved as native JSON for the reference."""
    out = []
    for name in [g for g in args.graphs.split(",") if g]:
        out.append((name, os.path.join(args.data_dir, "epfl", "arithmetic", f"{name}.aig"),
                    ["--epfl", name, "--sizes", "0"]))
    for n in [int(x) for x in args.synthetic.split(",") if x]:
        sel = ["--epfl", "none", "--sizes", str(n)]
        subprocess.run([args.loss_bench, *sel, "--backend", "cpu", "--iters", "1",
                        "--min-seconds", "0", "--save-graphs", tmp], check=True,
                       capture_output=True)
        out.append((f"synthetic_{n}", os.path.join(tmp, f"synthetic_{n}.json"), sel))
    return out


def timing(args) -> int:
    rows = []
    backend = "cuda" if args.device == "cuda" else "cpu"
    # gaus's CUDA engine computes in float32 and its CPU engine in double: the reference uses
    # the same precision, so that both sides do the same arithmetic.
    dtype = torch.float32 if backend == "cuda" else torch.float64
    with tempfile.TemporaryDirectory() as tmp:
        for name, f, sel in timing_graphs(args, tmp):
            p = load_problem(args.gaus, f)
            cp = gaus_info(args.gaus, f, [])["critical_path"]
            D = cp + max(2, cp // 10)
            row = {"graph": name, "ops": p.n, "edges": len(p.src), "horizon": D,
                   "device": args.device, "dtype": str(dtype).replace("torch.", "")}
            out = os.path.join(tmp, "loss.json")
            r = subprocess.run([args.loss_bench, "--data-dir", args.data_dir, *sel,
                                "--backend", backend, "--iters", str(max(args.iters, 20)),
                                "--min-seconds", "0.5", "--out", out],
                               capture_output=True, text=True, env=os.environ)
            if r.returncode == 0:
                doc = json.load(open(out))
                res = doc["results"][0]
                row[f"gaus_{backend}_ms"] = res["ms_per_iteration"]
                row["gaus_threads"] = doc.get("cpu_threads")
                row["gaus_device"] = doc.get("device")
            else:
                row["gaus_error"] = r.stderr.strip()[:200]
            mu, sg = initial_params(p, D)
            for mode in ("window", "dense"):
                if mode == "dense" and (len(p.src) + p.n) * D > args.dense_limit:
                    row["torch_dense_ms"] = None
                    continue
                try:
                    ref = TorchLoss(p, D, 0, 5.0, 0.1, args.device, dtype, mode)
                    for comp in (False, True) if args.compile else (False,):
                        sec, compiled = time_iterations(ref, mu, sg, args.iters, comp)
                        key = f"torch_{mode}{'_compiled' if compiled else ''}_ms"
                        row[key] = sec * 1e3
                except torch.OutOfMemoryError:
                    row[f"torch_{mode}_ms"] = "out of memory"
                if args.device == "cuda":
                    torch.cuda.empty_cache()
            row["torch_threads"] = torch.get_num_threads()
            torch_ms = [v for k, v in row.items()
                        if k.startswith("torch_") and k.endswith("_ms") and
                        isinstance(v, (int, float))]
            if torch_ms and f"gaus_{backend}_ms" in row:
                row["speedup_vs_best_torch"] = min(torch_ms) / row[f"gaus_{backend}_ms"]
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"benchmark": "loss_reference", "device": args.device,
                       "device_name": torch.cuda.get_device_name(0)
                       if args.device == "cuda" else "cpu",
                       "threads": args.threads or "default",
                       "torch": torch.__version__, "iters": args.iters, "results": rows}, f,
                      indent=1)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="gaus gradients vs the PyTorch reference")
    ap.add_argument("--gaus", default=os.path.join(REPO, "build", "tools", "gaus"))
    ap.add_argument("--loss-bench", default=os.path.join(REPO, "build", "bench",
                                                          "gaus_loss_bench"))
    ap.add_argument("--data-dir", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--window", type=float, default=10.0)
    ap.add_argument("--tau", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tolerance", type=float, default=1e-6)
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("--graphs", default="sqrt,div")
    ap.add_argument("--synthetic", default="",
                    help="comma list of synthetic graph sizes (ops) to time as well")
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--compile", action="store_true", help="also time torch.compile")
    ap.add_argument("--dense-limit", type=float, default=3e8)
    ap.add_argument("--out", help="timing JSON to write")
    ap.add_argument("--threads", type=int, default=0,
                    help="CPU threads of both (torch.set_num_threads, OMP_NUM_THREADS); 0 = "
                         "their defaults")
    a = ap.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
        os.environ["OMP_NUM_THREADS"] = str(a.threads)
    return timing(a) if a.timing else check(a)

