"""Run folders for bench/report.py: loading a results.json and merging several runs' columns.

A method run on its own (e.g. `bench/run.py --methods alap` into a second folder) joins the
tables of a main run as an extra column (merge); a suite re-run with some methods takes the place
of those methods' results on that suite (replace). The runs used are named in the section's
metadata.
"""
from __future__ import annotations

import json
import os
import sys

METHOD_ORDER = ["list", "fds", "asap", "alap", "gaus-cpu", "gaus-cuda", "cpsat", "ilp"]


def load_run(results_dir: str) -> dict:
    """RESULTS_DIR/results.json, each result tagged with its folder ("run_dir")."""
    path = os.path.join(results_dir, "results.json")
    try:
        with open(path) as f:
            doc = json.load(f)
        doc["meta"]["suites"], doc["meta"]["methods"], doc["meta"]["run_id"]  # noqa: B018
        for r in doc["results"]:
            r["run_dir"] = os.path.abspath(results_dir)
            mark_self_proved(r)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ValueError(f"{path}: not a bench/run.py results file ({e})") from e
    return doc


def mark_self_proved(r: dict) -> None:
    """A gaus result whose legal objective meets the lower bound it proved (its `bound`: the
    critical path or busy cycles for rcs, the counting and minimum-cut bounds for A and B) is
    optimal, as a CP-SAT or ILP proof is. C is left out: its bound holds at the II used, and a
    smaller II may exist."""
    if (r.get("method", "").startswith("gaus-") and r.get("legal")
            and r.get("objective") is not None and r.get("bound") is not None
            and r.get("suite") != "machsuite"
            and r["objective"] <= r["bound"] + 1e-9 * max(1.0, abs(r["bound"]))):
        r["optimal"] = True


def merge(doc: dict, other: dict) -> None:
    """Adds other's methods that doc lacks as columns (doc's own results win)."""
    new = [m for m in other["meta"]["methods"] if m not in doc["meta"]["methods"]]
    if not new:
        print(f"report: run {other['meta']['run_id']} adds no method", file=sys.stderr)
        return
    doc["results"] += [r for r in other["results"] if r["method"] in new]
    order = {m: k for k, m in enumerate(METHOD_ORDER)}
    doc["meta"]["methods"] = sorted(doc["meta"]["methods"] + new,
                                    key=lambda m: order.get(m, len(order)))
    doc["meta"]["suites"] += [s for s in other["meta"]["suites"]
                              if s not in doc["meta"]["suites"]]
    doc.setdefault("merged", []).append(
        {k: other["meta"].get(k) for k in ("run_id", "date_utc", "commit", "cpu")}
        | {"methods": new})


def replace(doc: dict, other: dict) -> None:
    """other's results take the place of doc's for every (suite, method) other ran, e.g. a
    suite re-run with a new baseline; the rest of doc stays."""
    pairs = {(r["suite"], r["method"]) for r in other["results"]}
    if not pairs:
        print(f"report: run {other['meta']['run_id']} replaces nothing", file=sys.stderr)
        return
    doc["results"] = [r for r in doc["results"] if (r["suite"], r["method"]) not in pairs]
    doc["results"] += other["results"]
    order = {m: k for k, m in enumerate(METHOD_ORDER)}
    doc["meta"]["methods"] = sorted(set(doc["meta"]["methods"]) | {m for _, m in pairs},
                                    key=lambda m: order.get(m, len(order)))
    doc["meta"]["suites"] += sorted({s for s, _ in pairs} - set(doc["meta"]["suites"]))
    doc.setdefault("merged", []).append(
        {k: other["meta"].get(k) for k in ("run_id", "date_utc", "commit", "cpu")}
        | {"methods": sorted({m for _, m in pairs}, key=lambda m: order.get(m, len(order))),
           "suites": sorted({s for s, _ in pairs}),
           "time_limit_s": other["meta"].get("time_limit_s"),
           "cpsat_workers": other["meta"].get("cpsat_workers")})


def merged_meta(doc: dict) -> list[str]:
    """One line per merged run: its columns, date, commit and CPU."""
    out = []
    for m in doc.get("merged") or []:
        where = f" of suite{'s' if len(m['suites']) > 1 else ''} {', '.join(m['suites'])}" \
            if m.get("suites") else ""
        limits = f" ({m['time_limit_s']:g} s, CP-SAT with {m.get('cpsat_workers', '?')} " \
            "workers)" if m.get("suites") and m.get("time_limit_s") is not None else ""
        out.append(f"Column{'s' if len(m['methods']) > 1 else ''} {', '.join(m['methods'])}"
                   f"{where} from run `{m['run_id']}`{limits}, "
                   f"{m.get('date_utc', '?')[:16].replace('T', ' ')} "
                   f"UTC, commit `{m.get('commit', '?')[:12]}`"
                   + (" (with uncommitted changes)" if "dirty" in (m.get("commit") or "") else "")
                   + f", CPU {m.get('cpu', '?')}.")
    return out
