#!/usr/bin/env python3
"""PNG plots of a benchmark run (matplotlib, Agg backend).

  bench/plots.py RUN_DIR/results.json [--timing loss_timing.json] [--out-dir RUN_DIR]

writes
  anytime_<suite>.png   per instance: best objective found vs time, every method (log time)
  quality_<suite>.png   per instance and method: objective / best legal objective of the run
                        (machsuite: at the smallest II reached; other IIs are left out)
  timing.png            forward + backward time per iteration vs ops (check_grads.py --timing)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suites import SUITES, rank_key  # noqa: E402

COLORS = {"list": "tab:blue", "fds": "tab:orange", "asap": "tab:gray", "gaus-cpu": "tab:red",
          "gaus-cuda": "tab:purple", "cpsat": "tab:green"}
MARKERS = {"list": "o", "fds": "s", "asap": "v", "gaus-cpu": "D", "gaus-cuda": "P",
           "cpsat": "^"}


def by_instance(results: list[dict], suite: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in results:
        if r["suite"] == suite and r["method"] != "*":
            out.setdefault(r["instance"], []).append(r)
    return out


def anytime(results: list[dict], suite: str, path: str, time_limit: float) -> bool:
    insts = by_instance(results, suite)
    insts = {k: v for k, v in insts.items() if any(r["legal"] for r in v)}
    if not insts:
        return False
    cols = min(3, len(insts))
    rows = math.ceil(len(insts) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.4 * rows), squeeze=False)
    for ax, (name, rs) in zip(axes.flat, insts.items()):
        for r in rs:
            if not r["legal"] or not r.get("history"):
                continue
            t = [max(h["time_s"], 1e-4) for h in r["history"]]
            y = [h["objective"] for h in r["history"]]
            m = r["method"]
            # a step curve: the incumbent holds until the next improvement, then to the end
            t_end = max(r.get("time_s") or t[-1], t[-1])
            ax.step(t + [t_end], y + [y[-1]], where="post", color=COLORS.get(m), lw=1.6,
                    label=m)
            ax.plot(t, y, MARKERS.get(m, "o"), color=COLORS.get(m), ms=5)
        ax.set_xscale("log")
        ax.set_title(f"{name} ({rs[0]['ops']} ops)", fontsize=10)
        ax.set_xlabel("time (s)")
        ax.set_ylabel(SUITES[suite].objective)
        ax.axvline(time_limit, color="k", lw=0.6, ls=":")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(insts):]:
        ax.axis("off")
    fig.suptitle(f"{suite}: any-time best objective (lower is better; dotted = time limit)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def quality(results: list[dict], suite: str, path: str, methods: list[str]) -> bool:
    s = SUITES[suite]
    insts = by_instance(results, suite)
    names, ratios = [], {m: [] for m in methods}
    for name, rs in insts.items():
        legal = [r for r in rs if r["legal"] and r["objective"] is not None]
        if not legal:
            continue
        best = min(legal, key=lambda r: rank_key(s, r))
        names.append(name)
        for m in methods:
            r = next((x for x in legal if x["method"] == m), None)
            ok = r is not None and (s.formulation != "C" or r["ii"] == best["ii"])
            if ok and best["objective"] > 0:
                ratios[m].append(r["objective"] / best["objective"])
            elif ok:
                ratios[m].append(1.0 if r["objective"] == 0 else float("nan"))
            else:
                ratios[m].append(float("nan"))
    shown = [m for m in methods if any(not math.isnan(x) for x in ratios[m])]
    if not names or not shown:
        return False
    fig, ax = plt.subplots(figsize=(min(16.0, max(6.0, 3 + 0.55 * len(names))), 4.5))
    width = 0.8 / len(shown)
    for k, m in enumerate(shown):
        xs = [i + (k - (len(shown) - 1) / 2) * width for i in range(len(names))]
        ax.bar(xs, [0 if math.isnan(v) else v for v in ratios[m]], width, label=m,
               color=COLORS.get(m))
    ax.axhline(1.0, color="k", lw=0.8)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=35, ha="right", fontsize=8)
    lo = min(v for m in shown for v in ratios[m] if not math.isnan(v))
    ax.set_ylim(max(0.0, min(0.95, lo - 0.05)), None)
    ax.set_ylabel(f"{s.objective} / best of run")
    ax.set_title(f"{suite}: quality relative to the best legal result (1 = best; "
                 f"missing bar = illegal or not run)", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def timing_plot(doc: dict, path: str) -> bool:
    rows = sorted(doc.get("results", []), key=lambda r: r["ops"])
    series = [k for k in ("gaus_cpu_ms", "torch_window_ms", "torch_window_compiled_ms",
                          "torch_dense_ms", "torch_dense_compiled_ms")
              if any(r.get(k) for r in rows)]
    if not rows or not series:
        return False
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for k in series:
        pts = [(r["ops"], r[k]) for r in rows if r.get(k)]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=k.replace("_ms", ""))
        for (x, y), r in zip(pts, [r for r in rows if r.get(k)]):
            ax.annotate(r["graph"], (x, y), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("ops")
    ax.set_ylabel("ms per iteration (forward + backward)")
    ax.set_title(f"loss time per iteration, device {doc.get('device', '?')}, "
                 f"threads {doc.get('threads', '?')}", fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="plots of a gaus benchmark run")
    ap.add_argument("results")
    ap.add_argument("--timing", help="JSON written by reference/check_grads.py --timing")
    ap.add_argument("--out-dir")
    a = ap.parse_args(argv)
    doc = json.load(open(a.results))
    out = a.out_dir or os.path.dirname(os.path.abspath(a.results))
    os.makedirs(out, exist_ok=True)
    meta, results = doc["meta"], doc["results"]
    written = []
    for suite in meta["suites"]:
        p = os.path.join(out, f"anytime_{suite}.png")
        if anytime(results, suite, p, meta["time_limit_s"]):
            written.append(p)
        p = os.path.join(out, f"quality_{suite}.png")
        if quality(results, suite, p, meta["methods"]):
            written.append(p)
    if a.timing:
        p = os.path.join(out, "timing.png")
        if timing_plot(json.load(open(a.timing)), p):
            written.append(p)
    for p in written:
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
