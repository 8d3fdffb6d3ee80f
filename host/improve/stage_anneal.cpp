// Formulation A: simulated annealing of a legal schedule's score, 100 * peak stage weight +
// binarized communication, by single-op moves: the discrete polish after the Gaussian descent.
//
// The same search as the memory annealing (host/improve/memory_anneal.cpp, the loop in
// host/improve/anneal_common.hpp) on another profile: W(d) = the weight of the ops starting at step d.
// A move of op i to t takes w_i from W(s_i) to W(t) and changes the gaps of i's own
// distance-0 edges of positive weight only, so it costs i's degree. The profile is scored by a
// soft maximum tt * log sum_d exp(W(d) / tt); a move's rise is 100 times the soft maximum's
// rise times S (the number of steps near the peak, which makes T mean the same on a plateau of
// any width) plus the rise of the communication, which is exact.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/timing.hpp"
#include "host/improve/anneal_common.hpp"
#include "host/verify/objectives.hpp"
#include "host/improve/soft_profile.hpp"
#include "host/improve/stage_anneal.hpp"

namespace gaus::detail {

namespace {

constexpr double kPeakScale = 100.0;  ///< formulation_a_score's weight of the peak

/// The annealing state: starts, the stage-weight profile, its soft-maximum sum and the
/// communication.
class StageAnnealer {
 public:
  StageAnnealer(const Problem& p, std::int32_t horizon, std::vector<std::int32_t> s, double tt)
      : p_(p), horizon_(horizon), s_(std::move(s)), arcs_(p, 0), w_(initial_profile(), tt, false) {
    for (edge_id e = 0; e < p.num_edges(); ++e)
      if (carries(e)) comm_ += std::max(0, s_[p.edge_dst[e]] - s_[p.edge_src[e]]);
  }

  [[nodiscard]] const std::vector<std::int32_t>& starts() const { return s_; }
  /// Whether op i starts at a step whose weight is at least `level` (moving it lowers that).
  [[nodiscard]] bool near(op_id i, double level) const { return w_[s_[i]] >= level; }
  [[nodiscard]] double peak() const { return w_.peak(); }
  /// The exact score of the state, 100 * peak + communication.
  [[nodiscard]] double score() const {
    return kPeakScale * w_.peak() + static_cast<double>(comm_);
  }
  void frame(op_id i, std::int32_t& lo, std::int32_t& hi) const {
    move_frame(p_, arcs_, horizon_, s_, i, lo, hi);
  }

  /// Moves op i to t and returns the rise of the score as the acceptance weighs it (above);
  /// undo() takes it back.
  double cost(op_id i, std::int32_t t) {
    w_.begin();
    moved_ = i;
    from_ = s_[i];
    // The gaps of i's edges: the inputs' grow with t, the outputs' shrink.
    std::int64_t dc = 0;
    for (edge_id q = p_.pred_offsets[i]; q < p_.pred_offsets[i + 1]; ++q) {
      const edge_id e = p_.pred_edges[q];
      if (!carries(e)) continue;
      const std::int32_t src = s_[p_.edge_src[e]];
      dc += std::max(0, t - src) - std::max(0, from_ - src);
    }
    for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e) {
      if (!carries(e)) continue;
      const std::int32_t dst = s_[p_.edge_dst[e]];
      dc += std::max(0, dst - t) - std::max(0, dst - from_);
    }
    dcomm_ = dc;
    comm_ += dc;
    s_[i] = t;
    const double w = p_.weight[i];
    if (w != 0) {
      w_.add(static_cast<std::size_t>(from_), -w);
      w_.add(static_cast<std::size_t>(t), w);
    }
    const double soft = w_.delta();
    return kPeakScale * soft * w_.width() + static_cast<double>(dc);
  }

  void undo() {
    w_.undo();
    s_[moved_] = from_;
    comm_ -= dcomm_;
  }

  /// Keeps the move: updates the exact peak from its changes.
  void accept() { w_.accept(); }

 private:
  /// Whether edge e counts toward communication_binary.
  [[nodiscard]] bool carries(edge_id e) const {
    return p_.edge_distance[e] == 0 && p_.edge_weight[e] > 0;
  }
  /// Stage weight per step of the starts.
  std::vector<double> initial_profile() const {
    std::vector<double> w(static_cast<std::size_t>(horizon_), 0.0);
    for (op_id i = 0; i < p_.num_ops(); ++i) w[static_cast<std::size_t>(s_[i])] += p_.weight[i];
    return w;
  }

  const Problem& p_;
  std::int32_t horizon_;
  std::vector<std::int32_t> s_;
  AnnealArcs arcs_;  ///< the edges, packed per op (move_frame)
  SoftPeakProfile w_;  ///< stage weight per step, its peak and soft maximum
  std::int64_t comm_ = 0, dcomm_ = 0;
  op_id moved_ = 0;
  std::int32_t from_ = 0;
};

}  // namespace

AnnealResult anneal_stage(const Problem& p, std::int32_t horizon,
                          std::vector<std::int32_t>& start, const AnnealOptions& o,
                          const std::function<bool()>& stop) {
  AnnealResult r;
  const op_id n = p.num_ops();
  if (n == 0 || horizon <= 0 || static_cast<op_id>(start.size()) != n || o.moves <= 0) return r;
  Schedule s;
  s.horizon = horizon;
  s.start = start;
  r.before = formulation_a_score(p, s);
  r.after = r.before;
  std::int32_t cells = horizon;  // the unit table's: steps up to the longest hold past D
  double weight = 0;
  std::int64_t weighing = 0;
  for (op_id i = 0; i < n; ++i) {
    if (start[i] < 0 || start[i] + occupancy(p, i) > horizon) return r;  // not within D
    // Any step a move may give i (up to D - max(L_i, 1)), plus its hold.
    cells = std::max(cells, horizon - occupancy(p, i) + p.blocking[i]);
    if (p.weight[i] > 0) {
      weight += p.weight[i];
      ++weighing;
    }
  }
  // Without weight the peak is 0 wherever the ops go; communication alone is still annealed,
  // its temperatures in steps.
  const double unit = weighing > 0 ? weight / static_cast<double>(weighing) : 0.01;
  StageAnnealer a(p, horizon, start, o.softmax * unit);
  UnitTable units(p, cells, 0, start);
  std::vector<std::int32_t> best = start;
  r.moves = anneal_loop(n, a, units, o, unit, kPeakScale * unit, stop, best, r.accepted);
  s.start = best;
  const double after = formulation_a_score(p, s);
  if (after < r.before) {
    start = std::move(best);
    r.after = after;
    r.improved = true;
  }
  return r;
}

}  // namespace gaus::detail
