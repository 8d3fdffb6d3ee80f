// Lagrangian minimum cuts for formulation B (see host/bounds/lagrangian_cut.hpp for the model).
// The time-expanded graph is built once, in compressed rows; each round sets the weighted arcs'
// capacities from the step weights, runs Boost's Boykov-Kolmogorov maximum flow, and reads the
// schedule off the minimal source side (the ops' residual reachability from the source).
#include "host/bounds/lagrangian_cut.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/property_map/property_map.hpp>

#include "core/timing.hpp"
#include "host/bounds/live_profile.hpp"
#include "host/bounds/residual_rows.hpp"

namespace gaus::detail {

namespace {

using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                                 boost::no_property, boost::no_property,
                                                 std::uint32_t, std::uint32_t>;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

constexpr std::uint32_t kSource = 0, kSink = 1;
/// Infinite capacity: above any cut the weights can make (they sum to 1 per unit of size).
constexpr double kInf = 1e30;

/// The frames, consumers and node numbering of the time-expanded graph at D.
class Expansion {
 public:
  Expansion(const Problem& p, std::int32_t horizon)
      : p_(p), horizon_(horizon), asap_(asap_starts(p)), alap_(alap_starts(p, horizon)) {
    const auto n = static_cast<std::size_t>(p.num_ops());
    base_.resize(n);
    consumers_.resize(n);
    std::int64_t next = 2;
    for (op_id i = 0; i < p.num_ops(); ++i) {
      alap_[i] = std::max(alap_[i], asap_[i]);
      base_[i] = next;
      next += alap_[i] - asap_[i];
      for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
        if (p.edge_distance[e] == 0) consumers_[i].push_back(p.edge_dst[e]);
      std::sort(consumers_[i].begin(), consumers_[i].end());
      consumers_[i].erase(std::unique(consumers_[i].begin(), consumers_[i].end()),
                          consumers_[i].end());
    }
    nodes_ = next;
  }

  /// x(i, d)'s node: the sink below ASAP_i (s_i > d for sure), the source from ALAP_i on.
  [[nodiscard]] std::int64_t node(op_id i, std::int32_t d) const {
    if (d < asap_[i]) return kSink;
    if (d >= alap_[i]) return kSource;
    return base_[i] + (d - asap_[i]);
  }
  [[nodiscard]] bool free(op_id i, std::int32_t d) const { return d >= asap_[i] && d < alap_[i]; }
  /// (op, step) nodes of the ops' frames (the sum of the mobilities).
  [[nodiscard]] std::int64_t free_nodes() const { return nodes_ - 2; }

  /// Calls arc(from, to, step, size) for every arc (step -1: infinite) and constant(step, size)
  /// for memory every schedule holds; new auxiliary nodes are numbered from nodes_ on, so the
  /// node count is final only after a pass (both passes number them alike).
  template <class ArcFn, class ConstFn>
  std::int64_t walk(ArcFn&& arc, ConstFn&& constant) const {
    std::int64_t aux = nodes_;
    std::vector<op_id> open;
    for (op_id i = 0; i < p_.num_ops(); ++i) {
      // A start is one step: x(i, d) implies x(i, d + 1).
      for (std::int32_t d = asap_[i]; d + 1 < alap_[i]; ++d) arc(node(i, d), node(i, d + 1), -1, 0);
      // Edge (q -> i, lambda): x(i, d) implies x(q, d - lambda).
      for (edge_id k = p_.pred_offsets[i]; k < p_.pred_offsets[i + 1]; ++k) {
        const edge_id e = p_.pred_edges[k];
        if (p_.edge_distance[e] != 0) continue;
        const op_id q = p_.edge_src[e];
        for (std::int32_t d = asap_[i]; d < alap_[i]; ++d) {
          const std::int32_t dq = d - p_.edge_delay[e];
          if (free(q, dq)) arc(node(i, d), node(q, dq), -1, 0);
        }
      }
      const double b = p_.out_size[i];
      if (!(b > 0) || consumers_[i].empty()) continue;
      std::int32_t last_asap = 0, last_alap = 0;
      for (op_id j : consumers_[i]) {
        last_asap = std::max(last_asap, asap_[j]);
        last_alap = std::max(last_alap, alap_[j]);
      }
      // Live at d: x(i, d) and not every x(j, d). From the latest consumer's ALAP on, every
      // consumer has started.
      for (std::int32_t d = std::max(asap_[i], 0); d < std::min(last_alap, horizon_); ++d) {
        const std::int64_t xi = node(i, d);
        if (d < last_asap) {  // a consumer surely starts later: live iff x(i, d)
          if (xi == kSource) constant(d, b);
          else arc(xi, kSink, d, b);
          continue;
        }
        open.clear();
        for (op_id j : consumers_[i])
          if (free(j, d)) open.push_back(j);
        if (open.empty()) continue;
        if (open.size() == 1) {  // the others have started: live iff x(i, d) and not x(j, d)
          arc(xi, node(open[0], d), d, b);
          continue;
        }
        const std::int64_t a = aux++;  // a on the source side needs every open consumer there
        arc(xi, a, d, b);
        for (op_id j : open) arc(a, node(j, d), -1, 0);
      }
    }
    return aux;
  }

  /// The schedule of a closed source side: s_i = the first d with x(i, d) on it.
  std::vector<std::int32_t> starts(const std::vector<char>& source_side) const {
    std::vector<std::int32_t> s(static_cast<std::size_t>(p_.num_ops()));
    for (op_id i = 0; i < p_.num_ops(); ++i) {
      std::int32_t d = asap_[i];
      while (d < alap_[i] && !source_side[static_cast<std::size_t>(node(i, d))]) ++d;
      s[i] = d;
    }
    return s;
  }

 private:
  const Problem& p_;
  std::int32_t horizon_;
  std::vector<std::int32_t> asap_, alap_;
  std::vector<std::int64_t> base_;
  std::vector<std::vector<op_id>> consumers_;
  std::int64_t nodes_ = 2;
};

}  // namespace

CutSearchResult lagrangian_cut_search(
    const Problem& p, const CutSearchOptions& o,
    const std::function<double(const std::vector<std::int32_t>&)>& schedule,
    const std::function<bool()>& stop) {
  CutSearchResult out;
  const std::int32_t horizon = o.horizon;
  if (p.num_ops() == 0 || horizon <= 0) return out;
  if (stop()) return out;
  const Expansion x(p, horizon);
  // Every free (op, step) but an op's last has its one-step arc: too many of them ends it here,
  // before a pass over the arcs (which costs about a second on EPFL hyp).
  if (x.free_nodes() - p.num_ops() > o.max_arcs) {
    out.nodes = x.free_nodes();
    return out;
  }
  std::int64_t num_arcs = 0;
  const std::int64_t num_nodes =
      x.walk([&](auto, auto, auto, auto) { ++num_arcs; }, [](auto, auto) {});
  out.nodes = num_nodes;
  out.arcs = num_arcs;
  if (num_arcs > o.max_arcs || 2 * num_arcs >= std::numeric_limits<std::uint32_t>::max() ||
      num_nodes >= std::numeric_limits<std::uint32_t>::max())
    return out;
  // The arcs in order: arc k from[k] -> to[k], capacity infinite (step[k] < 0) or
  // weight[step[k]] * size[k].
  const auto m = static_cast<std::size_t>(num_arcs);
  std::vector<std::uint32_t> from, to;
  std::vector<std::int32_t> step;
  std::vector<double> size;
  from.reserve(m);
  to.reserve(m);
  step.reserve(m);
  size.reserve(m);
  std::vector<double> forced(static_cast<std::size_t>(horizon), 0.0);
  x.walk(
      [&](std::int64_t u, std::int64_t v, std::int32_t d, double b) {
        from.push_back(static_cast<std::uint32_t>(u));
        to.push_back(static_cast<std::uint32_t>(v));
        step.push_back(d);
        size.push_back(b);
      },
      [&](std::int32_t d, double b) { forced[static_cast<std::size_t>(d)] += b; });
  const auto nv = static_cast<std::size_t>(num_nodes);
  std::vector<std::uint32_t> row, target, back, fwd;
  std::vector<double> cap;
  build_residual_rows(nv, from, to, std::vector<double>(m, 0.0), row, target, back, cap, fwd);
  from = {};
  to = {};
  const std::size_t ne = row[nv];
  // Boost's view of the same rows (edge index = slot), and each slot's reverse as an edge.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs(ne);
  for (std::uint32_t u = 0; u < nv; ++u)
    for (std::uint32_t e = row[u]; e < row[u + 1]; ++e) pairs[e] = {u, target[e]};
  const Graph g(boost::edges_are_sorted, pairs.begin(), pairs.end(), nv);
  pairs = {};
  std::vector<Edge> rev(ne);
  for (std::size_t e = 0; e < ne; ++e) rev[e] = Edge(target[e], back[e]);
  std::vector<double> res(ne, 0.0);
  std::vector<Edge> pred(nv);
  std::vector<boost::default_color_type> color(nv);
  std::vector<std::int64_t> dist(nv);
  const auto eidx = get(boost::edge_index, g);
  const auto vidx = get(boost::vertex_index, g);

  bool integral = true;
  for (op_id i = 0; i < p.num_ops(); ++i) integral &= std::floor(p.out_size[i]) == p.out_size[i];
  std::vector<double> w(static_cast<std::size_t>(horizon), 1.0 / horizon);
  double best_peak = std::numeric_limits<double>::infinity();
  std::vector<char> side(nv);
  std::vector<std::uint32_t> todo;
  double eta = 5.0 * o.step, last_gain = -HUGE_VAL;
  std::int32_t stall = 0;
  for (std::int32_t round = 0; round < o.max_rounds && !stop(); ++round) {
    for (std::size_t k = 0; k < m; ++k)
      cap[fwd[k]] = step[k] < 0 ? kInf : w[static_cast<std::size_t>(step[k])] * size[k];
    const double flow = boost::boykov_kolmogorov_max_flow(
        g, boost::make_iterator_property_map(cap.begin(), eidx),
        boost::make_iterator_property_map(res.begin(), eidx),
        boost::make_iterator_property_map(rev.begin(), eidx),
        boost::make_iterator_property_map(pred.begin(), vidx),
        boost::make_iterator_property_map(color.begin(), vidx),
        boost::make_iterator_property_map(dist.begin(), vidx), vidx, kSource, kSink);
    double bound = flow;
    for (std::int32_t d = 0; d < horizon; ++d) bound += w[static_cast<std::size_t>(d)] * forced[d];
    // The least source side: what the source still reaches through unsaturated arcs. It is
    // closed under the infinite arcs, so it is a legal schedule.
    double tol = 0;
    for (const double c : cap) tol = std::max(tol, c < kInf ? c : 0.0);
    tol *= 1e-12;
    std::fill(side.begin(), side.end(), 0);
    side[kSource] = 1;
    todo.assign(1, kSource);
    while (!todo.empty()) {
      const std::uint32_t u = todo.back();
      todo.pop_back();
      for (std::uint32_t e = row[u]; e < row[u + 1]; ++e)
        if (!side[target[e]] && res[e] > tol) {
          side[target[e]] = 1;
          todo.push_back(target[e]);
        }
    }
    const std::vector<std::int32_t> s = x.starts(side);
    const std::vector<double> m =
        live_profile<double>(p, horizon, s, s, [&](op_id i) { return p.out_size[i]; });
    const double peak = *std::max_element(m.begin(), m.end());
    best_peak = std::min({best_peak, peak, schedule(s)});
    // Flows are sums of doubles: keep a little slack before rounding the bound up.
    bound -= 1e-9 * std::max(1.0, std::fabs(bound));
    out.lower_bound = std::max(out.lower_bound, integral ? std::ceil(bound) : bound);
    out.rounds = round + 1;
    out.ran = true;
    if (out.lower_bound >= best_peak || !(peak > 0)) break;
    // Exponentiated subgradient ascent on the step weights, toward the steps near the peak;
    // the step halves after 3 rounds without a better bound (Held and Karp's rule).
    if (bound > last_gain) {
      last_gain = bound;
      stall = 0;
    } else if (++stall >= 3) {
      eta *= 0.5;
      stall = 0;
    }
    double total = 0;
    for (std::int32_t d = 0; d < horizon; ++d) {
      double& wd = w[static_cast<std::size_t>(d)];
      wd *= std::exp(eta * (m[static_cast<std::size_t>(d)] / peak - 1.0));
      total += wd;
    }
    for (double& wd : w) wd = std::max(wd / total, 1e-300);
  }
  return out;
}

}  // namespace gaus::detail
