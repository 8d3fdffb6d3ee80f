// A modulo-aware repair toward a smaller initiation interval (host/improve/modulo_repair.cpp):
// local search over the starts at a target II that keeps every edge met and drives the units
// held over the limits, per class and residue modulo II, to zero.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"

namespace gaus::detail {

struct ModuloRepairOptions {
  std::int64_t moves = 0;  ///< moves at most
  std::uint64_t seed = 1;
  /// The most ops one push may move (an op pushed past its frame moves the ops in the way).
  std::size_t push_limit = 64;
  /// Share of the moves that pick a random candidate instead of the best (escapes plateaus).
  double noise = 0.1;
  /// Moves after an op moves during which it is not moved again unless that lowers the
  /// overflow below the least seen (tabu tenure).
  std::int32_t tenure = 8;
};

struct ModuloRepairResult {
  bool repaired = false;      ///< `start` is now a modulo schedule at the II
  std::int64_t overflow = 0;  ///< the least overflow seen (0 when repaired)
  std::int64_t moves = 0;     ///< moves made
};

/// Rewrites `start` into starts that meet every edge at `ii` (s_j + distance * II >= s_i +
/// delay) and fit every limited class's units at each residue, when the search gets there.
/// First each start is raised to the least that meets the edges from the given starts (a
/// schedule at a larger II is a good start); then each move takes a random op of an
/// over-full cell to the best start of its frame or pushes it past the frame, moving the ops in
/// the way along their edges (min-conflicts with tabu and noise), every start within [0,
/// horizon - max(L, 1)]. Fails at once when `ii` is below a recurrence's bound or a start
/// leaves the horizon. `stop` is polled every 256 moves. Same inputs, same result. The caller
/// verifies what it is given.
ModuloRepairResult repair_modulo(const Problem& p, std::int32_t ii, std::int32_t horizon,
                                 std::vector<std::int32_t>& start, const ModuloRepairOptions& o,
                                 const std::function<bool()>& stop = {});

/// repair_modulo of `from` (a modulo schedule) at `ii`, over a horizon of twice from's latency
/// plus 4 II, with 200 moves per op (at least 2 x 10^5, at most 2 x 10^6): the schedule when
/// repaired and verified, else nullopt.
std::optional<Schedule> repair_at_ii(const Problem& p, const Schedule& from, std::int32_t ii,
                                     std::uint64_t seed, const std::function<bool()>& stop = {});

/// repair_at_ii from `best` to II - 1, then on from each result while it succeeds, down to
/// `lower` (seed + II for each II): the schedule at the smallest II reached, or `best`.
Schedule repair_ii_down(const Problem& p, Schedule best, std::int32_t lower, std::uint64_t seed,
                        const std::function<bool()>& stop = {});

}  // namespace gaus::detail
