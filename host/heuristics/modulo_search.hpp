// The minimum-II search of iterative modulo scheduling with several priority functions
// (find_min_ii_schedule, declared in heuristics.hpp) and its parts: the priorities at a
// candidate II and the IMS attempt that reports the placements it spent.
//
// Priorities (B. R. Rau, MICRO 1994; J. Llosa et al., "Swing Modulo Scheduling", PACT 1996):
//   alap        ALAP start at the critical path over distance-0 edges (the list scheduler's)
//   height      Rau's HeightR at II: the longest path to a sink over all edges, edge e weighing
//               lambda_e - delta_e * II; higher first
//   slack       mobility at II (the longest path through the op over all edges, II-weighted,
//               against the longest overall): least slack first, then earliest start
//   recurrence  ops on recurrence circuits (strongly connected components with a loop-carried
//               edge) first, then the rest; each part by slack, then earliest start
//   blocking    ops that hold their unit more than one cycle first (most busy cycles first),
//               then by slack: non-pipelined units are the hardest cells of the table to fill
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "host/heuristics/heuristics.hpp"

namespace gaus {

enum class ModuloPriority : std::uint8_t { alap, height, slack, recurrence, blocking };

/// Every priority, in the order the search tries them at each II.
inline constexpr ModuloPriority kModuloPriorities[] = {
    ModuloPriority::alap, ModuloPriority::height, ModuloPriority::slack,
    ModuloPriority::recurrence, ModuloPriority::blocking};

/// "alap", "height", "slack", "recurrence", "blocking".
const char* modulo_priority_name(ModuloPriority kind);

/// The per-op priority of `kind` at `ii` >= 1 for ListOptions::priority (lower first; ranks
/// 0..n-1, ties by op index), or an empty vector for alap (the list scheduler's own order).
/// Below RecMII the II-weighted longest paths do not converge; they stop after n passes, which
/// still gives an order. Cost O(passes * (n + m)), passes <= n (a few on loops whose
/// recurrences are short chains of loop-carried edges).
std::vector<double> modulo_priority(const Problem& p, ModuloPriority kind, std::int32_t ii);

/// modulo_list_schedule, adding the placements it made to `placements`.
std::optional<Schedule> modulo_list_schedule_counted(const Problem& p, std::int32_t ii,
                                                     const ListOptions& options,
                                                     std::int64_t& placements);

/// The default work cap of find_min_ii_schedule's extra attempts (the priorities past the
/// first, and the second pass below the II found), in placements: 2,000 per op, at least 10^6
/// and at most 2 * 10^7 (about 10 s on the largest graphs).
std::int64_t modulo_search_work(const Problem& p);

/// What the extra attempts of find_min_ii_schedule may spend. The first priority's pass at
/// Rau's budget is never cut, so the search always ends at an II no larger than
/// single-priority IMS reaches, and always returns a schedule where that would.
struct ModuloSearchLimits {
  std::int64_t work = -1;  ///< placements; -1: modulo_search_work(p)
  /// Asked before each extra attempt; true ends them. Empty: never (the search is then
  /// deterministic: the same problem and options give the same schedule).
  std::function<bool()> stop;
};

/// find_min_ii_schedule (heuristics.hpp) under explicit limits: the solver passes a clock.
ModuloResult find_min_ii_schedule(const Problem& p, const ListOptions& options,
                                  std::int32_t max_ii, const ModuloSearchLimits& limits);

}  // namespace gaus
