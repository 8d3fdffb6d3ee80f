// Lower bounds on the latency of every legal schedule under unit limits (formulation rcs):
// the critical path, and per unit class the energetic ("subset") bound of the HLS and
// job-shop literature over heads (release times) and tails, with heads and tails first
// tightened through each op's ancestors and descendants of the same class.
//
// The model (core/problem.hpp, core/schedule.hpp): op i starts at s_i >= 0, every distance-0
// edge i -> j has s_j >= s_i + lambda_e, an op of a limited class holds one of its C units
// over [s_i, s_i + B_i), and the latency is max_i s_i + max(L_i, 1). Loop-carried edges are
// ignored (a relaxation: the bound stays valid).
//
// The class bound. Give each op of the class a head r_i <= s_i, its busy cycles B_i and a
// tail t_i with latency >= s_i + B_i + t_i (the remaining tail once its unit is free). For any
// subset S of the class's ops, the units carry sum_S B_i unit-cycles from min_S s_i on, so the
// last of them to free its unit does so at or after min_S r_i + ceil(sum_S B_i / C), and
//     latency >= min_S r_i + ceil(sum_S B_i / C) + min_S t_i.
// The maximum over all subsets is reached by a subset {i : r_i >= a, t_i >= b} (adding such an
// op keeps both minima and raises the sum), found exactly in O(n^2) over the pairs (a, b) or,
// for large classes, from below by the two sweeps with one threshold in O(n log n).
//
// Propagation. The same argument bounds a start: for op j and the ancestors S of j in one class
// (with d(i, j) the longest distance-0 path from s_i to s_j), s_j >= min_S r_i +
// ceil(sum_S B_i / C) + min_S (d(i, j) - B_i); heads are tightened in topological order, each
// from its ancestors' tightened heads, and tails symmetrically from descendants. This needs
// every pair (op, limited ancestor), so it runs only where that work is small (see
// LatencyBoundOptions).
//
// Time windows (destructive bound). A latency L gives every op a latest start L - tail_i; in any
// schedule within L, op i holds its unit over [s_i, s_i + B_i) with head_i <= s_i <= L - tail_i,
// so it covers at least min(left, right) cycles of a window [a, b), left and right its overlap
// when started at either end of that range. When the least such cover of some window exceeds
// C (b - a), no schedule fits L, and the bound rises to L + 1 (energetic reasoning, windows from
// the heads to the latest ends; O(n^3) per class and L, within LatencyBoundOptions::window_work).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/problem.hpp"

namespace gaus {

/// One op of a class as the energetic bound sees it.
struct EnergyJob {
  std::int64_t head = 0;  ///< r_i: no earlier start
  std::int64_t busy = 0;  ///< B_i > 0: unit-cycles it holds
  std::int64_t tail = 0;  ///< t_i: cycles after its unit is free until the end (may be < 0)
};

/// max over subsets S of min_S head + ceil(sum_S busy / units) + min_S tail (INT64_MIN for no
/// jobs). Exact (O(n^2)) when jobs.size() <= exact_max, else the larger of the head-threshold
/// and tail-threshold sweeps (O(n log n)), a lower value. Requires units >= 1, busy >= 1.
std::int64_t energy_bound(std::span<const EnergyJob> jobs, std::int64_t units,
                          std::size_t exact_max = 256);

struct LatencyBoundOptions {
  /// Classes (and per-op ancestor sets during propagation) up to this size get the exact O(n^2)
  /// subset maximum; larger ones the two O(n log n) sweeps.
  std::size_t exact_max = 256;
  /// The same for the per-op sets of the propagation (one per op and class).
  std::size_t propagation_exact_max = 32;
  /// Propagation runs when (ops holding a limited unit) x (ops + edges) is at most this, about
  /// a tenth of a second of work; 0 turns it off.
  double propagation_work = 3e7;
  /// The time-window checks run while their work, sum over classes of n_k^3 per latency
  /// checked, stays within this (about a second at most; 0 turns them off), and for classes up
  /// to exact_max ops only.
  double window_work = 2e8;
};

struct LatencyBound {
  std::int32_t value = 0;          ///< the bound: the largest of those below
  std::int32_t critical_path = 0;  ///< max_i ASAP_i + longest tail
  std::int32_t class_bound = 0;    ///< the best class's energetic bound on plain heads/tails
  std::int32_t bounding_class = -1;  ///< a class attaining class_bound (-1: none limited)
  /// With propagated heads and tails: max over ops of head + tail and over classes of the
  /// energetic bound (0 when propagation did not run).
  std::int32_t propagated = 0;
  bool propagation_ran = false;
  /// The least latency the time-window check does not refute, from the best of the above (0
  /// when the check did not run: a class above exact_max ops).
  std::int32_t windows = 0;

  /// What proves `value`, for messages: "the critical path", "unit class 'mul''s busy cycles
  /// with release times and tails", "release times and tails propagated through the unit
  /// classes", "energetic reasoning on time windows".
  [[nodiscard]] std::string kind(const Problem& p) const;
};

/// Lower bound on schedule_latency of every schedule that meets the distance-0 edges and the
/// unit limits (0 for no ops). Classes with limit 0 are skipped (no schedule exists; analyze()
/// reports them). Cost: O(n + m) plus per class O(n_k^2) or O(n_k log n_k), plus the
/// propagation where it runs (see LatencyBoundOptions).
LatencyBound latency_lower_bound(const Problem& p, const LatencyBoundOptions& o = {});

}  // namespace gaus
