"""gausbench: the gaus benchmark harness.

Run through the scripts beside this folder (bench/run.py, report.py, plots.py, cpsat.py,
cpsat_modulo.py, check_grads.py, torch_loss.py), each a call of one module's main();
bench/README.md has the commands. Modules:

  run                 the driver: command line, plan, results.json, the local mode
  dask_pool           the Dask mode (--dask): the jobs on a cluster's workers (distributed)
  machine             the commit, CPU and CUDA devices a run records
  process             child processes: a command under a time limit, CPU seconds
  suites              the suites: graphs, formulation, objective, result order
  methods             one runner per kind of method, each filling a result record
  tables              a run's results.csv and results.md
  runs                run folders: loading results.json, merging runs' columns
  section             the results section (Markdown) of a run, or of several merged
  targets             the "Targets" part of that section
  report              the section's command: plots, then the section to a file or into
                      a document's bench:begin/bench:end block
  plots               PNG plots of a run (matplotlib)
  problem             the problem (gaus native JSON) and the exact objectives of schedules
  paths               the repository root behind the default paths
  baselines.cpsat     the CP-SAT baseline (ortools)
  baselines.cpsat_modulo  the CP-SAT baseline of formulation C: the smallest II (ortools)
  baselines.modulo_list   iterative modulo scheduling, that baseline's own heuristic
  baselines.modulo_windows  that baseline's start windows (components, longest paths, MII)
  reference           the PyTorch reference of the loss and its cross-check (torch)

Third-party packages: dask_pool needs distributed, plots matplotlib, baselines.cpsat's and
baselines.cpsat_modulo's solves ortools (imported when called), reference torch; the rest
needs none.
"""
