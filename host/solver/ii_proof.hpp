// What is proven about a modulo schedule's initiation interval: the bound every schedule meets,
// max(ResMII, RecMII, 1) raised by the unit-conflict bound (host/bounds/ii_bound.hpp) and by
// the IIs an exact proof refuted (host/ilp/modulo_prove.hpp),
// and whether the schedule's II meets it. Reported with formulation C's results.
#pragma once

#include <cstdint>

#include "core/problem.hpp"

namespace gaus {

/// max(compute_res_mii, compute_rec_mii, 1) (graphs/analysis.hpp), raised to
/// ii_conflict_bound from there when the problem has loop-carried edges.
std::int32_t ii_lower_bound(const Problem& p);

struct IiProof {
  std::int32_t lower_bound = 1;  ///< no modulo schedule has a smaller II
  bool proven_minimal = false;   ///< the schedule is legal and its II meets lower_bound
};

/// For a schedule at `ii` (legal or not): ii_lower_bound(p), or `refuted_below` when a proof
/// refuted every II below that (0: none).
IiProof ii_proof(const Problem& p, std::int32_t ii, bool legal, std::int32_t refuted_below = 0);

}  // namespace gaus
