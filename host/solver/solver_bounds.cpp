// Lower bounds on the exact objectives of formulations A, B and C at a fixed horizon (and II):
// cheap counting arguments, used only to stop spending the time limit on further restarts once
// a schedule provably cannot be beaten.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/timing.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

namespace {

/// Rounds a bound up to an integer when every term it sums is an integer (the exact objective
/// then is one too), keeping a little slack against floating-point sums.
double tighten(double bound, bool integral) {
  return integral ? std::ceil(bound - 1e-9) : bound;
}

bool is_integer(double x) { return std::floor(x) == x; }

}  // namespace

/// B and C: the memory every schedule must hold at some step (or residue). Value i is live from
/// s_i <= ALAP_i until its last distance-0 consumer starts, at or after max_j ASAP_j, so every
/// schedule within D stores it at least over [ALAP_i, max_j ASAP_j); the most such forced
/// memory at one step (folded onto residues at an II: a forced stretch of k whole IIs covers
/// every residue k times) bounds the peak. O(n + m + D) with difference arrays.
double forced_live_peak(const Problem& p, std::int32_t horizon, std::int32_t ii) {
  const std::vector<std::int32_t> asap = asap_starts(p), alap = alap_starts(p, horizon);
  const std::int32_t cells = ii > 0 ? ii : horizon;
  std::vector<double> diff(static_cast<std::size_t>(cells) + 1, 0.0);
  double base = 0;  // whole IIs
  for (op_id i = 0; i < p.num_ops(); ++i) {
    if (!(p.out_size[i] > 0)) continue;
    std::int32_t last = std::numeric_limits<std::int32_t>::min();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) last = std::max(last, asap[p.edge_dst[e]]);
    const std::int32_t a = std::max(alap[i], 0), b = std::min(last, horizon);
    if (a >= b) continue;
    const double w = p.out_size[i];
    if (ii == 0) {
      diff[a] += w;
      diff[b] -= w;
      continue;
    }
    base += w * ((b - a) / ii);
    const std::int32_t r = (b - a) % ii, lo = a % ii;
    if (r == 0) continue;
    const std::int32_t hi = lo + r;  // residues [lo, hi), wrapping past II
    diff[lo] += w;
    diff[std::min(hi, ii)] -= w;
    if (hi > ii) {
      diff[0] += w;
      diff[hi - ii] -= w;
    }
  }
  double run = 0, peak = 0;
  for (std::int32_t c = 0; c < cells; ++c) peak = std::max(peak, run += diff[c]);
  return base + peak;
}

double objective_lower_bound(const Problem& p, Formulation f, std::int32_t horizon,
                             std::int32_t ii) {
  const op_id n = p.num_ops();
  if (n == 0 || horizon <= 0) return 0.0;
  if (f == Formulation::A) {
    // Every op starts in [0, D): some step carries at least the mean weight, and the heaviest
    // op alone. Each distance-0 edge with c_e > 0 spans at least its delay.
    double sum_w = 0, max_w = 0;
    bool integral = true;
    for (op_id i = 0; i < n; ++i) {
      sum_w += p.weight[i];
      max_w = std::max(max_w, p.weight[i]);
      integral &= is_integer(p.weight[i]);
    }
    double comm = 0;
    for (edge_id e = 0; e < p.num_edges(); ++e)
      if (p.edge_distance[e] == 0 && p.edge_weight[e] > 0) comm += std::max(p.edge_delay[e], 0);
    const double peak = std::max(max_w, tighten(sum_w / horizon, integral));
    return 100.0 * peak + comm;
  }
  if (f == Formulation::B || f == Formulation::C) {
    // A value is live from its producer's start until its last distance-0 consumer starts, at
    // least the largest delay to one of them; the live steps (or residues mod II) share the
    // total, and a value live for a step is alone at least its own size.
    const std::int32_t steps = f == Formulation::C && ii > 0 ? ii : horizon;
    double total = 0, single = 0;
    bool integral = true;
    for (op_id i = 0; i < n; ++i) {
      std::int32_t life = 0;
      for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
        if (p.edge_distance[e] == 0) life = std::max(life, p.edge_delay[e]);
      if (life <= 0) continue;
      total += p.out_size[i] * life;
      single = std::max(single, p.out_size[i]);
      integral &= is_integer(p.out_size[i]);
    }
    return std::max({single, tighten(total / steps, integral),
                     forced_live_peak(p, horizon, f == Formulation::C ? ii : 0)});
  }
  return 0.0;  // rcs has its own bound (host/bounds/latency_bound.hpp) in solve_rcs
}

}  // namespace gaus::detail
