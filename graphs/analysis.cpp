// Schedule analysis: frames, levels and the II lower bounds. The recurrence bound is computed
// exactly in integers: floating cycle-ratio algorithms (Boost's Howard uses an absolute epsilon
// and an iteration cap) can be off by one after the ceiling, and II must be exact.
#include "graphs/analysis.hpp"

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "core/timing.hpp"

namespace gaus {

namespace {

constexpr std::int64_t kMaxII = std::numeric_limits<std::int32_t>::max();

std::string prefix(const Problem& p) { return p.source.empty() ? std::string() : p.source + ": "; }

/// The edges that lie on cycles (both ends in one strongly connected component), as CSR over
/// the ops they touch, renumbered 0..V-1.
struct CyclicGraph {
  std::vector<op_id> op;              // vertex -> op
  std::vector<std::int64_t> offsets;  // CSR rows, length V + 1
  std::vector<std::int32_t> dst;      // target vertex
  std::vector<edge_id> edge;          // the Problem's edge (delay and distance are read there)
  std::int64_t delay_sum = 0;         // sum of lambda: no cycle has a larger ratio
};

CyclicGraph cyclic_part(const Problem& p) {
  using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                                 boost::no_property, boost::no_property,
                                                 std::uint32_t, std::uint64_t>;
  const op_id n = p.num_ops();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  pairs.reserve(static_cast<std::size_t>(p.num_edges()));
  for (edge_id e = 0; e < p.num_edges(); ++e)
    pairs.emplace_back(static_cast<std::uint32_t>(p.edge_src[e]),
                       static_cast<std::uint32_t>(p.edge_dst[e]));
  // Problem edges are in CSR order (sorted by source).
  const Csr g(boost::edges_are_sorted, pairs.begin(), pairs.end(), static_cast<std::uint32_t>(n));
  pairs = {};
  std::vector<std::uint32_t> comp(static_cast<std::size_t>(n));
  boost::strong_components(
      g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));

  auto on_cycle = [&](edge_id e) { return comp[p.edge_src[e]] == comp[p.edge_dst[e]]; };
  std::vector<std::int32_t> local(static_cast<std::size_t>(n), -1);
  for (edge_id e = 0; e < p.num_edges(); ++e)
    if (on_cycle(e)) local[p.edge_src[e]] = local[p.edge_dst[e]] = 0;
  // Number the vertices in topological order: the first labelling pass then settles every
  // distance-0 path at once.
  CyclicGraph c;
  for (op_id i : p.topo_order)
    if (local[i] == 0) {
      local[i] = static_cast<std::int32_t>(c.op.size());
      c.op.push_back(i);
    }
  c.offsets.assign(c.op.size() + 1, 0);
  for (std::size_t v = 0; v < c.op.size(); ++v) {
    const op_id i = c.op[v];
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (on_cycle(e)) {
        c.dst.push_back(local[p.edge_dst[e]]);
        c.edge.push_back(e);
        c.delay_sum += p.edge_delay[e];
      }
    c.offsets[v + 1] = static_cast<std::int64_t>(c.edge.size());
  }
  return c;
}

/// Longest paths from a virtual root (every label starts at 0) under weights
/// lambda_e - ii * delta_e: FIFO Bellman-Ford with Tarjan's subtree disassembly. Relabelling v
/// detaches v's subtree of the path tree; meeting the op being scanned inside it closes a cycle
/// of positive weight, found as soon as the tree contains it. Returns true when there is none;
/// otherwise false with the cycle's positions in g.edge, in cycle order.
bool no_positive_cycle(const Problem& p, const CyclicGraph& g, std::int64_t ii,
                       std::vector<std::int64_t>& cycle) {
  const auto nv = static_cast<std::int32_t>(g.op.size());
  const std::int32_t root = nv;
  const auto un = static_cast<std::size_t>(nv);
  std::vector<std::int64_t> label(un, 0), parent_edge(un, -1);
  std::vector<std::int32_t> parent(un, root), depth(un + 1, 1), next(un + 1), prev(un + 1);
  std::vector<std::int32_t> ring(un);
  std::vector<char> in_tree(un, 1), queued(un, 1);
  // Preorder thread of the tree, circular through the root: root, 0, 1, ..., nv - 1.
  depth[root] = 0;
  for (std::int32_t v = 0; v <= nv; ++v) {
    next[v] = v == nv ? 0 : (v + 1 == nv ? root : v + 1);
    prev[v] = v == 0 ? root : (v == nv ? nv - 1 : v - 1);
  }
  for (std::int32_t v = 0; v < nv; ++v) ring[v] = v;
  std::size_t head = 0, size = un;

  while (size > 0) {
    const std::int32_t u = ring[head];
    head = head + 1 == un ? 0 : head + 1;
    --size;
    queued[u] = 0;
    if (!in_tree[u]) continue;  // detached: its label is stale and will be raised again
    for (std::int64_t k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const std::int32_t v = g.dst[k];
      const edge_id e = g.edge[k];
      const std::int64_t cand =
          label[u] + p.edge_delay[e] - ii * static_cast<std::int64_t>(p.edge_distance[e]);
      if (cand <= label[v]) continue;
      if (v == u) {
        cycle.assign(1, k);
        return false;
      }
      if (in_tree[v]) {
        // v's subtree is the run after v in the thread with larger depth.
        std::int32_t x = next[v];
        while (depth[x] > depth[v]) {
          if (x == u) {
            cycle.clear();
            for (std::int32_t y = u; y != v; y = parent[y]) cycle.push_back(parent_edge[y]);
            std::reverse(cycle.begin(), cycle.end());
            cycle.push_back(k);
            return false;
          }
          in_tree[x] = 0;
          x = next[x];
        }
        next[prev[v]] = x;
        prev[x] = prev[v];
      }
      label[v] = cand;
      parent[v] = u;
      parent_edge[v] = k;
      depth[v] = depth[u] + 1;
      next[v] = next[u];
      prev[next[u]] = v;
      next[u] = v;
      prev[v] = u;
      in_tree[v] = 1;
      if (!queued[v]) {
        queued[v] = 1;
        ring[(head + size) % un] = v;
        ++size;
      }
    }
  }
  return true;
}

std::string cycle_text(const Problem& p, const std::vector<op_id>& ops) {
  std::string s;
  const std::size_t shown = std::min<std::size_t>(ops.size(), 12);
  for (std::size_t k = 0; k < shown; ++k) s += quoted_name(p, ops[k]) + " -> ";
  if (shown < ops.size()) s += "... (" + std::to_string(ops.size() - shown) + " more) -> ";
  return s + quoted_name(p, ops[0]);
}

std::string critical_path_message(const Problem& p, const std::vector<std::int32_t>& asap,
                                  std::int32_t horizon, std::int32_t cp) {
  op_id last = 0;
  while (asap[last] + occupancy(p, last) != cp) ++last;
  // Walk back along tight distance-0 edges to where the chain starts.
  op_id first = last;
  std::int64_t ops = 1;
  for (bool found = true; found;) {
    found = false;
    for (edge_id q = p.pred_offsets[first]; q < p.pred_offsets[first + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.edge_distance[e] == 0 && asap[p.edge_src[e]] + p.edge_delay[e] == asap[first]) {
        first = p.edge_src[e];
        ++ops;
        found = true;
        break;
      }
    }
  }
  std::string msg = prefix(p) + "horizon D=" + std::to_string(horizon) +
                    " is shorter than the critical path " + std::to_string(cp) + " (op " +
                    quoted_name(p, last) + " cannot finish before step " + std::to_string(cp);
  if (first != last)
    msg += "; its chain of " + std::to_string(ops) + " ops starts at " + quoted_name(p, first);
  return msg + ")";
}

}  // namespace

std::int32_t compute_rec_mii(const Problem& p, RecurrenceCycle* critical) {
  if (critical) *critical = RecurrenceCycle{};
  if (p.num_loop_carried() == 0) return 0;
  const CyclicGraph g = cyclic_part(p);
  if (g.op.empty()) return 0;

  // lo: every II below it is infeasible (it is the ceiling of a cycle's ratio); hi: feasible.
  std::int64_t lo = 0;
  std::int64_t hi = std::min(g.delay_sum, kMaxII);
  std::vector<std::int64_t> cycle, best;
  std::int64_t step = 1;
  for (int probes = 0; lo < hi; ++probes) {
    // The first probes sit at lo: the positive cycle found usually is (nearly) critical, so
    // its ratio jumps straight to the answer. Then gallop from lo, which turns into bisection.
    std::int64_t probe = lo;
    if (probes >= 4) {
      probe = lo + std::min(step, (hi - lo) / 2);
      step *= 2;
    }
    if (no_positive_cycle(p, g, probe, cycle)) {
      hi = probe;
      continue;
    }
    std::int64_t delay = 0, distance = 0;
    for (auto k : cycle) {
      delay += p.edge_delay[g.edge[k]];
      distance += p.edge_distance[g.edge[k]];
    }
    if (distance <= 0) throw Error("compute_rec_mii: cycle without a loop-carried edge");
    const std::int64_t need = (delay + distance - 1) / distance;  // > probe
    if (need > lo) {
      lo = std::min(need, hi);
      best = cycle;
    }
  }
  if (critical && lo > 0 && !best.empty()) {
    for (auto k : best) {
      const edge_id e = g.edge[k];
      critical->ops.push_back(p.edge_src[e]);
      critical->edges.push_back(e);
      critical->delay += p.edge_delay[e];
      critical->distance += p.edge_distance[e];
    }
  }
  return static_cast<std::int32_t>(lo);
}

std::int32_t compute_res_mii(const Problem& p, std::int32_t* bounding_class) {
  const std::size_t nk = p.resources.size();
  std::vector<std::int64_t> busy(nk, 0), users(nk, 0);
  std::vector<op_id> first(nk, -1);
  for (op_id i = 0; i < p.num_ops(); ++i) {
    const std::int32_t k = p.op_resource[i];
    if (k < 0 || p.blocking[i] <= 0) continue;
    busy[k] += p.blocking[i];
    ++users[k];
    if (first[k] < 0) first[k] = i;
  }
  std::int64_t best = 0;
  std::int32_t cls = -1;
  for (std::size_t k = 0; k < nk; ++k) {
    const std::int64_t limit = p.resources[k].limit;
    if (limit < 0 || busy[k] == 0) continue;
    if (limit == 0)
      throw InfeasibleError(prefix(p) + "resource class '" + p.resources[k].name +
                            "' has limit 0 but op " + quoted_name(p, first[k]) +
                            (users[k] > 1 ? " (and " + std::to_string(users[k] - 1) + " more)"
                                          : std::string()) +
                            " needs one of its units");
    const std::int64_t need = (busy[k] + limit - 1) / limit;
    if (need > best) {
      best = need;
      cls = static_cast<std::int32_t>(k);
    }
  }
  if (bounding_class) *bounding_class = cls;
  return static_cast<std::int32_t>(std::min(best, kMaxII));
}

Analysis analyze(const Problem& p, std::int32_t horizon) {
  if (horizon < 0)
    throw InputError(prefix(p) + "negative horizon D=" + std::to_string(horizon));
  Analysis a;
  a.asap = asap_starts(p);
  a.critical_path = critical_path(p, a.asap);
  const std::int32_t d = horizon > 0 ? horizon : (p.horizon > 0 ? p.horizon : a.critical_path);
  if (d < a.critical_path)
    throw InfeasibleError(critical_path_message(p, a.asap, d, a.critical_path));
  a.horizon = d;
  a.alap = alap_starts(p, d);
  const auto un = static_cast<std::size_t>(p.num_ops());
  a.mobility.resize(un);
  for (std::size_t i = 0; i < un; ++i) a.mobility[i] = a.alap[i] - a.asap[i];

  a.level.assign(un, 0);
  for (op_id j : p.topo_order) {
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.edge_distance[e] == 0) a.level[j] = std::max(a.level[j], a.level[p.edge_src[e]] + 1);
    }
    a.num_levels = std::max(a.num_levels, a.level[j] + 1);
  }
  a.res_mii = compute_res_mii(p, &a.res_mii_class);
  a.rec_mii = compute_rec_mii(p, &a.rec_cycle);
  return a;
}

void check_ii(const Problem& p, const Analysis& a, std::int32_t ii) {
  if (ii < 1)
    throw InputError(prefix(p) + "initiation interval must be >= 1, got " + std::to_string(ii));
  if (ii < a.rec_mii) {
    std::string msg = prefix(p) + "II=" + std::to_string(ii) + " is below the recurrence bound " +
                      std::to_string(a.rec_mii);
    if (!a.rec_cycle.ops.empty())
      msg += ": cycle " + cycle_text(p, a.rec_cycle.ops) + " has delay " +
             std::to_string(a.rec_cycle.delay) + " over distance " +
             std::to_string(a.rec_cycle.distance);
    throw InfeasibleError(msg);
  }
  if (ii < a.res_mii) {
    std::string msg = prefix(p) + "II=" + std::to_string(ii) + " is below the resource bound " +
                      std::to_string(a.res_mii);
    if (a.res_mii_class >= 0) {
      std::int64_t busy = 0;
      for (op_id i = 0; i < p.num_ops(); ++i)
        if (p.op_resource[i] == a.res_mii_class) busy += p.blocking[i];
      const Resource& r = p.resources[a.res_mii_class];
      msg += ": class '" + r.name + "' is busy " + std::to_string(busy) +
             " unit-cycles per iteration on " + std::to_string(r.limit) +
             (r.limit == 1 ? " unit" : " units");
    }
    throw InfeasibleError(msg);
  }
}

void check_ii(const Problem& p, std::int32_t ii) {
  if (ii < 1)
    throw InputError(prefix(p) + "initiation interval must be >= 1, got " + std::to_string(ii));
  Analysis a;
  a.res_mii = compute_res_mii(p, &a.res_mii_class);
  a.rec_mii = compute_rec_mii(p, &a.rec_cycle);
  check_ii(p, a, ii);
}

std::vector<std::int32_t> earliest_starts(const Problem& p, std::int32_t ii,
                                          std::span<const std::int32_t> floor) {
  const op_id n = p.num_ops();
  std::vector<std::int64_t> s(static_cast<std::size_t>(n), 0);
  for (std::size_t i = 0; i < floor.size() && i < s.size(); ++i) s[i] = std::max(floor[i], 0);
  for (op_id pass = 0; pass <= n; ++pass) {
    bool changed = false;
    for (const op_id j : p.topo_order)
      for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
        const edge_id e = p.pred_edges[q];
        if (p.edge_distance[e] > 0 && ii <= 0) continue;
        const std::int64_t need = s[p.edge_src[e]] + p.edge_delay[e] -
                                  std::int64_t{p.edge_distance[e]} * std::max(ii, 0);
        if (need > s[j]) {
          s[j] = need;
          changed = true;
        }
      }
    if (!changed) {
      std::vector<std::int32_t> out(s.size());
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] > std::numeric_limits<std::int32_t>::max() / 2)
          throw InfeasibleError("the earliest starts pass 2^30 steps");
        out[i] = static_cast<std::int32_t>(s[i]);
      }
      return out;
    }
  }
  return {};  // a cycle of positive length at this II
}

}  // namespace gaus
