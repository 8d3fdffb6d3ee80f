// Schedule analysis of a Problem: ASAP/ALAP frames at a horizon, levels, and the two lower
// bounds on the initiation interval (recurrences and unit classes). Used by `gaus info`, the
// solver's initialization and the modulo search.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/problem.hpp"

namespace gaus {

/// A dependence cycle (it crosses at least one loop-carried edge, as every cycle does).
struct RecurrenceCycle {
  std::vector<op_id> ops;      ///< ops in cycle order
  std::vector<edge_id> edges;  ///< edges[k] goes ops[k] -> ops[(k + 1) % size]
  std::int64_t delay = 0;      ///< sum of lambda_e over the cycle
  std::int64_t distance = 0;   ///< sum of delta_e over the cycle (> 0)
};

struct Analysis {
  std::int32_t critical_path = 0;  ///< ASAP finish over distance-0 edges (timing.hpp)
  std::int32_t horizon = 0;        ///< D the ALAP starts are computed for
  std::vector<std::int32_t> asap;      ///< earliest starts
  std::vector<std::int32_t> alap;      ///< latest starts under `horizon`
  std::vector<std::int32_t> mobility;  ///< alap - asap (>= 0)
  /// Longest path to the op over distance-0 edges, counted in ops (0 for an op without
  /// distance-0 predecessors). Independent of delays: the ICML 2024 stage index.
  std::vector<std::int32_t> level;
  /// max level + 1 (0 without ops): the number of ops on the longest path, the default horizon
  /// of formulation A.
  std::int32_t num_levels = 0;
  /// Recurrence bound: the smallest integer II with lambda_e - delta_e * II summing to <= 0
  /// around every cycle, i.e. max over cycles of ceil(sum lambda / sum delta); 0 without cycles.
  std::int32_t rec_mii = 0;
  /// Resource bound: max over limited classes k of ceil(sum_{i in k} B_i / C_k); 0 when no
  /// limited class is used.
  std::int32_t res_mii = 0;
  RecurrenceCycle rec_cycle;      ///< a cycle attaining rec_mii (empty when rec_mii == 0)
  std::int32_t res_mii_class = -1;  ///< a class attaining res_mii (-1 when res_mii == 0)
};

/// Analyzes `p` at horizon D = `horizon`, or p.horizon when 0, or the critical path when both
/// are 0. Cost O(n + m), plus the recurrence bound when there are loop-carried edges (see
/// compute_rec_mii). Throws InfeasibleError when D is shorter than the critical path (naming the
/// op that cannot finish and where its critical chain starts) or when a class with limit 0 is
/// needed by an op that holds a unit (no schedule exists at any horizon or II).
Analysis analyze(const Problem& p, std::int32_t horizon = 0);

/// The recurrence bound (Analysis::rec_mii), exact: a search over integer II where each probe is
/// a positive-cycle test (labels in 64-bit integers, Tarjan's subtree disassembly) on the strongly
/// connected components (Boost.Graph) that contain loop-carried edges; an infeasible probe yields
/// a cycle whose exact ratio raises the lower bound. Without loop-carried edges it returns 0 in
/// O(m). Fills `critical` (when given) with a cycle attaining the bound. Saturates at INT32_MAX.
std::int32_t compute_rec_mii(const Problem& p, RecurrenceCycle* critical = nullptr);

/// The resource bound (Analysis::res_mii); `bounding_class` (when given) receives a class that
/// attains it, or -1. Throws InfeasibleError when a class with limit 0 is used by an op with
/// B_i > 0. Saturates at INT32_MAX.
std::int32_t compute_res_mii(const Problem& p, std::int32_t* bounding_class = nullptr);

/// The least start times of `p` at initiation interval `ii` (0: distance-0 edges only) over its
/// edges alone, unit limits ignored, each at least its entry of `floor` (when given; 0
/// otherwise): longest paths, edge e weighing lambda_e - delta_e * II, by passes in topological
/// order. Empty when `ii` is below the recurrence bound (they still rise after n passes);
/// InfeasibleError when a start passes 2^30.
std::vector<std::int32_t> earliest_starts(const Problem& p, std::int32_t ii,
                                          std::span<const std::int32_t> floor = {});

/// Throws InputError when ii < 1, and InfeasibleError when ii is below the recurrence bound
/// (naming the ops of a critical cycle, its delay and distance) or the resource bound (naming
/// the class, its busy cycles and units). The first form computes both bounds.
void check_ii(const Problem& p, std::int32_t ii);
void check_ii(const Problem& p, const Analysis& a, std::int32_t ii);

}  // namespace gaus
