"""The Dask mode of bench/run.py (--dask): every (instance, method) job on a cluster's workers.

  run_on_dask  the client's side: connect (a scheduler's address, or local:N for a LocalCluster
               of N single-threaded workers), ship the harness (and with --ship-binary the
               executables), check every worker, submit the jobs, gather the rows as they finish
  run_job      one job on a worker: the instance's facts and horizons, then the method, as the
               local mode computes them; the row names the worker ("worker") and its device

The harness's own package reaches the scheduler and the workers as a zip (Client.upload_file),
so they need Python with `distributed` (and ortools for cpsat) but no checkout. The executables
and graphs are read at the client's paths (a shared file system) unless --ship-binary uploads
gaus (and gaus_ilp) into each worker's local directory and --ship-data sends each job its graph
files.
Before any job, `gaus --version` runs on every worker (and the first graph's path is looked up
there); a worker that fails stops the run with one line per worker saying why.

A job whose worker dies is submitted once more (it goes to a live worker) and noted in the row's
"retried"; lost twice, it is an `error` row with both reasons. `local:N` sets the scheduler's
allowed-failures to 0 so that the harness owns this retry; a scheduler started by hand retries
by itself first (allowed-failures, default 3) unless started with
DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=0. gaus-cuda jobs ask for one unit of the worker
resource GPU, so that a worker started with `--resources GPU=1` (one per GPU, as dask-cuda
starts them) runs one at a time. results.json is rewritten after every row.

Errors: DaskSetupError (no worker, a worker that cannot run gaus or see the data, no GPU worker
for gaus-cuda, a bad address), with a message for the command line.
"""
from __future__ import annotations

import argparse
import collections
import copy
import dataclasses
import hashlib
import os
import platform
import tempfile
import uuid
import zipfile

import dask
from distributed import Client, LocalCluster, as_completed, get_worker
from distributed.diagnostics.plugin import UploadFile

from .machine import cpu_name, cuda_devices
from .methods import base_result
from .process import sh
from .run import in_plan_order, prepare, row_line, run_method, write_results
from .suites import Instance, Suite

GPU = "GPU"  # the worker resource a gaus-cuda job asks one unit of
PACKAGE = os.path.dirname(os.path.abspath(__file__))


class DaskSetupError(Exception):
    """The cluster cannot run the sweep; the message says why."""


def worker_path(path: str, shipped: bool, local_directory: str) -> str:
    """On a worker: PATH itself, or where --ship-binary put it (the worker's local directory),
    made executable there (an upload arrives without the mode bits)."""
    if not shipped:
        return path
    p = os.path.join(local_directory, os.path.basename(path))
    if os.path.exists(p) and not os.access(p, os.X_OK):
        os.chmod(p, 0o755)
    return p


def check_worker(gaus: str, shipped: bool, probe: str, dask_worker=None) -> dict:
    """Run on every worker before the sweep: `gaus --version`, its CUDA devices, its CPU, and
    whether PROBE (a graph file; "" with --ship-data) exists there. "error" says what failed."""
    exe = worker_path(gaus, shipped, dask_worker.local_directory)
    out = {"host": platform.node(), "cpu": cpu_name(), "version": None, "devices": [],
           "error": None}
    try:
        r = sh([exe, "--version"], timeout=60)
    except OSError as e:
        out["error"] = f"cannot run {exe}: {e}"
        return out
    if r.returncode != 0:
        out["error"] = f"`{exe} --version` exited {r.returncode}: " \
                       f"{(r.stderr.strip() or r.stdout.strip())[:200]}"
        return out
    out["version"] = r.stdout.strip()
    out["devices"] = cuda_devices(exe)
    if probe and not os.path.exists(probe):
        out["error"] = f"no graph at {probe} on this worker (a shared path, or --ship-data)"
    return out


def run_job(jargs: argparse.Namespace, suite: Suite, inst: Instance, method: str,
            files: dict[str, bytes] | None) -> dict:
    """One (instance, method) job on this worker: its result record, with "worker" (this
    worker's address) and the device it ran on. FILES (--ship-data) maps the instance's paths to
    their bytes, written to a scratch folder on the worker; the row keeps the client's path. A
    failure of the harness or of gaus is an `error` row with the reason, as in the local mode."""
    w = get_worker()
    args = copy.copy(jargs)
    args.gaus = worker_path(jargs.gaus, jargs.ship_binary, w.local_directory)
    args.ilp = worker_path(jargs.ilp, jargs.ship_ilp, w.local_directory)
    args.cpu = cpu_name()
    args.cuda_names = cuda_devices(args.gaus) if method == "gaus-cuda" else []
    with tempfile.TemporaryDirectory(prefix="gaus-job-", dir=w.local_directory) as tmp:
        here = inst
        if files is not None:
            local = {}
            for n, (path, data) in enumerate(files.items()):  # under their own names (a
                os.makedirs(os.path.join(tmp, f"data{n}"))  # library names designs by stem)
                local[path] = os.path.join(tmp, f"data{n}", os.path.basename(path))
                with open(local[path], "wb") as f:
                    f.write(data)
            here = dataclasses.replace(inst, file=local[inst.file],
                                       library=local.get(inst.library) if inst.library else None)
        try:
            facts, h_heur, h_cp = prepare(args, suite, here, tmp)
            res = run_method(args, suite, here, method, facts, tmp, h_heur, h_cp)
        except Exception as e:  # one broken job must not end the run
            res = base_result(suite, inst, method, {})
            res["note"] = f"{type(e).__name__}: {e}"[:300]
            res["commit"] = args.commit
    res["file"] = inst.file
    res["worker"] = w.address
    gpu = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")[0]
    if method == "gaus-cuda" and res.get("device") and gpu:
        res["device"] += f" (GPU {gpu})"
    return res


def job_args(args: argparse.Namespace) -> argparse.Namespace:
    """What a job needs of the command line (sent with every job)."""
    keys = ("gaus", "ilp", "time_limit", "method_time_limit", "gaus_args", "cpsat_workers",
            "ilp_threads", "max_ops", "commit", "ship_binary")
    j = argparse.Namespace(**{k: getattr(args, k) for k in keys})
    j.gaus, j.ilp = os.path.abspath(args.gaus), os.path.abspath(args.ilp)
    j.ship_ilp = args.ship_binary and "ilp" in args.methods and os.access(args.ilp, os.X_OK)
    return j


def package_zip(folder: str) -> str:
    """FOLDER/gausbench-HASH.zip: this package's Python files, for Client.upload_file. The name
    changes with the content, so that a worker kept from an earlier run imports it afresh (after
    forgetting its loaded modules) rather than through a stale zip cache."""
    root = os.path.dirname(PACKAGE)
    files = []
    for d, dirs, names in os.walk(PACKAGE):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
    digest = hashlib.sha1()
    for p in files:
        with open(p, "rb") as f:
            digest.update(os.path.relpath(p, root).encode() + b"\0" + f.read())
    path = os.path.join(folder, f"gausbench-{digest.hexdigest()[:12]}.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            z.write(p, os.path.relpath(p, root))
    return path


def connect(spec: str) -> tuple[Client, LocalCluster | None]:
    """A client of the cluster SPEC names: local:N starts a LocalCluster of N single-threaded
    worker processes (allowed-failures 0: the harness retries a lost job itself); anything else
    is a scheduler's address. Waits up to 60 s for a first worker."""
    cluster = None
    try:
        if spec.startswith("local:"):
            n = spec.split(":", 1)[1]
            if not n.isdigit() or int(n) < 1:
                raise DaskSetupError(f"--dask {spec}: expected local:N with N >= 1")
            dask.config.set({"distributed.scheduler.allowed-failures": 0})
            cluster = LocalCluster(n_workers=int(n), threads_per_worker=1, processes=True,
                                   dashboard_address=":0")
            client = Client(cluster)
        else:
            client = Client(spec, timeout="30s")
        client.wait_for_workers(1, timeout=60)
    except DaskSetupError:
        raise
    except (OSError, TimeoutError, ValueError) as e:
        if cluster is not None:
            cluster.close()
        raise DaskSetupError(f"--dask {spec}: {type(e).__name__}: {e}") from e
    return client, cluster


def set_up(client: Client, args: argparse.Namespace, plan: list, tmp: str, local: bool) -> dict:
    """Ships the package (not to a LOCAL cluster, whose processes import it from this checkout)
    and the executables, checks that a job of the package runs and every worker; the workers'
    facts by address. DaskSetupError when one of these fails or gaus-cuda has no GPU worker."""
    if not local:  # the scheduler unpickles the jobs as well: both need the package
        def forget_package():  # nested, so pickled by value: runs where the package is stale
            import sys
            for m in [m for m in sys.modules if m.split(".")[0] == "gausbench"]:
                del sys.modules[m]
        client.run(forget_package)
        client.run_on_scheduler(forget_package)
        client.upload_file(package_zip(tmp))
    if args.ship_binary:
        client.register_plugin(UploadFile(args.gaus, load=False), name="gausbench-ship-gaus")
        if "ilp" in args.methods and os.access(args.ilp, os.X_OK):
            client.register_plugin(UploadFile(args.ilp, load=False), name="gausbench-ship-ilp")
    try:
        client.submit(cpu_name, pure=False).result(timeout=120)
    except Exception as e:
        raise DaskSetupError(f"the cluster cannot run a job of the harness "
                             f"({type(e).__name__}: {' '.join(str(e).split())[:300]})") from e
    probe = "" if args.ship_data or not plan else plan[0][1].file
    facts = client.run(check_worker, os.path.abspath(args.gaus), args.ship_binary, probe)
    bad = [f"  {a}: {f['error']}" for a, f in sorted(facts.items()) if f["error"]]
    if bad:
        raise DaskSetupError("workers that cannot run the sweep"
                             + ("" if args.ship_binary else " (or pass --ship-binary)")
                             + ":\n" + "\n".join(bad))
    info = client.scheduler_info()["workers"]
    for a, f in facts.items():
        del f["error"]
        f["nthreads"] = info.get(a, {}).get("nthreads")
        f["resources"] = info.get(a, {}).get("resources") or {}
    if "gaus-cuda" in args.methods and not any(f["resources"].get(GPU, 0) >= 1
                                               for f in facts.values()):
        raise DaskSetupError(f"gaus-cuda jobs ask for one {GPU} each and no worker offers one: "
                             f"start one worker per GPU with --resources {GPU}=1 "
                             f"(`dask cuda worker ADDRESS --resources {GPU}=1`, dask-cuda)")
    blind = [a for a, f in facts.items() if f["resources"].get(GPU, 0) >= 1 and not f["devices"]]
    if blind and "gaus-cuda" in args.methods:
        print(f"warning: gaus sees no CUDA device on GPU worker(s) {', '.join(sorted(blind))}: "
              f"their gaus-cuda jobs will fail", flush=True)
    busy = [a for a, f in facts.items() if (f["nthreads"] or 1) > 1]
    if busy:
        print(f"warning: {len(busy)} worker(s) run several jobs at once (nthreads > 1): their "
              f"jobs share the CPU and cpu_s mixes them; start workers with --nthreads 1",
              flush=True)
    return facts


def shipped_files(inst: Instance) -> dict[str, bytes]:
    """--ship-data: the instance's graph (and type library) by the client's path."""
    out = {}
    for p in filter(None, (inst.file, inst.library)):
        with open(p, "rb") as f:
            out[p] = f.read()
    return out


def run_on_dask(args: argparse.Namespace, plan: list, done: set, results: list[dict],
                meta: dict, out_dir: str) -> list[dict]:
    """The plan's jobs not in DONE on the cluster --dask names; RESULTS (the rows kept by
    --resume) plus theirs, in plan order. results.json is rewritten after every row; one
    progress line per row (jobs done / total, the worker and its count)."""
    client, cluster = connect(args.dask)
    try:
        with tempfile.TemporaryDirectory(prefix="gaus-bench-") as tmp:
            workers = set_up(client, args, plan, tmp, cluster is not None)
        meta["dask"] = {"scheduler": client.scheduler.address, "workers": workers}
        meta["cpu"] = " / ".join(sorted({f["cpu"] for f in workers.values()}))
        meta["cuda_devices"] = sorted({d for f in workers.values() for d in f["devices"]})
        print(f"dask: {len(workers)} workers at {client.scheduler.address}", flush=True)
        jargs = job_args(args)
        jobs = [(s, i, m) for s, i in plan for m in args.methods if (s.name, i.name, m) not in done]
        files = {}

        def submit(job, attempt: int):
            s, i, m = job
            if args.ship_data and (s.name, i.name) not in files:
                files[(s.name, i.name)] = shipped_files(i)
            return client.submit(run_job, jargs, s, i, m, files.get((s.name, i.name)),
                                 key=f"gausbench-{s.name}-{i.name}-{m}-{attempt}-"
                                     f"{uuid.uuid4().hex[:8]}",
                                 resources={GPU: 1} if m == "gaus-cuda" else None, pure=False)

        pending = {submit(j, 1): (j, None) for j in jobs}
        per_worker: collections.Counter = collections.Counter()
        k = 0
        queue = as_completed(list(pending))
        for fut in queue:
            job, retried = pending.pop(fut)
            s, i, m = job
            if fut.status == "finished":
                res = fut.result()
            else:
                try:
                    e = fut.exception()
                    reason = f"{type(e).__name__}: {e}"
                except BaseException as c:  # cancelled: the scheduler forgot it
                    reason = f"{type(c).__name__}: {c}"
                reason = " ".join(reason.split())[:300]
                if retried is None:
                    print(f"  {s.name}/{i.name} {m}: {reason}; submitted again", flush=True)
                    nf = submit(job, 2)
                    pending[nf] = (job, reason)
                    queue.add(nf)
                    continue
                res = base_result(s, i, m, {})
                res["commit"] = args.commit
                res["note"] = f"lost twice: {retried} / {reason}"[:300]
            if retried is not None:
                res["retried"] = retried
            w = res.get("worker", "-")
            per_worker[w] += 1
            k += 1
            results.append(res)
            print(f"[{k}/{len(jobs)}] {row_line(s, res).strip()}  @ {w} ({per_worker[w]} there)",
                  flush=True)
            write_results(out_dir, meta, in_plan_order(results, plan, args.methods))
        for w, n in sorted(per_worker.items()):
            print(f"  {w}: {n} jobs", flush=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return results
