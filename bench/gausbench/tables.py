"""A bench/run.py run's flat outputs: results.csv and results.md (results.json is the full record).

results.md is the quick look at one run (a table per suite, instance x method); the README's
section, with summaries, targets and plots, is bench/report.py's.
"""
from __future__ import annotations

import csv

from .suites import SUITES, rank_key

CSV_COLUMNS = ["suite", "instance", "method", "formulation", "ops", "edges", "status", "legal",
               "objective", "ii", "horizon", "latency", "time_s", "cpu_s", "time_to_best_s",
               "bound", "optimal", "ii_lower_bound", "ii_proven_minimal", "res_mii", "rec_mii",
               "ii_conflict_bound", "device", "commit", "note"]


def write_csv(path: str, results: list[dict]) -> None:
    """CSV_COLUMNS of every result, and "worker" where a Dask run recorded one; the nested fields
    (history, objectives, solver) are left out."""
    cols = CSV_COLUMNS + (["worker"] if any("worker" in r for r in results) else [])
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in results:
            w.writerow(r)


def fmt(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:.6g}"
    return str(x)


def write_markdown(path: str, meta: dict, results: list[dict]) -> None:
    lines = [f"# gaus benchmark run {meta['run_id']}", "",
             f"commit `{meta['commit']}`, CPU {meta['cpu']}, CUDA devices: "
             f"{', '.join(meta['cuda_devices']) or 'none'}; time limit {meta['time_limit_s']} s "
             f"per method and instance; CP-SAT workers {meta['cpsat_workers']}.", "",
             "Lower is better; **bold** = best legal result of the row; `(illegal)` = the "
             "verifier rejected it; `*` = a method proved it optimal (CP-SAT, the ILP, or gaus's own lower bound); "
             "`II n†` = the method proved the II minimal; — = not run / no result; C's `II bound` = "
             "max(ResMII, RecMII), raised by unit conflicts on recurrences (`gaus info`).", ""]
    for sname in meta["suites"]:
        suite = SUITES[sname]
        rows = [r for r in results if r["suite"] == sname]
        if not rows:
            continue
        methods = [m for m in meta["methods"] if any(r["method"] == m for r in rows)]
        is_c = suite.formulation == "C"  # C: the II bound beside the ops
        lines += [f"## {sname}: {suite.description}", "",
                  "| instance | ops | " + ("II bound | " if is_c else "") + " | ".join(methods)
                  + " |",
                  "|---|---:|" + ("---:|" if is_c else "") + "---:|" * len(methods)]
        for inst in dict.fromkeys(r["instance"] for r in rows):
            rr = {r["method"]: r for r in rows if r["instance"] == inst}
            best = min((rank_key(suite, r) for r in rr.values()), default=None)
            cells = []
            for m in methods:
                r = rr.get(m)
                if r is None or r["objective"] is None:
                    cells.append("—" if r is None or r["status"] != "illegal"
                                 else "(illegal)")
                    continue
                txt = fmt(r["objective"])
                if suite.formulation == "C":
                    txt = f"II {r['ii']}{'†' if r.get('ii_proven_minimal') else ''}: {txt}"
                if r.get("optimal"):
                    txt += "*"
                if not r["legal"]:
                    txt += " (illegal)"
                elif rank_key(suite, r) == best:
                    txt = f"**{txt}**"
                cells.append(txt)
            first = next(iter(rr.values()))
            mii = ""
            if is_c:
                b = [x for x in (first.get("res_mii"), first.get("rec_mii"),
                                 first.get("ii_conflict_bound")) if x is not None]
                mii = f"{max(b)} | " if b else "— | "
            lines.append(f"| {inst} | {first['ops']} | {mii}" + " | ".join(cells) + " |")
        lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))
