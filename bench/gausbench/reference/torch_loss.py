"""A PyTorch reference of gaus's loss terms (docs/design.md section 3), written as a framework user
would: vectorized tensors on the chosen device and autograd for the gradients.

Terms: dependency, recurrence (with II), horizon, capacity, peak use, communication, live memory
(modulo memory is not implemented). Two formulations of the per-step quantities:

  dense   every op on one global step grid (ops x steps tensors): simple, O(N * D) memory.
  window  every op on its own window [floor(mu - K sigma), +W) of one fixed width W (the widest
          op's), gathered as (ops x W) tensors and scattered into per-step sums with index_add;
          live memory adds its flat middle part (producer done, a consumer not yet started) by a
          difference array and a cumulative sum.

Values follow host/loss/loss.hpp (plain sums, soft-max temperature tau * scale); mass beyond K sigma
is dropped, so at K >= 8 the two formulations and gaus agree to rounding.

  bench/torch_loss.py FILE [--library L] [--horizon D] [--ii N] [--mode dense|window]
                      [--device cpu|cuda] [--compile] [--iters N] [--threads N]
                      [--gaus build/tools/gaus]
times forward + backward per iteration at mu = ASAP/ALAP midpoint, sigma from mobility,
D = critical path + max(2, cp / 10) unless given (the point gaus_loss_bench times).
"""
from __future__ import annotations

import argparse
import math
import sys
import time

import torch

from ..problem import Problem, load_problem, local_consumers, occupancy

TERMS = ["dependency", "recurrence", "horizon", "capacity", "peak_use", "communication", "memory"]
SQRT1_2 = 1.0 / math.sqrt(2.0)


def phi_cdf(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * torch.erfc(-x * SQRT1_2)  # erfc keeps the lower tail accurate


class TorchLoss:
    def __init__(self, p: Problem, horizon: int, ii: int = 0, window: float = 5.0,
                 tau: float = 0.1, device: str = "cpu", dtype=torch.float64,
                 mode: str = "window"):
        if mode not in ("dense", "window"):
            raise ValueError("mode is dense or window")
        self.p, self.D, self.ii, self.K, self.tau, self.mode = p, horizon, ii, window, tau, mode
        self.dev, self.dt = torch.device(device), dtype
        L = lambda xs, dt=torch.long: torch.tensor(xs, dtype=dt, device=self.dev)  # noqa: E731
        n = p.n
        self.n = n
        self.src, self.dst = L(p.src), L(p.dst)
        self.delay, self.dist = L(p.delay), L(p.distance)
        self.eweight = L(p.eweight, dtype)
        loc = [e for e in range(len(p.src)) if p.distance[e] == 0]
        self.loc = L(loc)
        self.car = L([e for e in range(len(p.src)) if p.distance[e] > 0])
        self.com = L([e for e in loc if p.eweight[e] != 0])
        self.last_start = L([horizon - occupancy(p, i) for i in range(n)], dtype)
        self.weight = L(p.weight, dtype)
        # capacity: ops on a limited class with B_i > 0
        limited = [c for c, lim in p.limits.items() if lim >= 0]
        cls_index = {c: k for k, c in enumerate(limited)}
        cap_ops = [i for i in range(n) if p.unit[i] in cls_index and p.blocking[i] > 0]
        self.cap_ops = L(cap_ops)
        self.cap_cls = L([cls_index[p.unit[i]] for i in cap_ops])
        self.cap_block = L([p.blocking[i] for i in cap_ops])
        self.cap_limit = L([p.limits[c] for c in limited], dtype)
        self.n_cls = len(limited)
        self.bmax = max([p.blocking[i] for i in cap_ops], default=1)
        # memory entries: (producer, distinct distance-0 consumer)
        cons = local_consumers(p)
        producers = [i for i in range(n) if cons[i]]
        self.mem_prod = L(producers)
        slot = {i: k for k, i in enumerate(producers)}
        self.ent_slot = L([slot[i] for i in producers for _ in cons[i]])
        self.ent_cons = L([j for i in producers for j in cons[i]])
        self.out_size = L([p.out_size[i] for i in producers], dtype)
        sw = sum(p.weight)
        sb = sum(p.out_size[i] for i in producers)
        self.tau_peak = tau * (sw / horizon if sw > 0 else 1.0)
        self.tau_mem = tau * (sb / horizon if sb > 0 else 1.0)
        self.steps = torch.arange(horizon, device=self.dev, dtype=dtype)
        self.W = 0  # set by fit()

    # ---- helpers -------------------------------------------------------------------------
    def cdf_at(self, d: torch.Tensor, mu: torch.Tensor, sg: torch.Tensor) -> torch.Tensor:
        """F(d) = Phi((d + 1/2 - mu) / sigma), broadcast over d."""
        return phi_cdf((d + 0.5 - mu) / sg)

    def fit(self, mu: torch.Tensor, sg: torch.Tensor, margin: int = 0) -> None:
        """Fixes the window width W and the dense grid from the current parameters (plus
        `margin` steps). Called outside the differentiated step, so that the traced graph has
        static shapes (torch.compile) and no host synchronization."""
        with torch.no_grad():
            lo = torch.floor(mu - self.K * sg)
            hi = torch.ceil(mu + self.K * sg)
            self.W = (int((hi - lo).max().item()) if mu.numel() else 0) + 2 + margin
            g0 = min(0, int(lo.min().item()) - margin) if mu.numel() else 0
            g1 = max(self.D, int(hi.max().item()) + 2 + margin) if mu.numel() else self.D
        self.grid_steps = torch.arange(g0, g1, device=self.dev, dtype=self.dt)
        self.ar = torch.arange(self.W, device=self.dev, dtype=self.dt)[None, :]
        self.ar_cap = torch.arange(self.W + self.bmax, device=self.dev, dtype=self.dt)[None, :]

    def windows(self, mu: torch.Tensor, sg: torch.Tensor, extra: int = 0):
        """Per-op window start (no gradient) and its step offsets 0..W-1 (+extra)."""
        lo = torch.floor(mu - self.K * sg).detach()
        return lo, (self.ar_cap if extra else self.ar)

    def grid(self, mu, sg):
        """Dense: the global step grid fixed by fit()."""
        return self.grid_steps

    # ---- terms ---------------------------------------------------------------------------
    def precedence(self, mu, sg, edges, shift):
        """sum over `edges` of sum_d P_i(d) F_j(d + shift_e)."""
        if edges.numel() == 0:
            return mu.sum() * 0
        i, j = self.src[edges], self.dst[edges]
        s = shift.to(self.dt)[:, None]
        if self.mode == "dense":
            d = self.grid(mu, sg)[None, :]
        else:
            lo, ar = self.windows(mu, sg)
            d = lo[i][:, None] + ar
        mi, si = mu[i][:, None], sg[i][:, None]
        p = self.cdf_at(d, mi, si) - self.cdf_at(d - 1, mi, si)
        fj = self.cdf_at(d + s, mu[j][:, None], sg[j][:, None])
        return (p * fj).sum()

    def communication(self, mu, sg):
        e = self.com
        if e.numel() == 0:
            return mu.sum() * 0
        i, j, c = self.src[e], self.dst[e], self.eweight[e]
        mi, si, mj, sj = mu[i][:, None], sg[i][:, None], mu[j][:, None], sg[j][:, None]
        if self.mode == "dense":
            d = self.grid(mu, sg)[None, :]
            return (c * (self.cdf_at(d, mi, si) * (1 - self.cdf_at(d, mj, sj))).sum(1)).sum()
        lo, ar = self.windows(mu, sg)
        hi_i = lo[i] + self.W - 1
        d1 = lo[i][:, None] + ar  # i's window: F_i (1 - F_j)
        part1 = (self.cdf_at(d1, mi, si) * (1 - self.cdf_at(d1, mj, sj))).sum(1)
        d2 = lo[j][:, None] + ar  # j's window beyond i's (F_i = 1 there)
        part2 = ((d2 > hi_i[:, None]) * (1 - self.cdf_at(d2, mj, sj))).sum(1)
        gap = torch.clamp(lo[j] - hi_i - 1, min=0)  # between: both factors 1
        return (c * (part1 + part2 + gap)).sum()

    def horizon(self, mu, sg):
        return (phi_cdf((-0.5 - mu) / sg) + 1 - phi_cdf((self.last_start + 0.5 - mu) / sg)).sum()

    def step_sum(self, rows, d, vals, size):
        """Scatter vals[r, t] into buf[rows[r], d[r, t]] for 0 <= d < D; buf is (size, D)."""
        ok = (d >= 0) & (d < self.D)
        flat = rows[:, None] * self.D + d.clamp(0, self.D - 1).long()
        buf = torch.zeros(size * self.D, device=self.dev, dtype=self.dt)
        buf = torch.index_add(buf, 0, flat.reshape(-1), (vals * ok).reshape(-1))
        return buf.view(size, self.D)

    def capacity(self, mu, sg):
        if self.cap_ops.numel() == 0:
            return mu.sum() * 0
        o = self.cap_ops
        m, s, b = mu[o][:, None], sg[o][:, None], self.cap_block.to(self.dt)[:, None]
        if self.mode == "dense":
            d = self.steps[None, :]
            r = self.cdf_at(d, m, s) - self.cdf_at(d - b, m, s)  # sum_{t<B} P(d - t)
            u = torch.zeros(self.n_cls, self.D, device=self.dev, dtype=self.dt)
            u = torch.index_add(u, 0, self.cap_cls, r)
        else:
            lo, ar = self.windows(mu, sg, extra=self.bmax)
            d = lo[o][:, None] + ar
            r = self.cdf_at(d, m, s) - self.cdf_at(d - b, m, s)
            u = self.step_sum(self.cap_cls, d, r, self.n_cls)
        if self.ii > 0:  # fold onto d mod II
            folded = torch.zeros(self.n_cls, self.ii, device=self.dev, dtype=self.dt)
            u = torch.index_add(folded, 1, torch.arange(self.D, device=self.dev) % self.ii, u)
        excess = torch.clamp(u - self.cap_limit[:, None], min=0)
        return (excess * excess).sum()

    def soft_max(self, x, tau):
        return tau * torch.logsumexp(x / tau, dim=0)

    def peak_use(self, mu, sg):
        m, s = mu[:, None], sg[:, None]
        if self.mode == "dense":
            d = self.steps[None, :]
            wd = (self.weight[:, None] * (self.cdf_at(d, m, s) - self.cdf_at(d - 1, m, s))).sum(0)
        else:
            lo, ar = self.windows(mu, sg)
            d = lo[:, None] + ar
            pr = self.weight[:, None] * (self.cdf_at(d, m, s) - self.cdf_at(d - 1, m, s))
            zero = torch.zeros(self.n, dtype=torch.long, device=self.dev)
            wd = self.step_sum(zero, d, pr, 1)[0]
        return self.soft_max(wd, self.tau_peak)

    def log_prod_f(self, mu, sg, d_of_slot):
        """log prod_j F_j(d) over each producer's consumers, d given per producer slot."""
        j = self.ent_cons
        d = d_of_slot[self.ent_slot]
        logf = torch.log(self.cdf_at(d, mu[j][:, None], sg[j][:, None]).clamp_min(1e-300))
        acc = torch.zeros(self.mem_prod.numel(), d.shape[1], device=self.dev, dtype=self.dt)
        return torch.index_add(acc, 0, self.ent_slot, logf)

    def memory(self, mu, sg):
        pr = self.mem_prod
        if pr.numel() == 0:
            return mu.sum() * 0
        b = self.out_size[:, None]
        mi, si = mu[pr][:, None], sg[pr][:, None]
        if self.mode == "dense":
            d = self.steps[None, :].expand(pr.numel(), self.D)
            live = self.cdf_at(d, mi, si) * (1 - torch.exp(self.log_prod_f(mu, sg, d)))
            return self.soft_max((b * live).sum(0), self.tau_mem)
        lo, ar = self.windows(mu, sg)
        row0 = torch.zeros(pr.numel(), dtype=torch.long, device=self.dev)  # one step row
        lo_i = lo[pr]
        hi_i = lo_i + self.W - 1
        # (a) the producer's own window
        d1 = lo_i[:, None] + ar
        v1 = b * self.cdf_at(d1, mi, si) * (1 - torch.exp(self.log_prod_f(mu, sg, d1)))
        m = self.step_sum(row0, d1, v1, 1)[0]
        # (b) beyond it, from the latest consumer window start L*: F_i = 1
        lstar = torch.full((pr.numel(),), -1e18, device=self.dev, dtype=self.dt)
        lstar = lstar.scatter_reduce(0, self.ent_slot, lo[self.ent_cons], reduce="amax")
        d2 = lstar[:, None] + ar
        v2 = b * (d2 > hi_i[:, None]) * (1 - torch.exp(self.log_prod_f(mu, sg, d2)))
        m = m + self.step_sum(row0, d2, v2, 1)[0]
        # (c) flat middle [hi_i + 1, L*): the value is live with probability 1
        a = (hi_i + 1).clamp(0, self.D).long()
        z = lstar.clamp(0, self.D).long()
        amount = self.out_size * (a < z)  # masked, not filtered: static shapes
        diff = torch.zeros(self.D + 1, device=self.dev, dtype=self.dt)
        diff = torch.index_add(diff, 0, a, amount)
        diff = torch.index_add(diff, 0, z, -amount)
        m = m + torch.cumsum(diff, 0)[: self.D]
        return self.soft_max(m, self.tau_mem)

    def forward(self, mu: torch.Tensor, sg: torch.Tensor, terms=None) -> dict:
        terms = terms or TERMS
        out = {}
        if "dependency" in terms:
            out["dependency"] = self.precedence(mu, sg, self.loc, self.delay[self.loc] - 1)
        if "recurrence" in terms and self.ii > 0:
            e = self.car
            out["recurrence"] = self.precedence(mu, sg, e,
                                                self.delay[e] - self.dist[e] * self.ii - 1)
        if "horizon" in terms:
            out["horizon"] = self.horizon(mu, sg)
        if "capacity" in terms:
            out["capacity"] = self.capacity(mu, sg)
        if "peak_use" in terms:
            out["peak_use"] = self.peak_use(mu, sg)
        if "communication" in terms:
            out["communication"] = self.communication(mu, sg)
        if "memory" in terms:
            out["memory"] = self.memory(mu, sg)
        return out


def initial_params(p: Problem, horizon: int):
    """mu at the ASAP/ALAP midpoint, sigma = clamp(mobility / 4, 0.5, 4) (as gaus_loss_bench)."""
    order, indeg = [], [0] * p.n
    succ = [[] for _ in range(p.n)]
    pred = [[] for _ in range(p.n)]
    for e in range(len(p.src)):
        if p.distance[e] == 0:
            succ[p.src[e]].append(e)
            pred[p.dst[e]].append(e)
            indeg[p.dst[e]] += 1
    stack = [i for i in range(p.n) if indeg[i] == 0]
    while stack:
        i = stack.pop()
        order.append(i)
        for e in succ[i]:
            indeg[p.dst[e]] -= 1
            if indeg[p.dst[e]] == 0:
                stack.append(p.dst[e])
    asap = [0] * p.n
    for i in order:
        for e in pred[i]:
            asap[i] = max(asap[i], asap[p.src[e]] + p.delay[e])
    alap = [horizon - occupancy(p, i) for i in range(p.n)]
    for i in reversed(order):
        for e in succ[i]:
            alap[i] = min(alap[i], alap[p.dst[e]] - p.delay[e])
    mu = [0.5 * (asap[i] + max(alap[i], asap[i])) for i in range(p.n)]
    sg = [min(max(0.25 * (alap[i] - asap[i]), 0.5), 4.0) for i in range(p.n)]
    return mu, sg


def time_iterations(loss: TorchLoss, mu0, sg0, iters: int, compile_: bool, terms=None):
    """Seconds per forward + backward (mean over `iters` after two warm-up calls)."""
    mu = torch.tensor(mu0, dtype=loss.dt, device=loss.dev, requires_grad=True)
    sg = torch.tensor(sg0, dtype=loss.dt, device=loss.dev, requires_grad=True)
    loss.fit(mu, sg)

    def step(m, s):
        return sum(loss.forward(m, s, terms).values())

    fn, compiled = step, False
    if compile_:
        try:
            cfn = torch.compile(step, dynamic=False)
            cfn(mu, sg).backward()
            fn, compiled = cfn, True
        except Exception as e:  # no compiler, unsupported op: fall back to eager
            print(f"torch.compile failed ({type(e).__name__}: {str(e)[:120]}); eager",
                  file=sys.stderr)
    sync = torch.cuda.synchronize if loss.dev.type == "cuda" else (lambda: None)
    for _ in range(2):
        mu.grad = sg.grad = None
        fn(mu, sg).backward()
    sync()
    t0 = time.perf_counter()
    for _ in range(iters):
        mu.grad = sg.grad = None
        fn(mu, sg).backward()
    sync()
    return (time.perf_counter() - t0) / iters, compiled


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="PyTorch reference of the gaus loss: timing")
    ap.add_argument("file")
    ap.add_argument("--library")
    ap.add_argument("--gaus", default="build/tools/gaus")
    ap.add_argument("--horizon", type=int, default=0)
    ap.add_argument("--ii", type=int, default=0)
    ap.add_argument("--window", type=float, default=5.0)
    ap.add_argument("--tau", type=float, default=0.1)
    ap.add_argument("--mode", default="window", choices=["dense", "window"])
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--float32", action="store_true")
    ap.add_argument("--compile", action="store_true")
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: default)")
    a = ap.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    p = load_problem(a.gaus, a.file, ["--library", a.library] if a.library else [])
    from subprocess import run
    import json
    info = json.loads(run([a.gaus, "info", a.file, "--json"] + (["--library", a.library]
                          if a.library else []), capture_output=True, text=True).stdout)
    cp = info["critical_path"]
    D = a.horizon or p.horizon or cp + max(2, cp // 10)  # as build/bench/gaus_loss_bench
    loss = TorchLoss(p, D, a.ii, a.window, a.tau, a.device,
                     torch.float32 if a.float32 else torch.float64, a.mode)
    mu, sg = initial_params(p, D)
    sec, compiled = time_iterations(loss, mu, sg, a.iters, a.compile)
    print(json.dumps({"file": a.file, "ops": p.n, "edges": len(p.src), "horizon": D,
                      "mode": a.mode, "device": a.device, "compiled": compiled,
                      "dtype": "float32" if a.float32 else "float64",
                      "threads": torch.get_num_threads(), "s_per_iter": sec}))
    return 0

