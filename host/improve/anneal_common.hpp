// What the simulated annealers of a legal schedule share (host/improve/memory_anneal.cpp for B and C,
// host/improve/stage_anneal.cpp for A): options and result, the random source, the unit table of the
// limited classes, an op's frame and the annealing loop itself. Internal to the host library.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/problem.hpp"
#include "core/timing.hpp"

namespace gaus::detail {

struct AnnealOptions {
  std::int64_t moves = 0;  ///< proposed single-op moves
  std::uint64_t seed = 1;
  /// Temperatures in units of the objective's natural unit (the mean stored value b for
  /// memory, the mean positive weight w for A): the move acceptance's T falls geometrically
  /// from t_start to t_end (against the score's rise times the number of steps near the peak,
  /// so that a long horizon with a wide plateau anneals like a short one); the soft maximum
  /// scoring a profile has temperature `softmax`.
  double t_start = 2.0;
  double t_end = 0.02;
  double softmax = 2.0;
  /// Moves per op a run needs to anneal from t_start; a run with fewer starts cooler, at
  /// t_start times their ratio (at least a tenth): on a large graph a hot start is never
  /// cooled out in the time (EPFL hyp, 214,591 ops, about two moves per op in a second: 1,678
  /// from t_start = 2, 1,599 from 0.2; multiplier, 75 per op: 401 and 377). Below 0: always
  /// t_start; 0: the annealer's own default (anneal_memory: 300; anneal_stage: always t_start).
  double equilibrium = 0;
  /// Half the moves favour ops whose start step is within `focus` units of the peak.
  double focus = 4.0;
  /// Seconds the run may take: it cools over whichever of `moves` and this budget runs out
  /// first, ending there; infinite: exactly `moves`, so the result depends on the seed only.
  double time_budget_s = HUGE_VAL;
};

struct AnnealResult {
  bool improved = false;     ///< the exact objective fell and `start` was rewritten
  double before = 0;         ///< exact objective of the start
  double after = 0;          ///< of the result (= before when not improved)
  std::int64_t moves = 0;    ///< moves proposed (fewer than asked when `stop` ended it)
  std::int64_t accepted = 0;
};

/// splitmix64: small, fast and seedable; the search's only source of randomness.
class Rng {
 public:
  /// Seeds n and n + 1 must not give shifted copies of one sequence: the seed is mixed first.
  explicit Rng(std::uint64_t seed) : x_(seed) { x_ = next(); }
  std::uint64_t next() {
    std::uint64_t z = (x_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [0, n), n > 0.
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>((next() >> 33) % static_cast<std::uint64_t>(n));
  }

 private:
  std::uint64_t x_;
};

/// Units in use per (limited class, cell): cells are steps (width D plus the longest hold past
/// it) or, at an II, residues, where a hold of B cycles covers B cells, wrapping.
class UnitTable {
 public:
  UnitTable(const Problem& p, std::int32_t cells, std::int32_t ii,
            const std::vector<std::int32_t>& start)
      : p_(p), cells_(cells), ii_(ii), slot_(p.resources.size(), -1) {
    std::int32_t limited = 0;
    for (std::size_t k = 0; k < p.resources.size(); ++k)
      if (p.resources[k].limit >= 0) slot_[k] = limited++;
    use_.assign(static_cast<std::size_t>(limited) * static_cast<std::size_t>(cells_), 0);
    for (op_id i = 0; i < p.num_ops(); ++i) add(i, start[i], 1);
  }
  [[nodiscard]] bool tracked(op_id i) const {
    const std::int32_t k = p_.op_resource[i];
    return k >= 0 && p_.blocking[i] > 0 && slot_[k] >= 0;
  }
  void add(op_id i, std::int32_t t, std::int32_t delta) {
    if (!tracked(i)) return;
    std::int32_t* row = row_of(i);
    for (std::int32_t b = 0; b < p_.blocking[i]; ++b) row[cell(t + b)] += delta;
  }
  /// Whether every cell op i covers at t is within its class's limit (i already added there).
  [[nodiscard]] bool within(op_id i, std::int32_t t) {
    if (!tracked(i)) return true;
    const std::int32_t* row = row_of(i);
    const std::int32_t limit = p_.resources[p_.op_resource[i]].limit;
    for (std::int32_t b = 0; b < p_.blocking[i]; ++b)
      if (row[cell(t + b)] > limit) return false;
    return true;
  }

 private:
  [[nodiscard]] std::int32_t cell(std::int32_t d) const { return ii_ > 0 ? d % ii_ : d; }
  std::int32_t* row_of(op_id i) {
    return use_.data() +
           static_cast<std::size_t>(slot_[p_.op_resource[i]]) * static_cast<std::size_t>(cells_);
  }
  const Problem& p_;
  std::int32_t cells_, ii_;
  std::vector<std::int32_t> slot_;
  std::vector<std::int32_t> use_;
};

/// The edges the annealers read, packed per op so that a move touches one run of memory instead
/// of the edge arrays through pred_edges (EPFL hyp: most of an annealing run's time went to
/// those cache misses). Each op's arcs are, in order: predecessors over distance-0 edges, over
/// other edges, then successors over distance-0 edges, over other edges, each as (the other op,
/// lag = delay - distance * II), in the edge lists' order. Without an II (ii = 0) edges of
/// distance > 0 are left out: they constrain nothing then.
class AnnealArcs {
 public:
  struct Arc {
    op_id other;
    std::int32_t lag;
  };
  AnnealArcs(const Problem& p, std::int32_t ii) {
    const op_id n = p.num_ops();
    head_.reserve(4 * static_cast<std::size_t>(n) + 1);
    for (op_id i = 0; i < n; ++i) {
      for (const bool carried : {false, true}) {
        head_.push_back(static_cast<std::int32_t>(arcs_.size()));
        if (carried && ii == 0) continue;
        for (edge_id q = p.pred_offsets[i]; q < p.pred_offsets[i + 1]; ++q) {
          const edge_id e = p.pred_edges[q];
          if ((p.edge_distance[e] != 0) == carried)
            arcs_.push_back({p.edge_src[e], p.edge_delay[e] - p.edge_distance[e] * ii});
        }
      }
      for (const bool carried : {false, true}) {
        head_.push_back(static_cast<std::int32_t>(arcs_.size()));
        if (carried && ii == 0) continue;
        for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
          if ((p.edge_distance[e] != 0) == carried)
            arcs_.push_back({p.edge_dst[e], p.edge_delay[e] - p.edge_distance[e] * ii});
      }
    }
    head_.push_back(static_cast<std::int32_t>(arcs_.size()));
  }
  /// Every predecessor arc of i, and those of distance-0 edges (its inputs) only.
  [[nodiscard]] std::span<const Arc> preds(op_id i) const { return range(i, 0, 2); }
  [[nodiscard]] std::span<const Arc> inputs(op_id i) const { return range(i, 0, 1); }
  /// Every successor arc of i, and those of distance-0 edges (its consumers) only.
  [[nodiscard]] std::span<const Arc> succs(op_id i) const { return range(i, 2, 4); }
  [[nodiscard]] std::span<const Arc> consumers(op_id i) const { return range(i, 2, 3); }

 private:
  [[nodiscard]] std::span<const Arc> range(op_id i, int from, int to) const {
    const std::size_t at = 4 * static_cast<std::size_t>(i);
    return {arcs_.data() + head_[at + from], arcs_.data() + head_[at + to]};
  }
  std::vector<std::int32_t> head_;  ///< 4 offsets per op, then the end
  std::vector<Arc> arcs_;
};

/// The frame [lo, hi] op i may move in with the others fixed at `s`: its producers' starts plus
/// their arcs' lags, its consumers' starts less theirs (AnnealArcs: edges of distance 0, and
/// every edge at an II), and the horizon (s_i + max(L_i, 1) <= D). Empty when lo > hi.
inline void move_frame(const Problem& p, const AnnealArcs& arcs, std::int32_t horizon,
                       const std::vector<std::int32_t>& s, op_id i, std::int32_t& lo,
                       std::int32_t& hi) {
  lo = 0;
  hi = horizon - occupancy(p, i);
  for (const AnnealArcs::Arc& a : arcs.preds(i)) lo = std::max(lo, s[a.other] + a.lag);
  for (const AnnealArcs::Arc& a : arcs.succs(i)) hi = std::min(hi, s[a.other] - a.lag);
}

/// The annealing loop both annealers run over a state `a` that offers: starts(); frame(i, lo,
/// hi); near(i, level) (whether moving op i touches a step at `level` or above); peak() (the
/// profile's exact maximum); cost(i, t) (moves op i to t and returns the rise of the score,
/// scaled by the number of steps near the peak, in the units T is in); accept(); undo(); and
/// score() (the value the best schedule is tracked by). A state may also offer
/// pick_near(rng, level), an op whose move touches a step at `level` or above (-1: none found),
/// which the focused moves then use instead of random tries. `unit` scales `focus`, `tunit` the
/// temperatures. Writes the best state seen to `best` (which holds the start on entry) and
/// returns the moves proposed.
/// The ops a push of op i to t moves: i to t, and every op an edge of move_frame's would then
/// overrun, as little as that edge needs: consumers later when t is later, producers earlier
/// when t is earlier, and so on along the edges. An op whose frame is empty (EPFL hyp: three
/// quarters of the ops at D = 24,801, each between a producer and a consumer one step away)
/// cannot move alone; pushed, its consumers or producers make room. A push is given up when it
/// would move more than `limit` ops or leave [0, D - max(L, 1)].
class PushPlan {
 public:
  explicit PushPlan(op_id n)
      : mark_(static_cast<std::size_t>(n), 0), at_(static_cast<std::size_t>(n), 0) {}
  /// Plans the push from the starts `s`; false when it is given up. moved() then lists each
  /// moved op once with its new start.
  bool plan(const Problem& p, const AnnealArcs& arcs, std::int32_t horizon,
            const std::vector<std::int32_t>& s, op_id i, std::int32_t t, std::size_t limit) {
    moved_.clear();
    work_.clear();
    if (++stamp_ == 0) {  // wrapped: forget every mark
      std::fill(mark_.begin(), mark_.end(), 0);
      stamp_ = 1;
    }
    const bool later = t > s[i];
    auto now = [&](op_id x) { return mark_[x] == stamp_ ? moved_[at_[x]].second : s[x]; };
    auto set = [&](op_id x, std::int32_t v) {
      if (mark_[x] != stamp_) {
        mark_[x] = stamp_;
        at_[x] = static_cast<std::int32_t>(moved_.size());
        moved_.push_back({x, v});
      } else {
        moved_[at_[x]].second = v;
      }
      work_.push_back(x);
    };
    set(i, t);
    for (std::size_t k = 0; k < work_.size(); ++k) {
      if (moved_.size() > limit || work_.size() > 4 * limit) return false;
      const op_id x = work_[k];
      const std::int32_t v = now(x);
      if (v < 0 || v + occupancy(p, x) > horizon) return false;
      if (later) {
        for (const AnnealArcs::Arc& a : arcs.succs(x))
          if (now(a.other) < v + a.lag) set(a.other, v + a.lag);
      } else {
        for (const AnnealArcs::Arc& a : arcs.preds(x))
          if (now(a.other) > v - a.lag) set(a.other, v - a.lag);
      }
    }
    return true;
  }
  [[nodiscard]] const std::vector<std::pair<op_id, std::int32_t>>& moved() const { return moved_; }

 private:
  std::vector<std::uint32_t> mark_;
  std::vector<std::int32_t> at_;
  std::uint32_t stamp_ = 0;
  std::vector<std::pair<op_id, std::int32_t>> moved_;
  std::vector<op_id> work_;
};

template <class State>
std::int64_t anneal_loop(op_id n, State& a, UnitTable& units, const AnnealOptions& o,
                         double unit, double tunit, const std::function<bool()>& stop,
                         std::vector<std::int32_t>& best, std::int64_t& accepted) {
  Rng rng(o.seed);
  double best_score = a.score();
  const std::int64_t moves = o.moves;
  const bool timed = std::isfinite(o.time_budget_s);
  // The start temperature, lowered in proportion when the run makes fewer than `equilibrium`
  // moves per op (at least a tenth of t_start): the moves a run can make are known at once
  // without a time budget, after kProbe moves with one.
  double t_start = o.t_start;
  auto fit_start = [&](double total) {
    const double per_op = total / static_cast<double>(n);
    if (o.equilibrium > 0 && per_op < o.equilibrium)
      t_start = std::max(o.t_start * std::max(per_op / o.equilibrium, 0.1), o.t_end);
  };
  constexpr std::int64_t kProbe = 1 << 14;
  if (!timed) fit_start(static_cast<double>(moves));
  double cooling = std::log(o.t_end / t_start);
  double temp = t_start * tunit;
  // Takes the move just made (of rise `delta`) or undoes it; whether it was taken.
  auto settle = [&](double delta) {
    if (delta <= 0 || rng.uniform() < std::exp(-delta / temp)) {
      a.accept();
      ++accepted;
      if (a.score() < best_score) {
        best_score = a.score();
        best = a.starts();
      }
      return true;
    }
    a.undo();
    return false;
  };
  const auto t0 = std::chrono::steady_clock::now();
  std::int64_t m = 0;
  for (; m < moves; ++m) {
    if ((m & 255) == 0) {
      if ((m & 4095) == 0 && stop && stop()) break;
      // T falls geometrically with the run's progress: the share of the moves made or, with a
      // time budget, of the budget spent, whichever is further along; the run ends when either
      // is used up. Timing the whole run, not its first moves, keeps to the budget when moves
      // get slower (or faster) as the schedule changes.
      double done = static_cast<double>(m) / static_cast<double>(moves);
      if (timed) {
        const double spent =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        done = std::max(done, spent / o.time_budget_s);
        if (done >= 1) break;
        if (m == kProbe) {
          fit_start(std::min(static_cast<double>(moves), static_cast<double>(m) / done));
          cooling = std::log(o.t_end / t_start);
        }
      }
      temp = t_start * tunit * std::exp(cooling * done);
    }
    // Half the moves pick an op near the peak, on a large graph where few ops are: the soft
    // maximum barely sees the rest.
    auto i = static_cast<op_id>(rng.below(n));
    const bool focused = rng.next() & 1;
    if (focused) {
      const double level = a.peak() - o.focus * unit;
      if constexpr (requires { a.pick_near(rng, level); }) {
        // A few random tries first: where many ops are near the peak (EPFL arbiter's plateau
        // over all 87 steps) they draw those ops evenly, where pick_near draws its cells evenly
        // (arbiter after 3.6 million moves: 596 with pick_near alone, 593 with the tries).
        for (int k = 0; k < 4 && !a.near(i, level); ++k) i = static_cast<op_id>(rng.below(n));
        if (!a.near(i, level)) {
          const op_id j = a.pick_near(rng, level);
          if (j >= 0) i = j;
        }
      } else {
        for (int k = 0; k < 16 && !a.near(i, level); ++k) i = static_cast<op_id>(rng.below(n));
      }
    }
    std::int32_t lo = 0, hi = 0;
    a.frame(i, lo, hi);
    const std::int32_t from = a.starts()[i];
    constexpr bool pushes = requires { a.push(i, from); };
    if (lo >= hi && !pushes) continue;
    // Half the moves are one step (fine adjustment), half anywhere in the frame. A step out of
    // the frame pushes the ops in the way along, where the state can.
    std::int32_t t;
    if (lo >= hi || (rng.next() & 1)) {
      t = from + ((rng.next() & 1) ? 1 : -1);
      if (t < lo || t > hi) {
        if constexpr (pushes) {
          // Only ops near the peak are pushed: a push costs up to kPushLimit single moves, and
          // elsewhere it mostly churns (EPFL square after 1 s: 475 and 481 pushing these, 482
          // and 485 pushing any op).
          if (!focused) continue;
          const double delta = a.push(i, t);
          if (delta < HUGE_VAL) settle(delta);
        }
        continue;
      }
    } else {
      t = lo + static_cast<std::int32_t>(rng.below(std::int64_t{hi} - lo));
      if (t >= from) ++t;  // any step of the frame but the current one
    }
    if (units.tracked(i)) {
      units.add(i, from, -1);
      units.add(i, t, 1);
      if (!units.within(i, t)) {
        units.add(i, t, -1);
        units.add(i, from, 1);
        continue;
      }
    }
    if (!settle(a.cost(i, t)) && units.tracked(i)) {
      units.add(i, t, -1);
      units.add(i, from, 1);
    }
  }
  return m;
}

}  // namespace gaus::detail
