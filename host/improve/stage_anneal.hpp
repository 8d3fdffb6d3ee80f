// Simulated annealing of formulation A's score (100 * peak stage weight + binarized
// communication) on a legal schedule; see host/improve/stage_anneal.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/problem.hpp"
#include "host/improve/anneal_common.hpp"  // AnnealOptions, AnnealResult

namespace gaus::detail {

/// Anneals `start`, a schedule that meets every distance-0 edge, the horizon D and the unit
/// limits per step, toward a lower formulation_a_score: 100 * the peak over steps of the weight
/// starting there, plus the sum over distance-0 edges of positive weight of max(0, s_j - s_i).
/// Every move keeps those rules; the best schedule seen replaces `start` only when its exact
/// score is lower. Temperatures (AnnealOptions) are in units of the mean positive weight, the
/// acceptance's T in score units (100 per unit of weight). `stop` is polled every 4,096 moves.
/// Same inputs and seed, same result. A start outside D is left alone.
AnnealResult anneal_stage(const Problem& p, std::int32_t horizon,
                          std::vector<std::int32_t>& start, const AnnealOptions& o,
                          const std::function<bool()>& stop = {});

}  // namespace gaus::detail
