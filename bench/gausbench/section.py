"""The benchmark results section (Markdown) of one run, or of several merged: the run's
metadata, the project's targets (targets.py), the legend, per suite a summary (geometric mean of
gaus / list, wins/ties/losses against every baseline, proven optima) and a table instance x
method, then links to the plots already in the run folder. Written out by report.py.
"""
from __future__ import annotations

import math
import os

from .runs import merged_meta
from .suites import SUITES, rank_key
from .targets import targets_section

COLLAPSE_ROWS = 30
OBJECTIVE_NAMES = {"rcs": "latency", "A": "A score", "B": "peak memory",
                   "C": "modulo memory at equal II"}  # longer tables go into a <details> block


def fmt_num(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:.4g}"


def is_timeout(r: dict) -> bool:
    return r["status"] == "error" and "timed out" in (r.get("note") or "")


def gaus_methods(methods: list[str]) -> list[str]:
    return [m for m in methods if m.startswith("gaus-")]


def optimum(rows: list[dict]) -> float | None:
    """The objective a method proved optimal for the instance (CP-SAT, ILP), if any."""
    for r in rows:
        if r.get("optimal") and r["legal"] and r["objective"] is not None:
            return r["objective"]
    return None


def cell(suite, r: dict | None, best: tuple, opt: float | None) -> str:
    if r is None:
        return "—"
    if r["status"] == "skipped":
        return "too big" if "--max-ops" in (r.get("note") or "") else "n/a"
    if is_timeout(r):
        return "timeout"
    if r["objective"] is None:
        return {"illegal": "illegal", "infeasible": "infeasible",
                "error": "error"}.get(r["status"], "none")
    txt = fmt_num(r["objective"])
    if suite.formulation == "C" and r.get("ii"):
        txt = f"II {r['ii']}{'†' if r.get('ii_proven_minimal') else ''}: {txt}"
    if not r["legal"]:
        return f"illegal ({txt})"
    proven = opt is not None and suite.formulation != "C" and r["objective"] == opt
    if rank_key(suite, r) == best:
        txt = f"**{txt}**"
    return txt + ("\\*" if proven else "")


def by_instance(rows: list[dict]) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for r in rows:
        out.setdefault(r["instance"], {})[r["method"]] = r
    return out


def suite_table(suite, methods: list[str], insts: dict[str, dict[str, dict]]) -> list[str]:
    lines = ["| instance | ops | " + " | ".join(methods) + " |",
             "|---|---:|" + "---:|" * len(methods)]
    for name, rr in insts.items():
        if "*" in rr:  # the harness could not read the instance at all
            note = (rr["*"].get("note") or "error")[:80].replace("|", "/")
            lines.append(f"| {name} | — | " + " | ".join(["—"] * len(methods))
                         + f" |<!-- {note} -->")
            continue
        real = [r for r in rr.values()]
        best = min(rank_key(suite, r) for r in real)
        opt = optimum(real)
        ops = next((r["ops"] for r in real if r.get("ops") is not None), None)
        cells = [cell(suite, rr.get(m), best, opt) for m in methods]
        lines.append(f"| {name} | {fmt_num(ops) if ops is not None else '—'} | "
                     + " | ".join(cells) + " |")
    return lines


def compare(suite, a: dict | None, b: dict | None) -> int | None:
    """-1 when a is better than b, 0 tie, 1 worse; None when there is nothing to compare."""
    if a is None or b is None or "skipped" in (a["status"], b["status"]):
        return None
    ka, kb = rank_key(suite, a), rank_key(suite, b)
    if ka[0] and kb[0]:  # neither has a legal result
        return None
    return (ka > kb) - (ka < kb)


def geomean_ratio(suite, insts, g: str, base: str) -> tuple[float | None, int]:
    """Geometric mean of objective(g) / objective(base) where both are legal and positive
    (for C only where both reached the same II)."""
    logs = []
    for rr in insts.values():
        a, b = rr.get(g), rr.get(base)
        if not a or not b or not a["legal"] or not b["legal"]:
            continue
        if a["objective"] is None or b["objective"] is None:
            continue
        if suite.formulation == "C" and a.get("ii") != b.get("ii"):
            continue
        if a["objective"] > 0 and b["objective"] > 0:
            logs.append(math.log(a["objective"] / b["objective"]))
    if not logs:
        return None, 0
    return math.exp(sum(logs) / len(logs)), len(logs)


def suite_summary(suite, methods: list[str], insts) -> list[str]:
    out = []
    real = {k: v for k, v in insts.items() if "*" not in v}
    for g in gaus_methods(methods):
        parts = []
        if "list" in methods and g != "list":
            ratio, n = geomean_ratio(suite, real, g, "list")
            if ratio is not None:
                what = OBJECTIVE_NAMES.get(suite.formulation, suite.objective)
                parts.append(f"geometric mean of {g} / list {ratio:.3f} ({what}, "
                             f"{n} instance{'' if n == 1 else 's'})")
        wtl = []
        for base in methods:
            if base == g:
                continue
            c = [compare(suite, rr.get(g), rr.get(base)) for rr in real.values()]
            c = [x for x in c if x is not None]
            if c:
                wtl.append(f"{base} {c.count(-1)}/{c.count(0)}/{c.count(1)}")
        if wtl:
            parts.append(f"{g} wins/ties/losses against " + ", ".join(wtl))
        best = sum(1 for rr in real.values() if g in rr and rr[g]["legal"]
                   and rank_key(suite, rr[g]) == min(rank_key(suite, r) for r in rr.values()))
        parts.append(f"{g} best or tied best on {best} of {len(real)}")
        opts = [(rr, optimum(list(rr.values()))) for rr in real.values()]
        opts = [(rr, o) for rr, o in opts if o is not None]
        if opts and suite.formulation != "C":
            hit = sum(1 for rr, o in opts if g in rr and rr[g]["legal"]
                      and rr[g]["objective"] == o)
            parts.append(f"{len(opts)} proven optimal, {g} reaches {hit} of them")
        if suite.formulation == "C":
            mine = [rr[g] for rr in real.values() if g in rr and rr[g]["legal"]]
            proven = sum(1 for r in mine if r.get("ii_proven_minimal"))
            if any(r.get("ii_lower_bound") is not None for r in mine):
                parts.append(f"{g}'s II proven minimal on {proven} of {len(mine)}")
        out.append("; ".join(parts) + ".")
    if not out:
        out.append(f"{len(real)} instances (no gaus method in this run).")
    return out


def run_meta(meta: dict, results: list[dict]) -> list[str]:
    n_inst = len({(r["suite"], r["instance"]) for r in results})
    counts = []
    for sname in meta["suites"]:
        ran = len({r["instance"] for r in results if r["suite"] == sname})
        data = meta.get("data_dir")
        every = len(SUITES[sname].instances(data)) if data and os.path.isdir(data) else None
        counts.append(f"{sname} {ran}" + (f" of {every}" if every is not None else ""))
    spent = sum(r.get("time_s") or 0.0 for r in results)
    extra = f", gaus options `{meta['gaus_args']}`" if meta.get("gaus_args") else ""
    for m, n in (meta.get("max_ops") or {}).items():
        extra += f", {m} only on graphs up to {fmt_num(n)} ops"
    subset = "the `--quick` subset of each suite" if meta.get("quick") else "instances"
    return [f"Run `{meta['run_id']}`, {meta.get('date_utc', '?')[:16].replace('T', ' ')} UTC, "
            f"commit `{meta.get('commit', '?')[:12]}`"
            + (" (with uncommitted changes)" if "dirty" in meta.get("commit", "") else "")
            + f", CPU {meta.get('cpu', '?')}, CUDA devices: "
            f"{', '.join(meta.get('cuda_devices') or []) or 'none'}.",
            f"Time limit {fmt_num(meta['time_limit_s'])} s per method and instance, CP-SAT "
            f"with {meta.get('cpsat_workers', '?')} workers{extra}; {subset}: "
            f"{', '.join(counts)} ({n_inst} in all); methods {', '.join(meta['methods'])}; "
            f"the methods' processes took "
            f"{spent / 60:.1f} min in all."]


LEGEND = ("Lower is better. **Bold**: best legal result of the row. `\\*`: equal to an optimum "
          "some method proved (CP-SAT, the ILP, or gaus's own lower bound). `II n†`: the method "
          "proved the II minimal (gaus: max(ResMII, RecMII), its conflict bound, or every smaller "
          "II refuted by `--prove`; CP-SAT: every smaller II from max(ResMII, RecMII) refuted). "
          "`illegal (x)`: the "
          "verifier rejected the schedule. `timeout`: the process ran past the harness's limit (3 x the time limit + "
          "120 s). `too big`: over the run's size cap for the method (`--max-ops`). `n/a`: the "
          "method does not apply (no modulo schedules from fds / asap / alap, no ILP model for "
          "C). `none`: no schedule. `error`: the method failed (its `note` in "
          "results.json says why). Wins/ties/losses count instances where at least one of the "
          "two has a legal result; a legal result beats none.")


def plot_links(results_dir: str, link_dir: str, suites: list[str]) -> list[str]:
    def link(p: str) -> str:
        return os.path.relpath(p, link_dir).replace(os.sep, "/")

    lines = []
    for s in suites:
        imgs = [(kind, os.path.join(results_dir, f"{kind}_{s}.png"))
                for kind in ("quality", "anytime")]
        imgs = [(k, p) for k, p in imgs if os.path.exists(p)]
        if imgs:
            lines.append(f"- {s}: " + ", ".join(
                f"[{'quality relative to the best' if k == 'quality' else 'any-time curves'}]"
                f"({link(p)})" for k, p in imgs))
    for name, what in (("profile.png", "quality profile of every suite"),
                       ("timing.png", "loss time per iteration against graph size")):
        p = os.path.join(results_dir, name)
        if os.path.exists(p):
            lines.append(f"- [{what}]({link(p)})")
    shown = [p for p in (os.path.join(results_dir, "profile.png"),
                         os.path.join(results_dir, "timing.png")) if os.path.exists(p)]
    if shown:
        lines.append("")
        lines += [f"![{os.path.basename(p)[:-4]}]({link(p)})" for p in shown]
    return lines


def cpsat_models(results: list[dict]) -> list[str]:
    """One line naming the CP-SAT model behind each suite's cpsat column (a result without a
    "model" field predates the choice: the cumulative model was the only one)."""
    per: dict[str, set[str]] = {}
    for r in results:
        if r["method"] == "cpsat" and r.get("status") != "skipped":
            per.setdefault(r["suite"], set()).add(
                r.get("model") or f"cpsat-cumulative-{r.get('formulation', '?')}")
    if not per:
        return []
    return ["CP-SAT models (bench/gausbench/baselines/cpsat.py): " + ", ".join(
        f"{s} {' and '.join(sorted(ms))}" for s, ms in sorted(per.items())) + "."]


def section(doc: dict, results_dir: str, link_dir: str, extra: dict | None = None) -> str:
    meta, results = doc["meta"], doc["results"]
    extra = extra or {}
    lines = run_meta(meta, results) + merged_meta(doc) + cpsat_models(results) + [""]
    lines += targets_section(results, extra.get("cpsat_long"), extra.get("gpu_loss"),
                             extra.get("cpu_loss"), link_dir)
    lines += [LEGEND, ""]
    for sname in meta["suites"]:
        suite = SUITES[sname]
        rows = [r for r in results if r["suite"] == sname]
        if not rows:
            continue
        insts = by_instance(rows)
        # a method that does not apply to any instance of the suite gets no column
        methods = [m for m in meta["methods"]
                   if any(r["method"] == m and (r["status"] != "skipped"
                                                or "--max-ops" in (r.get("note") or ""))
                          for r in rows)]
        lines += [f"### {sname}: {suite.description}", ""]
        lines += suite_summary(suite, methods, insts) + [""]
        table = suite_table(suite, methods, insts)
        if len(insts) > COLLAPSE_ROWS:
            lines += [f"<details><summary>{len(insts)} instances</summary>", ""] + table \
                + ["", "</details>"]
        else:
            lines += table
        lines.append("")
    links = plot_links(results_dir, link_dir, meta["suites"])
    if links:
        lines += ["Plots:", ""] + links + [""]
    return "\n".join(lines).rstrip() + "\n"
