// A lower bound on formulation B's peak live memory at horizon D by one minimum cut per step
// (host/bounds/memory_cut_bound.cpp).
//
// For a schedule s and a step d let S_d = {i : s_i <= d}. Value i is live at d exactly when i is
// in S_d and one of its distance-0 consumers is not (host/verify/objectives.cpp: live over
// [s_i, max_j s_j)), so the memory at d is M(d) = sum of out_size[i] over such i. S_d is closed
// under distance-0 predecessors (delays are >= 0), holds every op with ALAP_i <= d and none with
// ASAP_i > d; conversely every such closed set is S_d of some schedule within D (ASAP starts in
// it, ALAP starts outside). So cut(d), the least M(d) over those sets, is the least memory any
// schedule within D holds at step d, a minimum s-t cut (project selection), and the peak of
// every schedule is at least max_d cut(d). cut(d) is at least the memory forced at d (values
// with ALAP_i <= d < max_j ASAP_j), so the bound subsumes the forced-lifetime bound.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "core/problem.hpp"

namespace gaus::detail {

struct MemoryCutOptions {
  /// Wall seconds the search may take (checked before the sweep and every 1,024 discharges in
  /// it); what was proved by then is returned. The network (about a tenth of a second per
  /// million ops and edges) is not built when the budget left looks too short for it.
  double time_budget_s = std::numeric_limits<double>::infinity();
  /// A bound known already (the counting bounds): the result is at least it, and steps that
  /// cannot exceed it are not cut.
  double known_bound = 0;
  /// Start times of schedules that meet the distance-0 edges within D (e.g. the best found so
  /// far): their memory at step d bounds cut(d) from above, which lets steps be skipped
  /// (ASAP and ALAP are always used). A schedule that breaks a rule only makes skips wrong,
  /// never the bound: a skipped step adds nothing.
  std::vector<const std::vector<std::int32_t>*> upper_schedules;
  /// Polled with the clock; true stops the search as the budget does.
  std::function<bool()> stop;
};

struct MemoryCutResult {
  double bound = 0;       ///< max(known_bound, cut(d) over the steps cut); a valid lower bound
  bool complete = false;  ///< every step cut or skipped: bound = max(known_bound, max_d cut(d))
  std::int32_t best_step = -1;     ///< the step whose cut gave the bound (-1: known_bound)
  std::int32_t steps_cut = 0;      ///< steps solved (the last one perhaps stopped)
  std::int32_t steps_skipped = 0;  ///< steps whose upper bound could not beat the bound
  double seconds = 0;
};

/// max(known_bound, max_d cut(d)) over the steps d = 0, 1, ... the budget allows: one
/// parametric max-flow sweep over the steps (host/bounds/parametric_flow.hpp), which solves only the
/// steps whose upper bound (the least memory of ASAP, ALAP and the upper schedules at d) lies
/// above the bound so far. Sizes that are not all integers are rounded down onto a binary grid
/// first (the bound stays valid). known_bound alone for D <= 0, no ops or D below the critical
/// path (no schedule at all). Deterministic when it completes.
MemoryCutResult memory_cut_bound(const Problem& p, std::int32_t horizon,
                                 const MemoryCutOptions& o = {});

/// cut(d): the least memory live at step d over all schedules within D, by one max flow on that
/// step's network alone (Dinic, host/bounds/max_flow.hpp): the reference the sweep is tested against.
double memory_cut_at(const Problem& p, std::int32_t horizon, std::int32_t step);

}  // namespace gaus::detail
