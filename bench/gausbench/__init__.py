"""gausbench: the gaus benchmark harness.

Run through the scripts beside this folder (bench/run.py, report.py, plots.py, cpsat.py,
check_grads.py, torch_loss.py), each a call of one module's main(); bench/README.md has the
commands. Modules:

  run                 the driver: command line, plan, machine facts, results.json
  suites              the suites: graphs, formulation, objective, result order
  methods             one runner per kind of method, each filling a result record
  tables              a run's results.csv and results.md
  runs                run folders: loading results.json, merging runs' columns
  report              the results section (Markdown), optionally spliced into a document
  targets             the "Targets" part of that section
  plots               PNG plots of a run (matplotlib)
  problem             the problem (gaus native JSON) and the exact objectives of schedules
  paths               the repository root behind the default paths
  baselines.cpsat     the CP-SAT baseline (ortools)
  reference           the PyTorch reference of the loss and its cross-check (torch)

Importing the package, or any module but plots, baselines.cpsat's solve and reference, needs
no third-party package.
"""
