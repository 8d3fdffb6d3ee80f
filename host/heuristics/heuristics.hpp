// Heuristic schedulers: ASAP, ALAP, resource-constrained list scheduling, iterative modulo
// scheduling (Rau's IMS) with a minimum-II search, and force-directed scheduling (Paulin &
// Knight). They are baselines in the benchmarks and initializers / legalizers for the gradient
// solver. All are deterministic: the same Problem and options give the same Schedule.
//
// Errors: a malformed option (a priority or release vector of the wrong length, a NaN priority,
// II <= 0) throws InputError; a problem that no schedule of the requested kind can satisfy (a
// horizon below the critical path, a unit class with limit 0 that an op must hold, more than
// 2^31 - 1 steps) throws InfeasibleError.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"

namespace gaus {

/// Every op at its earliest start over distance-0 edges, ignoring unit limits.
/// Result: horizon = the critical path, ii = 0.
Schedule asap_schedule(const Problem& p);

/// Every op at its latest start under `horizon` (0 = the critical path), ignoring unit limits.
/// Throws InfeasibleError when `horizon` is shorter than the critical path.
/// Result: horizon = the horizon used, ii = 0.
Schedule alap_schedule(const Problem& p, std::int32_t horizon = 0);

/// Options of list_schedule and modulo_list_schedule.
struct ListOptions {
  /// Per-op priority, lower = placed first (the solver passes its means mu). Empty: the ALAP
  /// start at the critical path (which is the critical path minus the op's longest path to a
  /// sink, so it already ranks by that path). Ties: ALAP start, then op index.
  std::vector<double> priority;
  /// Per-op earliest start (the solver passes round(mu)); negative entries count as 0.
  /// Empty: no release times.
  std::vector<std::int32_t> release;
  /// The horizon the caller wants (0 = none). List scheduling does not enforce it: the result is
  /// stamped with it (Schedule::horizon), so a result that overshoots fails verify() and has
  /// schedule_latency(p, s) > s.horizon. With 0 the result is stamped with its own latency.
  std::int32_t horizon = 0;
  /// Modulo scheduling only: at most budget_ratio * num_ops placements (Rau's BudgetRatio)
  /// before modulo_list_schedule gives up on an II.
  std::int32_t budget_ratio = 8;
};

/// The ops sorted by list-scheduling priority: by `priority` (lower first) when it is not
/// empty, then by ALAP start at the critical path, then by op index. Throws InputError when
/// `priority` has the wrong length or a NaN entry.
std::vector<op_id> priority_order(const Problem& p, const std::vector<double>& priority = {});

/// Resource-constrained list scheduling. Ops are taken in priority order among those whose
/// distance-0 predecessors are placed, and each goes to the earliest step >= max(its dependency
/// bound, its release) where its unit class has a free unit for all of its B_i busy cycles.
/// Loop-carried edges are ignored (ii = 0). The result obeys every distance-0 edge and every
/// unit limit by construction. Throws InfeasibleError when an op needs a unit of a class whose
/// limit is 0.
/// Cost: O(n + m + placement probes) (a radix sort of the priorities; no sort at all when no op
/// holds a limited unit); a per-class reservation table with skip pointers over full steps
/// keeps the probes near one per op even when a limit serializes the graph.
Schedule list_schedule(const Problem& p, const ListOptions& options = {});

/// Scratch memory of list_schedule, kept between calls by a caller that schedules the same
/// Problem again and again (the solver legalizes every E steps): the arrays are reused instead
/// of reallocated, the tie-break order (ALAP at the critical path, then op index) is computed
/// once per Problem, and the priority order of the last call is reused when the next call has
/// equal priorities (legalize's retry without releases). Results are those of list_schedule
/// without a workspace, bit for bit. One workspace serves one thread at a time. It recognizes
/// the Problem it last scheduled by address and size only, so call forget() (or use a fresh
/// workspace) once that Problem is modified or destroyed: a new Problem built at the same
/// address would otherwise inherit its cached order.
class ListWorkspace {
 public:
  ListWorkspace();
  /// Drops what the workspace keeps about the last Problem it scheduled.
  void forget();
  ~ListWorkspace();
  ListWorkspace(ListWorkspace&&) noexcept;
  ListWorkspace& operator=(ListWorkspace&&) noexcept;
  ListWorkspace(const ListWorkspace&) = delete;
  ListWorkspace& operator=(const ListWorkspace&) = delete;

  struct State;  ///< defined in host/heuristics/list_workspace.hpp
  [[nodiscard]] State& state() { return *state_; }

 private:
  std::unique_ptr<State> state_;
};

/// list_schedule with caller-owned scratch memory (see ListWorkspace); the same result.
Schedule list_schedule(const Problem& p, const ListOptions& options, ListWorkspace& workspace);

/// Iterative modulo scheduling (Rau, MICRO 1994) at initiation interval `ii` >= 1: ops are
/// placed in priority order at the earliest step that satisfies every placed predecessor
/// (s_j >= s_i + lambda_e - delta_e * ii) and fits the modulo reservation table (unit use folded
/// onto residues mod ii); when no step in one II-wide window fits, the op is forced in and the
/// ops it conflicts with (on its units, or placed successors whose edges it now breaks) are
/// evicted and rescheduled. Returns std::nullopt when options.budget_ratio * num_ops placements
/// do not reach a legal schedule, or when `ii` is provably too small (a self-loop, or one op
/// needing more units than its class has at some residue). A returned schedule is legal at
/// `ii`: every edge (loop-carried ones at `ii`) and every folded limit; its horizon is its
/// latency. Throws InfeasibleError when an op needs a unit of a class whose limit is 0 (no II
/// helps). Cost: O(placements * (ii * min(B, ii) + degree)).
std::optional<Schedule> modulo_list_schedule(const Problem& p, std::int32_t ii,
                                             const ListOptions& options = {});

/// Result of find_min_ii_schedule.
struct ModuloResult {
  Schedule schedule;          ///< legal at schedule.ii
  std::int32_t rec_mii = 0;   ///< recurrence bound (compute_rec_mii; 0 without recurrences)
  std::int32_t res_mii = 0;   ///< resource bound (compute_res_mii; 0 without limited classes)
  std::int32_t mii = 0;       ///< max(rec_mii, res_mii, 1)
  /// The first II tried: mii raised by ii_conflict_bound (host/bounds/ii_bound.hpp) where the
  /// loop has loop-carried edges; no smaller II has a schedule.
  std::int32_t first_ii = 0;
  std::int32_t max_ii = 0;    ///< the max_ii given, or the fallback II when none was
  std::int32_t attempts = 0;  ///< IIs tried with modulo_list_schedule
  bool fallback = false;      ///< IMS failed up to the fallback II; the list schedule is used
};

/// Smallest II found by modulo_list_schedule, trying II = mii, mii + 1, ... up to the fallback
/// II: the non-modulo list schedule is legal at any II no smaller than its latency, its last
/// busy cycle and every loop-carried edge's need, and is returned there when every smaller II
/// fails, so a result always exists. With max_ii > 0 the search also stops at max_ii and throws
/// InfeasibleError when nothing up to it works. Throws InfeasibleError when an op needs a unit
/// of a class whose limit is 0.
ModuloResult find_min_ii_schedule(const Problem& p, const ListOptions& options = {},
                                  std::int32_t max_ii = 0);

/// Force-directed scheduling (Paulin & Knight, TCAD 1989) under `horizon` (0 = the critical
/// path): time-constrained, it ignores unit limits and balances each class's distribution graph
/// to lower its peak concurrency. Each round recomputes every op's frame [ASAP, ALAP] around the
/// ops fixed so far, fixes ops with no mobility, and fixes the (op, step) pair of least total
/// force (self force plus the forces on its immediate distance-0 predecessors and successors).
/// An op holding its unit B_i > 1 cycles is spread over them in the distribution graph.
/// Loop-carried edges are ignored. Throws InfeasibleError when `horizon` is shorter than the
/// critical path. Cost: O(rounds * (n + m + classes * D + sum over free ops of
/// mobility * (1 + degree))) with rounds <= n; each force is O(1) from prefix sums of the
/// distribution graphs. Result: horizon = the horizon used, ii = 0.
/// With a finite `time_limit_s` (seconds), the ops still free when it runs out are fixed at the
/// earliest steps of their current frames (a legal schedule: the frames respect every fix so
/// far) and, when `unfinished` is given, their number is written there (0: FDS finished).
Schedule force_directed_schedule(const Problem& p, std::int32_t horizon = 0,
                                 double time_limit_s = HUGE_VAL, op_id* unfinished = nullptr);

/// A heuristic by name, as `gaus schedule --method M` and Python's gaus.schedule run it:
/// "asap", "alap" (at the horizon), "fds" (at the horizon, within `time_limit_s`) or "list" (the
/// horizon stamped; with an II, a modulo schedule at it, refused with the bound named when below
/// one: check_modulo_ii; with loop-carried edges and no II, the smallest II searched:
/// find_min_ii_schedule). `horizon` and `ii` 0 take the problem's. `label` receives how the
/// schedule was made ("list (modulo, II searched from 7)", ...). Throws InputError for another
/// method, InfeasibleError when the scheduler finds none.
Schedule run_heuristic(const Problem& p, const std::string& method, std::int32_t horizon,
                       std::int32_t ii, double time_limit_s, std::string& label);

}  // namespace gaus
