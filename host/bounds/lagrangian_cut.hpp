// Formulation B by Lagrangian relaxation and minimum cuts (the method of Mohring, Schulz, Stork
// and Uetz, "Solving project scheduling problems by minimum cut computations", Management
// Science 49(3), 2003, applied to peak live memory).
//
// With x(i, d) = [s_i <= d], every rule of a schedule without unit limits is a closure
// constraint: x(i, d) <= x(i, d + 1) (a start is one step), x(j, d) <= x(i, d - lambda_e) for each
// distance-0 edge e = (i -> j), x(i, d) = 0 below ASAP_i and 1 from ALAP_i(D). The memory live at
// step d, M(d) = sum_i b_i [s_i <= d < max_j s_j], is a sum of terms b_i [x(i, d) and not every
// x(j, d)], each a cut arc through one auxiliary node. So for step weights w >= 0 with
// sum_d w_d = 1, minimizing sum_d w_d M(d) over every legal schedule is one minimum s-t cut of
// the time-expanded graph, and
//   min over s of max_d M_s(d)  >=  max over w of min over s of sum_d w_d M_s(d),
// so every cut value is a lower bound on the optimum peak, and the minimizing cut is itself a
// legal schedule (an upper bound). Step weights move toward the steps where the last cut's
// schedule peaks (exponentiated subgradient ascent, its step halved whenever 3 rounds bring no
// better bound), which raises the bound and pulls the schedules' peaks down.
//
// Size: one node per (op, step) in the op's frame, plus one per (value, step) where more than
// one of its consumers may still start; its cost grows with the frames (sum of mobilities), not
// with ops x D. EPFL arbiter (12,095 ops, D = 87): 48,018 nodes, a cut in milliseconds, and
// the bound meets the schedule (576) within 30 rounds.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/problem.hpp"

namespace gaus::detail {

struct CutSearchOptions {
  std::int32_t horizon = 0;        ///< D (>= the critical path)
  std::int32_t max_rounds = 40;    ///< cuts at most
  double step = 1.0;               ///< subgradient step scale (halved after 3 rounds without gain)
  std::int64_t max_arcs = 8'000'000;  ///< larger time-expanded graphs are not built
};

struct CutSearchResult {
  bool ran = false;          ///< false: the graph would exceed max_arcs (nothing computed)
  std::int32_t rounds = 0;   ///< cuts computed
  /// Of the time-expanded graph (when it was not built: arcs 0, nodes the ops' frame steps).
  std::int64_t nodes = 0, arcs = 0;
  /// The best of the rounds' bounds on the least peak live memory of any legal schedule at D
  /// (rounded up when every stored size is an integer); 0 when no round finished.
  double lower_bound = 0;
};

/// Runs up to max_rounds cuts. After each, `schedule(start)` receives the cut's schedule (legal
/// for distance-0 edges and D; unit limits are not modelled) and returns its exact peak memory
/// (or a better one the caller found from it), which the caller may also keep; the search stops
/// when the bound reaches the best value returned, or when `stop()` says so (checked before the
/// graph is built and before each cut; a cut itself runs to its end). Deterministic for the same inputs and rounds.
CutSearchResult lagrangian_cut_search(
    const Problem& p, const CutSearchOptions& o,
    const std::function<double(const std::vector<std::int32_t>&)>& schedule,
    const std::function<bool()>& stop);

}  // namespace gaus::detail
