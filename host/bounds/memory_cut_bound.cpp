// The min-cut bound on peak live memory (see host/bounds/memory_cut_bound.hpp for why it holds).
//
// The network of step d (source side = in S_d, sink side = "starts after d"). Ops free at d
// (ASAP_j <= d < ALAP_j) are nodes; forced-in ops stand for the source, forced-out ones for
// the sink.
//   closure   j -> i, infinite, for each distance-0 edge i -> j between free ops (j in S, i not:
//             never); an edge from a forced-in op or to a forced-out one constrains nothing, and
//             ASAP/ALAP rule out the other mixed cases.
//   cost      value i with out_size w > 0 pays w when it is in S and some consumer is not:
//             a forced-out consumer makes that certain (forced-in i: a constant, free i: arc
//             i -> t of w); otherwise over its free consumers F (forced-in ones are in S): one
//             consumer j gives arc i -> j of w, several an auxiliary node a with i -> a of w and
//             a -> j infinite (a on the source side needs every j there). A forced-in i is the
//             source in these arcs.
// The sweep keeps every op as a node instead: forced-in ops are joined to the source (when d
// reaches ALAP_i) and forced-out ones hold an infinite arc to the sink (until d reaches
// ASAP_i), which is the same cut. As d grows, source capacities only grow and sink ones only
// shrink, so one push-relabel state serves every step (host/bounds/parametric_flow.hpp).
// Sizes become integers: exactly when they all are, else rounded down on a grid of 2^-k.
#include "host/bounds/memory_cut_bound.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/bounds/live_profile.hpp"
#include "host/bounds/max_flow.hpp"
#include "host/bounds/parametric_flow.hpp"

namespace gaus::detail {

namespace {

struct Sizes {
  std::vector<std::int64_t> w;  ///< out_size on the grid
  double scale = 1;             ///< w = floor(out_size * scale)
  std::int64_t total = 0;
};

Sizes grid_sizes(const Problem& p) {
  Sizes z;
  double total = 0;
  bool integral = true;
  for (op_id i = 0; i < p.num_ops(); ++i) {
    const double b = std::max(p.out_size[i], 0.0);
    total += b;
    integral &= std::floor(b) == b;
  }
  constexpr double kMax = 4503599627370496.0;  // 2^52: sums stay exact, infinities fit
  if (!integral || total > kMax)
    z.scale = total > 0 ? std::exp2(std::floor(std::log2(kMax / total))) : 1.0;
  z.w.resize(static_cast<std::size_t>(p.num_ops()));
  for (op_id i = 0; i < p.num_ops(); ++i) {
    z.w[i] = static_cast<std::int64_t>(std::floor(std::max(p.out_size[i], 0.0) * z.scale));
    z.total += z.w[i];
  }
  return z;
}

/// M(d) of a schedule for every step of [0, D), in grid units.
std::vector<std::int64_t> step_memory(const Problem& p, const Sizes& z, std::int32_t horizon,
                                      const std::vector<std::int32_t>& start) {
  return live_profile<std::int64_t>(p, horizon, start, start, [&](op_id i) { return z.w[i]; });
}

/// cut(d) on the network of step d alone, contracted as described at the top, by Dinic's
/// algorithm: the reference the sweep is tested against (memory_cut_at).
std::int64_t step_cut(const Problem& p, const Sizes& z, const std::vector<std::int32_t>& asap,
                      const std::vector<std::int32_t>& alap, std::int32_t d) {
  constexpr std::int32_t s = 0, t = 1;
  const std::int64_t inf = z.total + 1;  // above every finite cut
  // Free ops are nodes 2, 3, ..., forced-in ones stand for s, the others are -1.
  std::vector<std::int32_t> node(static_cast<std::size_t>(p.num_ops()), -1);
  std::int32_t nodes = 2;
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (asap[i] <= d) node[i] = alap[i] > d ? nodes++ : s;
  MaxFlow flow;
  std::int64_t constant = 0;
  std::vector<std::int32_t> free;
  for (op_id i = 0; i < p.num_ops(); ++i) {
    const std::int32_t u = node[i];
    if (u < 0) continue;  // forced out: stores nothing at d
    if (u != s)
      for (edge_id q = p.pred_offsets[i]; q < p.pred_offsets[i + 1]; ++q) {
        const edge_id e = p.pred_edges[q];
        const op_id h = p.edge_src[e];
        if (p.edge_distance[e] == 0 && p.edge_delay[e] >= 0 && node[h] > t)
          flow.add_arc(u, node[h], inf);
      }
    const std::int64_t w = z.w[i];
    if (w == 0) continue;
    bool out = false;
    free.clear();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1] && !out; ++e) {
      if (p.edge_distance[e] != 0) continue;
      const op_id j = p.edge_dst[e];
      if (asap[j] > d) out = true;
      else if (alap[j] > d) free.push_back(node[j]);
    }
    if (out && u == s) {
      constant += w;
    } else if (out) {
      flow.add_arc(u, t, w);
    } else if (free.size() == 1) {
      flow.add_arc(u, free[0], w);
    } else if (free.size() > 1) {
      const std::int32_t a = nodes++;
      flow.add_arc(u, a, w);
      for (const std::int32_t v : free) flow.add_arc(a, v, inf);
    }
  }
  return constant + flow.run(s, t);
}

/// Ops ordered by key (values in [0, D)), by counting.
std::vector<op_id> ops_by(const std::vector<std::int32_t>& key, std::int32_t horizon) {
  std::vector<std::int32_t> first(static_cast<std::size_t>(horizon) + 1, 0);
  for (const std::int32_t k : key) ++first[k + 1];
  for (std::int32_t d = 0; d < horizon; ++d) first[d + 1] += first[d];
  std::vector<op_id> order(key.size());
  for (op_id i = 0; i < static_cast<op_id>(key.size()); ++i) order[first[key[i]]++] = i;
  return order;
}

/// The network of every step at once (the sweep): all ops are nodes, aux nodes after them,
/// the sink last. Forced-out ops hold an infinite arc to the sink until d reaches their ASAP
/// start, forced-in ones join the source at their ALAP start: a monotone parametric family.
void build_sweep(const Problem& p, const Sizes& z, const std::vector<std::int32_t>& asap,
                 ParametricFlow& flow) {
  const op_id n = p.num_ops();
  std::vector<op_id> consumers;
  std::vector<std::int32_t> seen(static_cast<std::size_t>(n), -1);
  std::int32_t aux = n;
  for (op_id i = 0; i < n; ++i) {
    if (z.w[i] == 0) continue;
    consumers.clear();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0 && seen[p.edge_dst[e]] != i) {
        seen[p.edge_dst[e]] = i;
        consumers.push_back(p.edge_dst[e]);
      }
    aux += consumers.size() > 1;
  }
  flow.reset(aux + 1, aux);
  aux = n;
  std::fill(seen.begin(), seen.end(), -1);
  for (op_id i = 0; i < n; ++i) {
    consumers.clear();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
      if (p.edge_distance[e] != 0) continue;
      const op_id j = p.edge_dst[e];
      if (p.edge_delay[e] >= 0) flow.add_arc(j, i, ParametricFlow::kInfinite);
      if (seen[j] != i) {
        seen[j] = i;
        consumers.push_back(j);
      }
    }
    if (z.w[i] > 0 && consumers.size() == 1) flow.add_arc(i, consumers[0], z.w[i]);
    if (z.w[i] > 0 && consumers.size() > 1) {
      flow.add_arc(i, aux, z.w[i]);
      for (const op_id j : consumers) flow.add_arc(aux, j, ParametricFlow::kInfinite);
      ++aux;
    }
    if (asap[i] > 0) flow.add_sink_arc(i);
  }
  flow.start();
}

}  // namespace

MemoryCutResult memory_cut_bound(const Problem& p, std::int32_t horizon,
                                 const MemoryCutOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  MemoryCutResult r;
  r.bound = o.known_bound;
  const op_id n = p.num_ops();
  const std::vector<std::int32_t> asap = asap_starts(p), alap = alap_starts(p, horizon);
  bool feasible = horizon > 0;
  for (op_id i = 0; i < n && feasible; ++i) feasible = asap[i] <= alap[i];
  if (n == 0 || !feasible) {  // no schedule fits D: nothing to bound
    r.complete = true;
    return r;
  }
  const Sizes z = grid_sizes(p);
  if (z.total >= ParametricFlow::kInfinite / 2)
    throw InputError("memory cut bound: the output sizes sum past 2^60 on their grid");
  // Upper bounds per step: ASAP, ALAP and the caller's schedules.
  std::vector<std::int64_t> upper = step_memory(p, z, horizon, asap);
  auto tighten = [&](const std::vector<std::int32_t>& start) {
    if (start.size() != static_cast<std::size_t>(n)) return;
    const std::vector<std::int64_t> m = step_memory(p, z, horizon, start);
    for (std::size_t d = 0; d < upper.size(); ++d) upper[d] = std::min(upper[d], m[d]);
  };
  tighten(alap);
  for (const auto* s : o.upper_schedules)
    if (s != nullptr) tighten(*s);
  auto value = [&](std::int64_t x) { return static_cast<double>(x) / z.scale; };
  auto raise = [&](std::int64_t x, std::int32_t d) {
    if (value(x) > r.bound) {
      r.bound = value(x);
      r.best_step = d;
    }
  };
  // The memory every schedule holds at d: values with ALAP_i <= d < max_j ASAP_j.
  const std::vector<std::int64_t> forced =
      live_profile<std::int64_t>(p, horizon, alap, asap, [&](op_id i) { return z.w[i]; });
  for (std::int32_t d = 0; d < horizon; ++d) raise(forced[d], d);
  auto out_of_time = [&] { return elapsed() >= o.time_budget_s || (o.stop && o.stop()); };
  // Building the network cannot be interrupted: with a budget it must fit in what is left
  // (about 0.12 us per op and edge on EPFL hyp, 0.08 s; twice that is assumed).
  const double build_s = 2.5e-7 * static_cast<double>(n + p.num_edges());
  if (out_of_time() || elapsed() + build_s > o.time_budget_s) {
    r.seconds = elapsed();
    return r;
  }
  // Events per step: sink arcs dropped at ASAP starts, sources joined at ALAP starts.
  const std::vector<op_id> by_asap = ops_by(asap, horizon), by_alap = ops_by(alap, horizon);
  ParametricFlow flow;
  build_sweep(p, z, asap, flow);
  std::size_t ka = 0, kl = 0;
  for (std::int32_t d = 0; d < horizon; ++d) {
    // cut(d) <= upper(d): a step at or below the bound needs no solve (its changes are kept
    // and applied with the next solved step's).
    if (!(value(upper[d]) > r.bound) || forced[d] >= upper[d]) {
      ++r.steps_skipped;
      continue;
    }
    for (; ka < by_asap.size() && asap[by_asap[ka]] <= d; ++ka) flow.drop_sink_arc(by_asap[ka]);
    for (; kl < by_alap.size() && alap[by_alap[kl]] <= d; ++kl) flow.make_source(by_alap[kl]);
    flow.finish_sources();
    ++r.steps_cut;
    const bool done = flow.solve(out_of_time);
    raise(flow.sink_flow(), d);
    if (!done) {
      r.seconds = elapsed();
      return r;
    }
  }
  r.complete = true;
  r.seconds = elapsed();
  return r;
}

double memory_cut_at(const Problem& p, std::int32_t horizon, std::int32_t step) {
  if (horizon <= 0 || p.num_ops() == 0 || step < 0 || step >= horizon) return 0.0;
  const std::vector<std::int32_t> asap = asap_starts(p), alap = alap_starts(p, horizon);
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (asap[i] > alap[i]) return 0.0;  // no schedule fits D
  const Sizes z = grid_sizes(p);
  return static_cast<double>(step_cut(p, z, asap, alap, step)) / z.scale;
}

}  // namespace gaus::detail
