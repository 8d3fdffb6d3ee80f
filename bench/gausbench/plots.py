"""PNG plots of a benchmark run (matplotlib, Agg backend).

  bench/plots.py RUN_DIR/results.json [--timing loss.json ...] [--out-dir RUN_DIR]

writes
  anytime_<suite>.png   per instance: best objective found vs time, every method (log time)
  quality_<suite>.png   per instance and method: objective / best legal objective of the run
                        (machsuite: at the smallest II reached; other IIs are left out)
  profile.png           per suite: share of instances on which each method is within a factor
                        tau of the best legal result (a performance profile; all suites at once)
  timing.png            forward + backward time per iteration vs ops, from one or more JSON
                        files of bench/check_grads.py --timing and/or bench/gaus_loss_bench
"""
from __future__ import annotations

import argparse
import json
import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

from .suites import SUITES, rank_key  # noqa: E402

COLORS = {"list": "tab:blue", "fds": "tab:orange", "asap": "tab:gray", "alap": "tab:olive",
          "gaus-cpu": "tab:red", "gaus-cuda": "tab:purple", "cpsat": "tab:green",
          "ilp": "tab:brown"}
MARKERS = {"list": "o", "fds": "s", "asap": "v", "alap": "<", "gaus-cpu": "D", "gaus-cuda": "P",
           "cpsat": "^", "ilp": "X"}
BIG = 24  # suites with more instances get smaller any-time panels


def by_instance(results: list[dict], suite: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in results:
        if r["suite"] == suite and r["method"] != "*":
            out.setdefault(r["instance"], []).append(r)
    return out


def anytime(results: list[dict], suite: str, path: str, time_limits: list[float]) -> bool:
    insts = by_instance(results, suite)
    insts = {k: v for k, v in insts.items() if any(r["legal"] for r in v)}
    if not insts:
        return False
    big = len(insts) > BIG
    cols = min(5 if big else 3, len(insts))
    rows = math.ceil(len(insts) / cols)
    w, h = (3.6, 2.5) if big else (5, 3.4)
    fig, axes = plt.subplots(rows, cols, figsize=(w * cols, h * rows), squeeze=False)
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
            # a marker per improvement (a few dozen at most, else only the last one)
            keep = slice(None) if len(t) <= 30 else slice(-1, None)
            ax.plot(t[keep], y[keep], MARKERS.get(m, "o"), color=COLORS.get(m),
                    ms=4 if big else 5)
        ax.set_xscale("log")
        ax.set_title(f"{name} ({rs[0]['ops']} ops)", fontsize=8 if big else 10)
        ax.set_xlabel("time (s)", fontsize=8 if big else 10)
        if not big:
            ax.set_ylabel(SUITES[suite].objective)
        ax.tick_params(labelsize=7 if big else 9)
        for lim in time_limits:  # one per distinct limit (--method-time-limit)
            ax.axvline(lim, color="k", lw=0.6, ls=":")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6 if big else 7)
    for ax in list(axes.flat)[len(insts):]:
        ax.axis("off")
    fig.suptitle(f"{suite}: any-time best objective (lower is better; dotted = time limit)")
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.3 / (h * rows)))  # room for the suptitle
    fig.savefig(path, dpi=72 if big else 85)
    plt.close(fig)
    return True


def ratios(results: list[dict], suite: str, methods: list[str]):
    """(instance names, {method: objective / best legal objective of the instance}); NaN where
    the method has no legal result (for C: none at the best II)."""
    s = SUITES[suite]
    names, out = [], {m: [] for m in methods}
    for name, rs in by_instance(results, suite).items():
        legal = [r for r in rs if r["legal"] and r["objective"] is not None]
        if not legal:
            continue
        best = min(legal, key=lambda r: rank_key(s, r))
        names.append(name)
        for m in methods:
            r = next((x for x in legal if x["method"] == m), None)
            ok = r is not None and (s.formulation != "C" or r["ii"] == best["ii"])
            if ok and best["objective"] > 0:
                out[m].append(r["objective"] / best["objective"])
            elif ok:
                out[m].append(1.0 if r["objective"] == 0 else float("nan"))
            else:
                out[m].append(float("nan"))
    return names, out


def quality(results: list[dict], suite: str, path: str, methods: list[str]) -> bool:
    s = SUITES[suite]
    names, rat = ratios(results, suite, methods)
    shown = [m for m in methods if any(not math.isnan(x) for x in rat[m])]
    if not names or not shown:
        return False
    fig, ax = plt.subplots(figsize=(min(24.0, max(6.0, 3 + 0.25 * len(shown) * len(names))),
                                    4.5))
    width = 0.8 / len(shown)
    for k, m in enumerate(shown):
        xs = [i + (k - (len(shown) - 1) / 2) * width for i in range(len(names))]
        ax.bar(xs, [0 if math.isnan(v) else v for v in rat[m]], width, label=m,
               color=COLORS.get(m))
    ax.axhline(1.0, color="k", lw=0.8)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=35 if len(names) <= BIG else 90, ha="right",
                       fontsize=8 if len(names) <= BIG else 6)
    finite = [v for m in shown for v in rat[m] if not math.isnan(v)]
    if max(finite) > 4:  # list and asap can be 10x off on A: a log scale keeps gaus visible
        ax.set_yscale("log")
        ax.set_ylim(0.8, None)
    else:
        ax.set_ylim(max(0.0, min(0.95, min(finite) - 0.05)), None)
    ax.set_ylabel(f"{s.objective} / best of run")
    ax.set_title(f"{suite}: objective relative to the best legal result of the run\n"
                 f"(1 = best; lower is better; no bar = illegal, none or not run)", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def profile(results: list[dict], suites: list[str], path: str, methods: list[str]) -> bool:
    """Dolan-More performance profiles: for each method, the share of a suite's instances on
    which its legal result is within a factor tau of the best one."""
    data = []
    for suite in suites:
        names, rat = ratios(results, suite, methods)
        shown = [m for m in methods if any(not math.isnan(x) for x in rat[m])]
        if names and shown:
            data.append((suite, names, rat, shown))
    if not data:
        return False
    fig, axes = plt.subplots(1, len(data), figsize=(4.2 * len(data), 3.6), squeeze=False)
    for ax, (suite, names, rat, shown) in zip(axes.flat, data):
        top = max(v for m in shown for v in rat[m] if not math.isnan(v))
        top = max(top * 1.05, 1.1)
        for m in shown:
            xs = sorted(v for v in rat[m] if not math.isnan(v))
            ys = [(k + 1) / len(names) for k in range(len(xs))]
            ax.step([1.0] + xs + [top], [0.0] + ys + [ys[-1] if ys else 0.0], where="post",
                    color=COLORS.get(m), lw=1.6, label=m)
        if top > 4:
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        ax.set_xlim(1.0, top)
        ax.set_ylim(0, 1.02)
        ax.set_title(f"{suite} ({len(names)} instances)", fontsize=10)
        ax.set_xlabel("tau (objective / best of run)")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=7, loc="lower right")
    axes.flat[0].set_ylabel("share of instances within tau")
    fig.suptitle("performance profiles (higher and further left is better)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def timing_series(doc: dict) -> dict[str, list[tuple[int, float, str]]]:
    """{series: [(ops, ms per iteration, graph)]} of one timing JSON: check_grads.py --timing
    ("loss_reference": gaus CPU and torch columns) or gaus_loss_bench ("loss": one row per
    graph and backend)."""
    out: dict[str, list[tuple[int, float, str]]] = {}
    for r in doc.get("results", []):
        if "ms_per_iteration" in r:
            key = f"gaus {r.get('backend', '?')} (loss bench)"
            out.setdefault(key, []).append((r["ops"], r["ms_per_iteration"], r["graph"]))
            continue
        for k in ("gaus_cpu_ms", "torch_window_ms", "torch_window_compiled_ms",
                  "torch_dense_ms", "torch_dense_compiled_ms"):
            if r.get(k):
                out.setdefault(k.replace("_ms", ""), []).append((r["ops"], r[k], r["graph"]))
    return out


def timing_plot(docs: list[dict], path: str) -> bool:
    series: dict[str, list[tuple[int, float, str]]] = {}
    where = []
    for doc in docs:
        for k, pts in timing_series(doc).items():
            series.setdefault(k, []).extend(pts)
        if doc.get("benchmark") == "loss":
            dev = doc.get("device", "none")
            where.append(f"loss bench {doc.get('cpu_threads', '?')} CPU threads"
                         + (f", CUDA {dev}" if dev != "none" else ""))
        else:
            where.append(f"check_grads {doc.get('device', '?')}, {doc.get('threads', '?')} "
                         f"threads")
    if not series:
        return False
    fig, ax = plt.subplots(figsize=(7.0, 4.5))
    for k, pts in series.items():
        pts.sort()
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=k)
        for x, y, g in pts:
            ax.annotate(g.replace("synthetic_", "syn "), (x, y), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("ops")
    ax.set_ylabel("ms per iteration (forward + backward)")
    ax.set_title("loss forward + backward per iteration (" + "; ".join(dict.fromkeys(where))
                 + ")", fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="plots of a gaus benchmark run")
    ap.add_argument("results")
    ap.add_argument("--timing", action="append", default=[],
                    help="timing JSON of bench/check_grads.py --timing or "
                         "bench/gaus_loss_bench (repeatable)")
    ap.add_argument("--out-dir")
    a = ap.parse_args(argv)
    with open(a.results) as f:
        doc = json.load(f)
    out = a.out_dir or os.path.dirname(os.path.abspath(a.results))
    os.makedirs(out, exist_ok=True)
    meta, results = doc["meta"], doc["results"]
    written = []
    limits = sorted({float(meta["time_limit_s"]),
                     *map(float, (meta.get("method_time_limit_s") or {}).values())})
    for suite in meta["suites"]:
        p = os.path.join(out, f"anytime_{suite}.png")
        if anytime(results, suite, p, limits):
            written.append(p)
        p = os.path.join(out, f"quality_{suite}.png")
        if quality(results, suite, p, meta["methods"]):
            written.append(p)
    p = os.path.join(out, "profile.png")
    if profile(results, meta["suites"], p, meta["methods"]):
        written.append(p)
    if a.timing:
        p = os.path.join(out, "timing.png")
        docs = []
        for t in a.timing:
            with open(t) as f:
                docs.append(json.load(f))
        if timing_plot(docs, p):
            written.append(p)
    for p in written:
        print(f"wrote {p}")
    return 0

