// What the simulated annealers of a legal schedule share (host/memory_anneal.cpp for B and C,
// host/stage_anneal.cpp for A): options and result, the random source, the unit table of the
// limited classes, an op's frame and the annealing loop itself. Internal to the host library.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
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
  /// Half the moves favour ops whose start step is within `focus` units of the peak.
  double focus = 4.0;
  /// Seconds the run may take: after timing its first moves it proposes only as many as fit
  /// (cooling over them all); infinite: exactly `moves`, so the result depends on the seed only.
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

/// The frame [lo, hi] op i may move in with the others fixed at `s`: its producers' starts plus
/// delay, its consumers' starts less delay (edges of distance 0; every edge at an II > 0, its
/// distance times II added), and the horizon (s_i + max(L_i, 1) <= D). Empty when lo > hi.
inline void move_frame(const Problem& p, std::int32_t horizon, std::int32_t ii,
                       const std::vector<std::int32_t>& s, op_id i, std::int32_t& lo,
                       std::int32_t& hi) {
  lo = 0;
  hi = horizon - occupancy(p, i);
  for (edge_id q = p.pred_offsets[i]; q < p.pred_offsets[i + 1]; ++q) {
    const edge_id e = p.pred_edges[q];
    if (p.edge_distance[e] != 0 && ii == 0) continue;
    lo = std::max(lo, s[p.edge_src[e]] + p.edge_delay[e] - p.edge_distance[e] * ii);
  }
  for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
    if (p.edge_distance[e] != 0 && ii == 0) continue;
    hi = std::min(hi, s[p.edge_dst[e]] - p.edge_delay[e] + p.edge_distance[e] * ii);
  }
}

/// The annealing loop both annealers run over a state `a` that offers: starts(); frame(i, lo,
/// hi); near(i, level) (whether moving op i touches a step at `level` or above); peak() (the
/// profile's exact maximum); cost(i, t) (moves op i to t and returns the rise of the score,
/// scaled by the number of steps near the peak, in the units T is in); accept(); undo(); and
/// score() (the value the best schedule is tracked by). `unit` scales `focus`, `tunit` the
/// temperatures. Writes the best state seen to `best` (which holds the start on entry) and
/// returns the moves proposed.
template <class State>
std::int64_t anneal_loop(op_id n, State& a, UnitTable& units, const AnnealOptions& o,
                         double unit, double tunit, const std::function<bool()>& stop,
                         std::vector<std::int32_t>& best, std::int64_t& accepted) {
  Rng rng(o.seed);
  double best_score = a.score();
  const double t_end = o.t_end * tunit;
  std::int64_t moves = o.moves;
  double temp = o.t_start * tunit;
  double decay = std::pow(t_end / temp, 1.0 / static_cast<double>(moves));
  const auto t0 = std::chrono::steady_clock::now();
  constexpr std::int64_t kProbe = 1 << 14;  // moves timed before a time budget resizes the run
  std::int64_t m = 0;
  for (; m < moves; ++m, temp *= decay) {
    if ((m & 4095) == 0 && stop && stop()) break;
    if (m == kProbe && std::isfinite(o.time_budget_s)) {
      // Fewer moves that still cool all the way, rather than a run cut off while still hot.
      const double per_move =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / kProbe;
      const auto fit = static_cast<std::int64_t>(o.time_budget_s / std::max(per_move, 1e-12));
      if (fit < moves) {
        moves = std::max(fit, m + 1);
        decay = std::pow(t_end / temp, 1.0 / static_cast<double>(moves - m));
      }
    }
    // Half the moves pick an op near the peak (a few tries), on a large graph where few ops
    // are: the soft maximum barely sees the rest.
    auto i = static_cast<op_id>(rng.below(n));
    if (rng.next() & 1) {
      const double level = a.peak() - o.focus * unit;
      for (int k = 0; k < 16 && !a.near(i, level); ++k) i = static_cast<op_id>(rng.below(n));
    }
    std::int32_t lo = 0, hi = 0;
    a.frame(i, lo, hi);
    const std::int32_t from = a.starts()[i];
    if (lo >= hi) continue;
    // Half the moves are one step (fine adjustment), half anywhere in the frame.
    std::int32_t t;
    if (rng.next() & 1) {
      t = from + ((rng.next() & 1) ? 1 : -1);
      if (t < lo || t > hi) continue;
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
    const double delta = a.cost(i, t);
    if (delta <= 0 || rng.uniform() < std::exp(-delta / temp)) {
      a.accept();
      ++accepted;
      if (a.score() < best_score) {
        best_score = a.score();
        best = a.starts();
      }
    } else {
      a.undo();
      if (units.tracked(i)) {
        units.add(i, t, -1);
        units.add(i, from, 1);
      }
    }
  }
  return m;
}

}  // namespace gaus::detail
