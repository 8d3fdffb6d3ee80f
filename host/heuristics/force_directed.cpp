// Force-directed scheduling (P. G. Paulin and J. P. Knight, "Force-Directed Scheduling for the
// Behavioral Synthesis of ASICs", IEEE TCAD 8(6), 1989), time-constrained.
//
// Each op i with a unit (class k, B_i > 0) is spread uniformly over its frame [a_i, b_i]; its
// use of the class at step d is q_i(d) = (1/w) #{s in [a, b] : s <= d < s + B_i}, w = b - a + 1,
// and DG_k(d) = sum of q_i over the class. The force of moving op i to a frame [a', b'] is
// E_i(a', b') - E_i(a, b) with E_i(a, b) = sum_d DG_k(d) q_i(d) = (1/w) sum_{s=a..b} (P(s + B)
// - P(s)), P the prefix sum of DG_k; with PP the prefix sum of P that is O(1):
// E_i(a, b) = ((PP(b + B + 1) - PP(a + B)) - (PP(b + 1) - PP(a))) / w.
//
// Each round fixes one op. The frames are updated by propagating from the fixed op, and an op's
// forces are recomputed only when something they read changed: its or a neighbour's frame, or
// an entry of PP they read. PP is recomputed in full every round, in the same order, so the
// doubles (and thus the choices, near-ties included) are those of a from-scratch computation;
// but a change of DG at step d moves every PP entry after d, so most forces are still
// recomputed each round and the cost stays O(rounds * sum of frame widths * degree).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/heuristics/heuristics.hpp"

namespace gaus {

namespace {

class ForceDirected {
 public:
  ForceDirected(const Problem& p, std::int32_t horizon)
      : p_(p), d_(horizon), n_(p.num_ops()), fixed_(static_cast<std::size_t>(n_), 0),
        dirty_(static_cast<std::size_t>(n_), 1), at_(static_cast<std::size_t>(n_), 0),
        a_(static_cast<std::size_t>(n_)), b_(static_cast<std::size_t>(n_)),
        cur_(static_cast<std::size_t>(n_)), forces_(static_cast<std::size_t>(n_)) {
    std::vector<std::int32_t> max_b(p.resources.size(), 0);
    for (op_id i = 0; i < n_; ++i)
      if (loaded(i)) max_b[p.op_resource[i]] = std::max(max_b[p.op_resource[i]], p.blocking[i]);
    len_.resize(p.resources.size());
    dd_.resize(p.resources.size());
    pp_.resize(p.resources.size());
    fresh_.resize(p.resources.size());
    for (std::size_t k = 0; k < p.resources.size(); ++k) {
      len_[k] = max_b[k] > 0 ? static_cast<std::size_t>(d_) + max_b[k] : 0;
      dd_[k].assign(len_[k] + 2, 0.0);
      pp_[k].assign(len_[k] + 2, 0.0);
    }
  }

  /// Fixes every op; `unfinished` is how many `stop` left to their earliest frame steps.
  std::vector<std::int32_t> run(const std::function<bool()>& stop, op_id& unfinished) {
    op_id left = n_;
    frames();
    for (op_id i = 0; i < n_; ++i)
      if (!fixed_[i] && a_[i] == b_[i]) fix(i, a_[i], left);  // no choice: frames unchanged
    while (left > 0) {
      if (stop && stop()) {
        // The frames are consistent with every edge (settle() propagates each fix), so every
        // free op at its earliest step keeps every distance-0 edge and the horizon.
        unfinished = left;
        for (op_id i = 0; i < n_; ++i)
          if (!fixed_[i]) at_[i] = a_[i];
        break;
      }
      distribution();
      // Scan (op, step) in order, keeping the first pair more than 1e-12 below the best so far,
      // over forces cached per op while nothing they read has changed (see stale()).
      op_id best_op = -1;
      std::int32_t best_t = 0;
      double best = 0.0;
      for (op_id i = 0; i < n_; ++i) {
        if (fixed_[i]) continue;
        if (stale(i)) refresh(i);
        const auto& f = forces_[i];
        for (std::int32_t t = a_[i]; t <= b_[i]; ++t)
          if (best_op < 0 || f[t - a_[i]] < best - 1e-12) {
            best_op = i;
            best_t = t;
            best = f[t - a_[i]];
          }
      }
      settle(best_op, best_t, left);
    }
    return at_;
  }

 private:
  bool loaded(op_id i) const { return p_.op_resource[i] != kNoResource && p_.blocking[i] > 0; }

  void fix(op_id i, std::int32_t t, op_id& left) {
    fixed_[i] = 1;
    at_[i] = t;
    --left;
    touched(i);
  }

  /// i's frame or fixedness changed: its forces and its neighbours' forces read it.
  void touched(op_id i) {
    dirty_[i] = 1;
    for (edge_id q = p_.pred_offsets[i]; q < p_.pred_offsets[i + 1]; ++q)
      dirty_[p_.edge_src[p_.pred_edges[q]]] = 1;
    for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e)
      dirty_[p_.edge_dst[e]] = 1;
  }

  /// Fixes i at t and shrinks the frames it constrains. Frames only shrink, so propagating the
  /// raised ASAP / lowered ALAP bounds from i over a worklist reaches the same frames as a
  /// recomputation from scratch with the fixed ops pinned; ops left without choice are fixed
  /// as the recomputation's caller would.
  void settle(op_id i, std::int32_t t, op_id& left) {
    a_[i] = b_[i] = t;
    fix(i, t, left);
    changed_.clear();
    work_.assign(1, i);
    while (!work_.empty()) {
      const op_id x = work_.back();
      work_.pop_back();
      for (edge_id e = p_.succ_offsets[x]; e < p_.succ_offsets[x + 1]; ++e) {
        const op_id j = p_.edge_dst[e];
        if (p_.edge_distance[e] != 0 || fixed_[j] || a_[x] + p_.edge_delay[e] <= a_[j]) continue;
        a_[j] = a_[x] + p_.edge_delay[e];
        work_.push_back(j);
        changed_.push_back(j);
      }
    }
    work_.assign(1, i);
    while (!work_.empty()) {
      const op_id x = work_.back();
      work_.pop_back();
      for (edge_id q = p_.pred_offsets[x]; q < p_.pred_offsets[x + 1]; ++q) {
        const edge_id e = p_.pred_edges[q];
        const op_id j = p_.edge_src[e];
        if (p_.edge_distance[e] != 0 || fixed_[j] || b_[x] - p_.edge_delay[e] >= b_[j]) continue;
        b_[j] = b_[x] - p_.edge_delay[e];
        work_.push_back(j);
        changed_.push_back(j);
      }
    }
    for (op_id j : changed_) touched(j);
    for (op_id j : changed_)
      if (!fixed_[j] && a_[j] == b_[j]) fix(j, a_[j], left);
  }

  /// ASAP / ALAP frames under the horizon (no op fixed yet).
  void frames() {
    for (op_id j : p_.topo_order) {
      std::int32_t s = 0;
      for (edge_id q = p_.pred_offsets[j]; q < p_.pred_offsets[j + 1]; ++q) {
        const edge_id e = p_.pred_edges[q];
        if (p_.edge_distance[e] == 0) s = std::max(s, a_[p_.edge_src[e]] + p_.edge_delay[e]);
      }
      a_[j] = s;
    }
    for (auto it = p_.topo_order.rbegin(); it != p_.topo_order.rend(); ++it) {
      const op_id i = *it;
      std::int32_t s = d_ - occupancy(p_, i);
      for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e)
        if (p_.edge_distance[e] == 0) s = std::min(s, b_[p_.edge_dst[e]] - p_.edge_delay[e]);
      b_[i] = s;
    }
  }

  /// Distribution graphs from the current frames, as second prefix sums (pp_), and each op's
  /// current E over its frame. Summed in the same order every round, so an entry whose inputs
  /// did not change keeps its bits; fresh_[k] is the first index of pp_[k] that changed.
  void distribution() {
    for (auto& v : dd_) std::fill(v.begin(), v.end(), 0.0);
    for (op_id i = 0; i < n_; ++i) {
      if (!loaded(i)) continue;
      // Second differences of q_i: +1/w at a and b + B + 1, -1/w at b + 1 and a + B.
      auto& dd = dd_[p_.op_resource[i]];
      const double inv = 1.0 / (b_[i] - a_[i] + 1);
      const std::int32_t bl = p_.blocking[i];
      dd[a_[i]] += inv;
      dd[b_[i] + 1] -= inv;
      dd[a_[i] + bl] -= inv;
      dd[b_[i] + bl + 1] += inv;
    }
    for (std::size_t k = 0; k < dd_.size(); ++k) {
      fresh_[k] = pp_[k].size();
      if (len_[k] == 0) continue;
      // dd -> first differences -> DG -> P -> PP, each a running sum; pp_[k][x] = PP(x).
      double diff = 0, dg = 0, prefix = 0, prefix2 = 0;
      auto& pp = pp_[k];
      for (std::size_t x = 0; x < pp.size(); ++x) {
        if (fresh_[k] == pp.size() && !same_bits(pp[x], prefix2)) fresh_[k] = x;
        pp[x] = prefix2;                    // PP(x) = sum_{y < x} P(y)
        prefix2 += prefix;                  // prefix = P(x) = sum_{y < x} DG(y)
        diff += dd_[k][x];
        dg += diff;                         // DG(x)
        prefix += dg;
      }
    }
    for (op_id i = 0; i < n_; ++i) cur_[i] = energy(i, a_[i], b_[i]);
  }

  static bool same_bits(double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; }

  /// Whether i's cached forces may differ from force(i, .) now: its frame, a neighbour's frame
  /// or fixedness changed, or some pp_ entry they read (up to b + B + 1 of i and of each
  /// loaded free neighbour, cur_ included) changed bits.
  bool stale(op_id i) const {
    if (dirty_[i]) return true;
    auto reads_fresh = [&](op_id j) {
      return loaded(j) && static_cast<std::size_t>(b_[j] + p_.blocking[j] + 1) >=
                              fresh_[p_.op_resource[j]];
    };
    if (reads_fresh(i)) return true;
    for (edge_id q = p_.pred_offsets[i]; q < p_.pred_offsets[i + 1]; ++q) {
      const edge_id e = p_.pred_edges[q];
      const op_id j = p_.edge_src[e];
      if (p_.edge_distance[e] == 0 && !fixed_[j] && reads_fresh(j)) return true;
    }
    for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e) {
      const op_id j = p_.edge_dst[e];
      if (p_.edge_distance[e] == 0 && !fixed_[j] && reads_fresh(j)) return true;
    }
    return false;
  }

  /// force(i, t) for every t in i's frame, with the same additions in the same order, but
  /// with the free loaded neighbours gathered once instead of once per step.
  void refresh(op_id i) {
    near_.clear();
    for (edge_id q = p_.pred_offsets[i]; q < p_.pred_offsets[i + 1]; ++q) {
      const edge_id e = p_.pred_edges[q];
      const op_id j = p_.edge_src[e];
      if (p_.edge_distance[e] == 0 && !fixed_[j] && loaded(j))
        near_.push_back(neighbour(j, e, true));
    }
    for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e) {
      const op_id j = p_.edge_dst[e];
      if (p_.edge_distance[e] == 0 && !fixed_[j] && loaded(j))
        near_.push_back(neighbour(j, e, false));
    }
    const double* self = loaded(i) ? pp_[p_.op_resource[i]].data() : nullptr;
    const std::int32_t bl = loaded(i) ? p_.blocking[i] : 0;
    auto& f = forces_[i];
    f.resize(static_cast<std::size_t>(b_[i] - a_[i] + 1));
    for (std::int32_t t = a_[i]; t <= b_[i]; ++t) {
      // energy(i, t, t), its division by w = 1 left out (exact in IEEE arithmetic)
      double v = (self ? (self[t + bl + 1] - self[t + bl]) - (self[t + 1] - self[t]) : 0.0) -
                 cur_[i];
      for (const Near& x : near_) {
        if (x.pred) {
          const std::int32_t nb = std::min(x.b, t - x.delay);
          if (nb < x.b) v += energy(x.pp, x.bl, x.a, nb) - x.cur;
        } else {
          const std::int32_t na = std::max(x.a, t + x.delay);
          if (na > x.a) v += energy(x.pp, x.bl, na, x.b) - x.cur;
        }
      }
      f[t - a_[i]] = v;
    }
    dirty_[i] = 0;
  }

  /// What force() reads of a free loaded neighbour j over edge e.
  struct Near {
    const double* pp;
    std::int32_t bl, a, b, delay;
    double cur;
    bool pred;
  };
  Near neighbour(op_id j, edge_id e, bool pred) const {
    return {pp_[p_.op_resource[j]].data(), p_.blocking[j], a_[j], b_[j], p_.edge_delay[e],
            cur_[j], pred};
  }

  static double energy(const double* pp, std::int32_t bl, std::int32_t a, std::int32_t b) {
    return ((pp[b + bl + 1] - pp[a + bl]) - (pp[b + 1] - pp[a])) / (b - a + 1);
  }

  double energy(op_id i, std::int32_t a, std::int32_t b) const {
    if (!loaded(i)) return 0.0;
    return energy(pp_[p_.op_resource[i]].data(), p_.blocking[i], a, b);
  }

  const Problem& p_;
  std::int32_t d_;
  op_id n_;
  std::vector<char> fixed_, dirty_;
  std::vector<std::int32_t> at_, a_, b_;
  std::vector<double> cur_;
  std::vector<std::vector<double>> forces_;  // per free op: force(i, t) for t in [a, b]
  std::vector<op_id> work_, changed_;
  std::vector<Near> near_;                 // refresh()'s gathered neighbours
  std::vector<std::size_t> len_;          // per class: D + max B, 0 when no op holds it
  std::vector<std::size_t> fresh_;        // per class: first pp_ index changed this round
  std::vector<std::vector<double>> dd_;   // per class: second differences of DG
  std::vector<std::vector<double>> pp_;   // per class: PP(x) for x in [0, len + 1]
};

}  // namespace

Schedule force_directed_schedule(const Problem& p, std::int32_t horizon, double time_limit_s,
                                 op_id* unfinished) {
  horizon = resolve_horizon(p, horizon, "force-directed scheduling");
  const auto t0 = std::chrono::steady_clock::now();
  std::function<bool()> stop;
  if (std::isfinite(time_limit_s))
    stop = [t0, time_limit_s] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() >=
             time_limit_s;
    };
  op_id left = 0;
  Schedule s;
  s.start = ForceDirected(p, horizon).run(stop, left);
  s.horizon = horizon;
  if (unfinished != nullptr) *unfinished = left;
  return s;
}

}  // namespace gaus
