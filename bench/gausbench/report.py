"""The benchmark results section of committed runs, written to a file or into a document.

  bench/report.py RESULTS_DIR [--merge DIR ...] [--replace DIR ...] [--cpsat-long DIR] [--gpu-loss DIR]
                  [--cpu-loss DIR] [--readme README.md] [--out SECTION.md] [--no-plots]
                  [--timing LOSS.json ...]

Reads RESULTS_DIR/results.json (bench/run.py; --merge adds the method columns of other runs'
results.json, e.g. alap run on its own; --replace puts another run's results in place of the
main run's for the suites and methods it ran, e.g. one suite re-run with a new baseline), opens with the project's targets (targets.py:
--cpsat-long, --gpu-loss and --cpu-loss name the folders of the long CP-SAT run and of the GPU
and CPU loss timings; a target without its results reads "not measured"), draws the plots into
RESULTS_DIR with plots.py (unless --no-plots, or when matplotlib is missing: then the PNGs
already there are linked), and writes the section (section.py): the run's metadata, the
targets, per suite a summary line (geometric mean of gaus / list, wins/ties/losses of gaus
against every baseline, proven optima) and a table instance x method, then links to the plots.
With --readme PATH the section replaces whatever lies between the lines `<!-- bench:begin -->`
and `<!-- bench:end -->` of that file, whichever file it is (both lines must be there, once
each); --out writes it to a file; without either it goes to stdout. Links are relative to the
folder of the file written (stdout: the current folder).
"""
from __future__ import annotations

import argparse
import contextlib
import glob
import os
import sys

from .runs import load_run, merge, replace
from .section import section

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def splice(text: str, body: str, where: str) -> str:
    """text with everything between the markers replaced by body."""
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise ValueError(f"{where}: needs exactly one '{BEGIN}' and one '{END}' line")
    head, rest = text.split(BEGIN, 1)
    old, tail = rest.split(END, 1)
    if END in head or BEGIN in old:
        raise ValueError(f"{where}: '{END}' comes before '{BEGIN}'")
    return f"{head}{BEGIN}\n{body}{END}{tail}"


def draw_plots(results_dir: str, timing: list[str]) -> None:
    try:
        from . import plots  # noqa: PLC0415 (matplotlib is optional for the text)
    except ImportError as e:
        print(f"report: no plots drawn ({e}); linking the PNGs already there", file=sys.stderr)
        return
    argv = [os.path.join(results_dir, "results.json"), "--out-dir", results_dir]
    for t in timing:
        argv += ["--timing", t]
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the section
        plots.main(argv)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="README benchmark section from a results folder")
    ap.add_argument("results_dir")
    ap.add_argument("--merge", action="append", default=[], metavar="DIR",
                    help="another run folder whose methods join the tables, repeatable")
    ap.add_argument("--replace", action="append", default=[], metavar="DIR",
                    help="another run folder whose results replace the main run's for the "
                         "suites and methods it ran, repeatable")
    ap.add_argument("--cpsat-long", metavar="DIR",
                    help="run folder of CP-SAT at a long limit against gaus-cpu at a short one")
    ap.add_argument("--gpu-loss", metavar="DIR",
                    help="folder of the GPU loss timings (gaus_loss_bench, PyTorch reference)")
    ap.add_argument("--cpu-loss", metavar="DIR",
                    help="folder of the CPU loss timings against the PyTorch CPU reference")
    ap.add_argument("--readme", help="file whose bench:begin/bench:end block is replaced")
    ap.add_argument("--out", help="also write the section to this file (links relative to it)")
    ap.add_argument("--no-plots", action="store_true", help="do not (re)draw the PNGs")
    ap.add_argument("--timing", action="append", default=[],
                    help="loss timing JSON for timing.png, repeatable (default: the folder's "
                         "loss*.json files)")
    a = ap.parse_args(argv)
    extra: dict = {}
    try:
        doc = load_run(a.results_dir)
        for d in a.merge:
            merge(doc, load_run(d))
        for d in a.replace:
            replace(doc, load_run(d))
        if a.cpsat_long:
            extra["cpsat_long"] = (os.path.abspath(a.cpsat_long), load_run(a.cpsat_long))
    except ValueError as e:
        print(f"report: {e}", file=sys.stderr)
        return 2
    for key in ("gpu_loss", "cpu_loss"):
        folder = getattr(a, key)
        if folder and not os.path.isdir(folder):
            print(f"report: --{key.replace('_', '-')} {folder}: no such folder", file=sys.stderr)
            return 2
        extra[key] = os.path.abspath(folder) if folder else None
    if not a.no_plots:
        timing = a.timing or sorted(glob.glob(os.path.join(a.results_dir, "loss*.json")))
        draw_plots(a.results_dir, timing)
    if a.out:
        body = section(doc, os.path.abspath(a.results_dir),
                       os.path.dirname(os.path.abspath(a.out)), extra)
        with open(a.out, "w") as f:
            f.write(body)
    link_dir = os.path.dirname(os.path.abspath(a.readme)) if a.readme else os.getcwd()
    body = section(doc, os.path.abspath(a.results_dir), link_dir, extra)
    if not a.readme:
        if not a.out:
            sys.stdout.write(body)
        return 0
    try:
        with open(a.readme) as f:
            text = f.read()
        new = splice(text, body, a.readme)
    except (OSError, ValueError) as e:
        print(f"report: {e}", file=sys.stderr)
        return 2
    with open(a.readme, "w") as f:
        f.write(new)
    print(f"report: wrote the results section of {a.readme}", file=sys.stderr)
    return 0

