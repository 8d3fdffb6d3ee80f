// Formulation A: simulated annealing of a legal schedule's score, 100 * peak stage weight +
// binarized communication, by single-op moves: the discrete polish after the Gaussian descent.
//
// The same search as the memory annealing (host/memory_anneal.cpp, the loop in
// host/anneal_common.hpp) on another profile: W(d) = the weight of the ops starting at step d.
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
#include "host/anneal_common.hpp"
#include "host/objectives.hpp"
#include "host/stage_anneal.hpp"

namespace gaus::detail {

namespace {

constexpr double kPeakScale = 100.0;  ///< formulation_a_score's weight of the peak

/// The annealing state: starts, the stage-weight profile, its soft-maximum sum and the
/// communication.
class StageAnnealer {
 public:
  StageAnnealer(const Problem& p, std::int32_t horizon, std::vector<std::int32_t> s, double tt)
      : p_(p), horizon_(horizon), s_(std::move(s)), tt_(tt),
        w_(static_cast<std::size_t>(horizon), 0.0) {
    for (op_id i = 0; i < p.num_ops(); ++i) w_[s_[i]] += p.weight[i];
    for (edge_id e = 0; e < p.num_edges(); ++e)
      if (carries(e)) comm_ += std::max(0, s_[p.edge_dst[e]] - s_[p.edge_src[e]]);
    rescore();
  }

  [[nodiscard]] const std::vector<std::int32_t>& starts() const { return s_; }
  /// Whether op i starts at a step whose weight is at least `level` (moving it lowers that).
  [[nodiscard]] bool near(op_id i, double level) const { return w_[s_[i]] >= level; }
  [[nodiscard]] double peak() const { return peak_; }
  /// The exact score of the state, 100 * peak + communication.
  [[nodiscard]] double score() const { return kPeakScale * peak_ + static_cast<double>(comm_); }
  void frame(op_id i, std::int32_t& lo, std::int32_t& hi) const {
    move_frame(p_, horizon_, 0, s_, i, lo, hi);
  }

  /// Moves op i to t and returns the rise of the score as the acceptance weighs it (above);
  /// undo() takes it back.
  double cost(op_id i, std::int32_t t) {
    rescored_ = false;
    moved_ = i;
    from_ = s_[i];
    ncells_ = 0;
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
    const double s_before = sum_;
    const double w = p_.weight[i];
    if (w != 0) {
      change(from_, -w);
      change(t, w);
    }
    const double soft = soft_delta(s_before);
    return kPeakScale * soft * width() + static_cast<double>(dc);
  }

  void undo() {
    for (int k = ncells_ - 1; k >= 0; --k) w_[cells_[k].cell] = cells_[k].before;
    s_[moved_] = from_;
    comm_ -= dcomm_;
    sum_ = sum_before_;
    if (rescored_) rescore();  // the peak was scanned with the move in place
  }

  /// Keeps the move: updates the exact peak from its changes.
  void accept() {
    for (int k = 0; k < ncells_ && !rescored_; ++k) {
      const Cell& c = cells_[k];
      if (c.before == peak_) --at_peak_;
      if (c.after > peak_) {
        peak_ = c.after;
        at_peak_ = 1;
      } else if (c.after == peak_) {
        ++at_peak_;
      }
    }
    if (at_peak_ <= 0) scan_peak();
    if (++accepted_ % 4096 == 0) rescore();  // bounds the drift of the running sum
  }

 private:
  struct Cell {
    std::int32_t cell;
    double before, after;
  };
  /// Whether edge e counts toward communication_binary.
  [[nodiscard]] bool carries(edge_id e) const {
    return p_.edge_distance[e] == 0 && p_.edge_weight[e] > 0;
  }
  /// S = sum_d exp((W(d) - ref) / tt), ref the peak at the last rescore: about the number of
  /// steps at the peak (the running sum before the current move).
  [[nodiscard]] double width() const { return sum_before_ > 0 ? sum_before_ : sum_; }
  void change(std::int32_t d, double w) {
    cells_[ncells_++] = {d, w_[d], w_[d] + w};
    w_[d] += w;
  }
  [[nodiscard]] double term(double v) const { return std::exp(std::min((v - ref_) / tt_, 700.0)); }
  /// The soft maximum's change for the cells changed since the move began.
  double soft_delta(double s_before) {
    sum_before_ = s_before;
    double d = 0;
    for (int k = 0; k < ncells_; ++k) d += term(cells_[k].after) - term(cells_[k].before);
    const double s_after = sum_ + d;
    if (!(s_after > 0)) {  // cancellation: score the profile afresh
      const double old = tt_ * std::log(sum_) + ref_;
      rescore();
      rescored_ = true;
      sum_before_ = std::exp((old - ref_) / tt_);
      return tt_ * std::log(sum_) + ref_ - old;
    }
    sum_ = s_after;
    return tt_ * (std::log(s_after) - std::log(s_before));
  }
  void scan_peak() {
    peak_ = -HUGE_VAL;
    at_peak_ = 0;
    for (const double v : w_) {
      if (v > peak_) {
        peak_ = v;
        at_peak_ = 1;
      } else if (v == peak_) {
        ++at_peak_;
      }
    }
  }
  void rescore() {
    scan_peak();
    ref_ = peak_;
    sum_ = 0;
    for (const double v : w_) sum_ += term(v);
  }

  const Problem& p_;
  std::int32_t horizon_;
  std::vector<std::int32_t> s_;
  double tt_;
  std::vector<double> w_;
  Cell cells_[2] = {};
  int ncells_ = 0;
  std::int64_t comm_ = 0, dcomm_ = 0;
  op_id moved_ = 0;
  std::int32_t from_ = 0;
  double ref_ = 0, sum_ = 0, sum_before_ = 0;
  double peak_ = 0;
  std::int64_t at_peak_ = 0, accepted_ = 0;
  bool rescored_ = false;  ///< the current move rescored the profile
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
