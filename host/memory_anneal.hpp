// Simulated annealing of peak (modulo) live memory on a legal schedule (formulations B and C);
// see host/memory_anneal.cpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/problem.hpp"

namespace gaus::detail {

struct AnnealOptions {
  std::int64_t moves = 0;  ///< proposed single-op moves
  std::uint64_t seed = 1;
  /// Temperatures in units of the mean stored value b: the move acceptance's T falls
  /// geometrically from t_start to t_end (against the score's rise times the number of steps
  /// near the peak, so that a long horizon with a wide plateau anneals like a short one); the
  /// soft maximum scoring a profile has temperature `softmax`.
  double t_start = 2.0;
  double t_end = 0.02;
  double softmax = 2.0;
  /// Half the moves favour ops whose start step holds memory within `focus` of the peak.
  double focus = 4.0;
  /// Seconds the run may take: after timing its first moves it proposes only as many as fit
  /// (cooling over them all); infinite: exactly `moves`, so the result depends on the seed only.
  double time_budget_s = HUGE_VAL;
};

struct AnnealResult {
  bool improved = false;     ///< the exact peak fell and `start` was rewritten
  double before = 0;         ///< exact peak (modulo) memory of the start
  double after = 0;          ///< of the result (= before when not improved)
  std::int64_t moves = 0;    ///< moves proposed (fewer than asked when `stop` ended it)
  std::int64_t accepted = 0;
};

/// Anneals `start`, a schedule that meets every distance-0 edge (every edge at II when ii > 0),
/// the horizon D and the unit limits (per step, or per residue of II), toward lower peak live
/// memory (folded onto residues at II). Every move keeps those rules; the best schedule seen
/// replaces `start` only when its exact peak is lower. `stop` is polled every 4,096 moves.
/// Same inputs and seed, same result. A start outside D is left alone.
AnnealResult anneal_memory(const Problem& p, std::int32_t horizon, std::int32_t ii,
                           std::vector<std::int32_t>& start, const AnnealOptions& o,
                           const std::function<bool()>& stop = {});

}  // namespace gaus::detail
