// Scheduling a CIRCT problem class (docs/circt.md): the smallest II for the cyclic classes, then
// the smallest start time of one operation (the "last" op, CIRCT's objective), on the Problem
// that graphs/ssp/ssp_problem.hpp builds from an SSP instance.
//
//   Problem, Chaining                 every op at its earliest start: optimal (no limits).
//   Cyclic, ChainingCyclic            II = the recurrence bound, every op at its earliest start
//                                     at that II (longest paths): optimal.
//   SharedOperators                   the ops that precede the last op (over the dependences)
//                                     are scheduled alone, minimizing their latency, which is the
//                                     last op's start plus its own occupancy: the gradient
//                                     solver's rcs formulation (or list scheduling); the other
//                                     ops follow by list scheduling around them. Optimal when
//                                     the latency meets its lower bound.
//   Modulo                            the smallest II iterative modulo scheduling reaches from
//                                     max(ResMII, RecMII), then the best of two priority
//                                     orders for the last op's start, each compacted (every op
//                                     moved to its earliest step with a free unit in its
//                                     residue); optimal when both meet their bounds.
// host/ilp/prove_ssp.hpp proves or improves the two limited classes with CBC (`--prove`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "graphs/ssp/ssp.hpp"
#include "host/verify/verify.hpp"

namespace gaus::ssp {

struct SolveSspOptions {
  double time_limit_s = 10;  ///< SharedOperators: the gradient solver's time
  std::uint64_t seed = 1;
  bool gradient = true;      ///< SharedOperators: false = list scheduling only
};

struct SolveSspResult {
  Schedule schedule;          ///< t per op, z with chaining, ii for the cyclic classes
  op_id last = -1;            ///< the op whose start is minimized
  std::int32_t last_start = 0;
  std::int32_t last_start_lower_bound = 0;  ///< at this II
  /// Cyclic classes: max(ResMII, RecMII, 1), raised for Modulo by the unit-conflict bound
  /// (host/bounds/ii_bound.hpp) and by the IIs CBC refuted.
  std::int32_t ii_lower_bound = 0;
  bool ii_proven_minimal = false;           ///< cyclic classes: ii == ii_lower_bound
  bool optimal = false;  ///< the II and the last op's start both meet their bounds
  std::string method;    ///< how the schedule was made, for the report
  VerifyResult verification;
};

/// Schedules `p` (the Problem of an instance of class `cls`) minimizing the start of `last`.
/// Throws InfeasibleError when no schedule exists (a resource type with limit 0 in use).
SolveSspResult solve_ssp(const Problem& p, ProblemClass cls, op_id last,
                         const SolveSspOptions& o = {});


/// The ops `last` depends on through distance-0 edges, `last` included: 1 per op in the set.
std::vector<char> predecessors_of(const Problem& p, op_id last);

/// The sub-problem of the ops marked in `keep`, in their order, with the edges among them (the
/// same delays, distances and flags) and the same unit classes and limits. Its op k is the k-th
/// kept op of `p`.
Problem subproblem(const Problem& p, const std::vector<char>& keep);

/// Completes `part` (a legal schedule of subproblem(p, keep)) into a schedule of p: the kept ops
/// where `part` puts them, the others by list scheduling around them (p without loop-carried
/// edges and without an II).
Schedule complete_schedule(const Problem& p, const std::vector<char>& keep, const Schedule& part);

/// The result's verdicts for `s` (legal or not): last_start, the verification, optimal against
/// the bounds already in `r`.
void finish(const Problem& p, SolveSspResult& r);

}  // namespace gaus::ssp
