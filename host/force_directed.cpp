// Force-directed scheduling (P. G. Paulin and J. P. Knight, "Force-Directed Scheduling for the
// Behavioral Synthesis of ASICs", IEEE TCAD 8(6), 1989), time-constrained.
//
// Each op i with a unit (class k, B_i > 0) is spread uniformly over its frame [a_i, b_i]; its
// use of the class at step d is q_i(d) = (1/w) #{s in [a, b] : s <= d < s + B_i}, w = b - a + 1,
// and DG_k(d) = sum of q_i over the class. The force of moving op i to a frame [a', b'] is
// E_i(a', b') - E_i(a, b) with E_i(a, b) = sum_d DG_k(d) q_i(d) = (1/w) sum_{s=a..b} (P(s + B)
// - P(s)), P the prefix sum of DG_k; with PP the prefix sum of P that is O(1):
// E_i(a, b) = ((PP(b + B + 1) - PP(a + B)) - (PP(b + 1) - PP(a))) / w.
#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/heuristics.hpp"

namespace gaus {

namespace {

class ForceDirected {
 public:
  ForceDirected(const Problem& p, std::int32_t horizon)
      : p_(p), d_(horizon), n_(p.num_ops()), fixed_(static_cast<std::size_t>(n_), 0),
        at_(static_cast<std::size_t>(n_), 0), a_(static_cast<std::size_t>(n_)),
        b_(static_cast<std::size_t>(n_)), cur_(static_cast<std::size_t>(n_)) {
    std::vector<std::int32_t> max_b(p.resources.size(), 0);
    for (op_id i = 0; i < n_; ++i)
      if (loaded(i)) max_b[p.op_resource[i]] = std::max(max_b[p.op_resource[i]], p.blocking[i]);
    len_.resize(p.resources.size());
    dd_.resize(p.resources.size());
    pp_.resize(p.resources.size());
    for (std::size_t k = 0; k < p.resources.size(); ++k) {
      len_[k] = max_b[k] > 0 ? static_cast<std::size_t>(d_) + max_b[k] : 0;
      dd_[k].assign(len_[k] + 2, 0.0);
      pp_[k].assign(len_[k] + 2, 0.0);
    }
  }

  std::vector<std::int32_t> run() {
    op_id left = n_;
    while (left > 0) {
      frames();
      for (op_id i = 0; i < n_; ++i)
        if (!fixed_[i] && a_[i] == b_[i]) fix(i, a_[i], left);  // no choice: frames unchanged
      if (left == 0) break;
      distribution();
      op_id best_op = -1;
      std::int32_t best_t = 0;
      double best = 0.0;
      for (op_id i = 0; i < n_; ++i) {
        if (fixed_[i]) continue;
        for (std::int32_t t = a_[i]; t <= b_[i]; ++t) {
          const double f = force(i, t);
          if (best_op < 0 || f < best - 1e-12) {
            best_op = i;
            best_t = t;
            best = f;
          }
        }
      }
      fix(best_op, best_t, left);
    }
    return at_;
  }

 private:
  bool loaded(op_id i) const { return p_.op_resource[i] != kNoResource && p_.blocking[i] > 0; }

  void fix(op_id i, std::int32_t t, op_id& left) {
    fixed_[i] = 1;
    at_[i] = t;
    --left;
  }

  /// ASAP / ALAP frames under the horizon with the fixed ops pinned.
  void frames() {
    for (op_id j : p_.topo_order) {
      if (fixed_[j]) {
        a_[j] = at_[j];
        continue;
      }
      std::int32_t s = 0;
      for (edge_id q = p_.pred_offsets[j]; q < p_.pred_offsets[j + 1]; ++q) {
        const edge_id e = p_.pred_edges[q];
        if (p_.edge_distance[e] == 0) s = std::max(s, a_[p_.edge_src[e]] + p_.edge_delay[e]);
      }
      a_[j] = s;
    }
    for (auto it = p_.topo_order.rbegin(); it != p_.topo_order.rend(); ++it) {
      const op_id i = *it;
      if (fixed_[i]) {
        b_[i] = at_[i];
        continue;
      }
      std::int32_t s = d_ - occupancy(p_, i);
      for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e)
        if (p_.edge_distance[e] == 0) s = std::min(s, b_[p_.edge_dst[e]] - p_.edge_delay[e]);
      b_[i] = s;
    }
  }

  /// Distribution graphs from the current frames, as second prefix sums (pp_), and each op's
  /// current E over its frame.
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
      if (len_[k] == 0) continue;
      // dd -> first differences -> DG -> P -> PP, each a running sum; pp_[k][x] = PP(x).
      double diff = 0, dg = 0, prefix = 0, prefix2 = 0;
      auto& pp = pp_[k];
      for (std::size_t x = 0; x < pp.size(); ++x) {
        pp[x] = prefix2;                    // PP(x) = sum_{y < x} P(y)
        prefix2 += prefix;                  // prefix = P(x) = sum_{y < x} DG(y)
        diff += dd_[k][x];
        dg += diff;                         // DG(x)
        prefix += dg;
      }
    }
    for (op_id i = 0; i < n_; ++i) cur_[i] = energy(i, a_[i], b_[i]);
  }

  double energy(op_id i, std::int32_t a, std::int32_t b) const {
    if (!loaded(i)) return 0.0;
    const auto& pp = pp_[p_.op_resource[i]];
    const std::int32_t bl = p_.blocking[i];
    return ((pp[b + bl + 1] - pp[a + bl]) - (pp[b + 1] - pp[a])) / (b - a + 1);
  }

  /// Self force of fixing i at t plus the forces on its free immediate neighbours, whose
  /// frames shrink to stay legal.
  double force(op_id i, std::int32_t t) const {
    double f = energy(i, t, t) - cur_[i];
    for (edge_id q = p_.pred_offsets[i]; q < p_.pred_offsets[i + 1]; ++q) {
      const edge_id e = p_.pred_edges[q];
      const op_id j = p_.edge_src[e];
      if (p_.edge_distance[e] != 0 || fixed_[j] || !loaded(j)) continue;
      const std::int32_t nb = std::min(b_[j], t - p_.edge_delay[e]);
      if (nb < b_[j]) f += energy(j, a_[j], nb) - cur_[j];
    }
    for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e) {
      const op_id j = p_.edge_dst[e];
      if (p_.edge_distance[e] != 0 || fixed_[j] || !loaded(j)) continue;
      const std::int32_t na = std::max(a_[j], t + p_.edge_delay[e]);
      if (na > a_[j]) f += energy(j, na, b_[j]) - cur_[j];
    }
    return f;
  }

  const Problem& p_;
  std::int32_t d_;
  op_id n_;
  std::vector<char> fixed_;
  std::vector<std::int32_t> at_, a_, b_;
  std::vector<double> cur_;
  std::vector<std::size_t> len_;          // per class: D + max B, 0 when no op holds it
  std::vector<std::vector<double>> dd_;   // per class: second differences of DG
  std::vector<std::vector<double>> pp_;   // per class: PP(x) for x in [0, len + 1]
};

}  // namespace

Schedule force_directed_schedule(const Problem& p, std::int32_t horizon) {
  horizon = resolve_horizon(p, horizon, "force-directed scheduling");
  Schedule s;
  s.start = ForceDirected(p, horizon).run();
  s.horizon = horizon;
  return s;
}

}  // namespace gaus
