// A discrete repair of rcs candidates (host/improve/rcs_repair.cpp): forward-backward improvement
// (double justification) and a perturbed list-scheduling search around a legal schedule, used by
// solve_rcs to push a descent's legalized candidate below the horizon it could not reach.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/problem.hpp"

namespace gaus::detail {

/// Serial schedule generation on one Problem (distance-0 edges, unit limits with each op holding
/// its unit for its B_i busy cycles), forwards and backwards, with its scratch memory kept from
/// one call to the next. The schedules it makes obey the edges and limits by construction; the
/// caller still verifies what it reports.
class RcsRepair {
 public:
  /// Precomputes p's distance-0 arcs and limited classes; p must outlive the object.
  explicit RcsRepair(const Problem& p);

  /// Whether the passes apply: p has no class with limit 0 that an op holds (list scheduling
  /// rejects such a problem) and at least one limited class (otherwise ASAP is optimal).
  [[nodiscard]] bool usable() const { return usable_; }

  /// Forward pass: among the ops whose predecessors are placed, the one of least key (then
  /// the lower topological rank) goes to the earliest step at or after its dependency bound
  /// where its class has a free unit for its B_i cycles. Writes `start`, returns the latency.
  std::int32_t forward(std::span<const double> key, std::vector<std::int32_t>& start);

  /// Double justification (Valls et al. 2005): the ops are right-justified against the
  /// latency in order of decreasing finish, then left-justified in order of the new starts,
  /// while that shortens the schedule. Rewrites `start` (legal on entry, legal on return, never
  /// longer) and returns its latency.
  std::int32_t justify(std::vector<std::int32_t>& start);

  /// Iterated perturbed list scheduling from a legal `start`: each move list-schedules the
  /// ops in the order of the incumbent's starts plus seeded noise (up to `noise` steps), then
  /// justifies the result; a move that is no longer (fewer ops finishing in the last step
  /// breaking ties) becomes the incumbent, so the search can walk along a plateau. Stops after
  /// `moves` moves, when the latency is <= `target`, or when `stop()` says so (checked every
  /// few moves). Rewrites `start` with the best schedule found and returns its latency.
  std::int32_t search(std::vector<std::int32_t>& start, std::int32_t target, std::uint64_t seed,
                      std::int64_t moves, double noise, const std::function<bool()>& stop);

  /// Moves made by the searches so far (a measure of the work done).
  [[nodiscard]] std::int64_t moves_made() const { return moves_made_; }

 private:
  /// Backward pass at latency T: ops in order of least key, each at the latest step that lets
  /// its placed successors keep their starts, ends by T and has a free unit. Returns the least
  /// start (<= 0 is possible only when the pass needs more than T steps).
  std::int32_t backward(std::span<const double> key, std::int32_t horizon,
                        std::vector<std::int32_t>& start);
  /// Earliest index >= from in class k's profile (in the pass's time direction) with a free
  /// unit over [index, index + len); reserves it.
  std::int32_t place(std::int32_t k, std::int32_t from, std::int32_t len);
  void clear_profiles();
  [[nodiscard]] std::int32_t latency(const std::vector<std::int32_t>& start) const;
  /// Ops that finish in the last step of `start` (the search's tie-break: fewer is closer to a
  /// shorter schedule).
  [[nodiscard]] std::int32_t tail(const std::vector<std::int32_t>& start, std::int32_t lat) const;

  const Problem& p_;
  bool usable_ = true;
  std::vector<std::int32_t> occ_, busy_, cls_, limit_, rank_;
  std::vector<std::int32_t> succ_begin_, succ_dst_, succ_delay_;
  std::vector<std::int32_t> pred_begin_, pred_src_, pred_delay_;
  std::vector<std::vector<std::int32_t>> profile_;  ///< units busy per step, per class
  std::vector<std::int32_t> waiting_, bound_, tmp_start_;
  std::vector<double> key_;
  std::vector<std::pair<double, std::int32_t>> heap_;
  std::int64_t moves_made_ = 0;
};

}  // namespace gaus::detail
