// Force-directed scheduling.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"

using namespace gaus;
using gaus::test::check_legal;
using gaus::test::Net;
using gaus::test::peak_use;

TEST_CASE("heuristics fds: independent ops spread over the horizon") {
  Net n;
  for (int i = 0; i < 4; ++i) n.op("add");
  const Problem p = n.build();
  const Schedule tight = force_directed_schedule(p);  // horizon = critical path = 1
  CHECK(tight.horizon == 1);
  CHECK(tight.start == std::vector<std::int32_t>{0, 0, 0, 0});
  const Schedule s = force_directed_schedule(p, 4);
  CHECK(s.horizon == 4);
  CHECK(s.ii == 0);
  check_legal(p, s);
  CHECK(peak_use(p, s, p.op_resource[0]) == 1);
  const Schedule two = force_directed_schedule(p, 2);
  CHECK(peak_use(p, two, p.op_resource[0]) == 2);
}

TEST_CASE("heuristics fds: non-pipelined ops are spread over their busy cycles") {
  Net n;
  n.op("mul", 2, 2);
  n.op("mul", 2, 2);
  const Problem p = n.build();
  const Schedule s = force_directed_schedule(p, 4);
  check_legal(p, s);
  CHECK(peak_use(p, s, p.op_resource[0]) == 1);  // one at 0..1, the other at 2..3
  Net q;
  q.op("mul", 2, 1);
  q.op("mul", 2, 1);
  const Problem pq = q.build();
  const Schedule sq = force_directed_schedule(pq, 3);  // pipelined: 0 and 1 suffice
  check_legal(pq, sq);
  CHECK(peak_use(pq, sq, pq.op_resource[0]) == 1);
}

TEST_CASE("heuristics fds: two chains interleave on one class") {
  Net n;
  const op_id a1 = n.op("mul"), a2 = n.op("mul"), b1 = n.op("mul"), b2 = n.op("mul");
  n.edge(a1, a2);
  n.edge(b1, b2);
  const Problem p = n.build();
  const Schedule s = force_directed_schedule(p, 4);
  check_legal(p, s);
  CHECK(peak_use(p, s, p.op_resource[0]) == 1);
  CHECK(peak_use(p, asap_schedule(p), p.op_resource[0]) == 2);
}

TEST_CASE("heuristics fds: diamond, zero latency, edge cases") {
  Net n;
  const op_id a = n.op("add"), b = n.op("mul", 2, 2), c = n.op("add"), d = n.op("add", 0);
  const op_id e = n.op("add");
  n.edge(a, b);
  n.edge(a, c);
  n.edge(b, d);
  n.edge(c, d);
  n.edge(d, e, 0, 0);  // d has latency 0: e may share its step
  const Problem p = n.build();
  CHECK(critical_path(p) == 4);
  const Schedule s = force_directed_schedule(p);
  check_legal(p, s);
  CHECK(s.start[d] == 3);
  CHECK(s.start[e] == 3);
  const Schedule slack = force_directed_schedule(p, 6);
  check_legal(p, slack);
  // The adds a, c, d, e on one class: with two steps of slack, no step needs more than one.
  CHECK(peak_use(p, slack, p.op_resource[a]) == 1);
  CHECK_THROWS_AS((void)force_directed_schedule(p, 3), InfeasibleError);
  CHECK_THROWS_AS((void)force_directed_schedule(p, -2), InputError);

  const Problem empty = ProblemBuilder().build();
  CHECK(force_directed_schedule(empty).start.empty());
  Net one;
  one.op("x", 3);
  const Problem q = one.build();
  const Schedule so = force_directed_schedule(q, 5);
  check_legal(q, so);
  CHECK(so.horizon == 5);
}

TEST_CASE("heuristics fds: seeded random graphs stay legal and balance the load") {
  for (std::uint32_t seed = 1; seed <= 4; ++seed) {
    const Problem p = gaus::test::random_dag(seed, 150, 2, 20, seed % 2 ? 2 : 1).build();
    const std::int32_t d = critical_path(p) + 4;
    const Schedule s = force_directed_schedule(p, d);
    CAPTURE(seed);
    check_legal(p, s);
    const Schedule asap = asap_schedule(p);
    for (std::int32_t k = 0; k < static_cast<std::int32_t>(p.resources.size()); ++k)
      CHECK(peak_use(p, s, k) <= peak_use(p, asap, k));
  }
}

TEST_CASE("heuristics fds: a time limit fixes the ops still free at their earliest steps") {
  const Problem p = gaus::test::random_dag(3, 150, 2, 20, 2).build();
  const std::int32_t d = critical_path(p) + 4;
  op_id left = -1;
  const Schedule full = force_directed_schedule(p, d, HUGE_VAL, &left);
  CHECK(left == 0);
  // Out of time before the first round: nothing was fixed by force, so every op sits at the
  // earliest step of its initial frame, its ASAP start.
  const Schedule cut = force_directed_schedule(p, d, 0.0, &left);
  CHECK(left > 0);
  check_legal(p, cut);
  CHECK(cut.horizon == d);
  CHECK(cut.start == asap_schedule(p).start);
  CHECK(full.start != cut.start);
}

namespace {

/// The force-directed scheduler as first written: frames, distribution graphs and every force
/// recomputed from scratch each round. The incremental scheduler must pick exactly the same
/// (op, step) every round, ties and rounding included.
std::vector<std::int32_t> fds_reference(const Problem& p, std::int32_t d) {
  const op_id n = p.num_ops();
  const std::size_t nk = p.resources.size();
  auto loaded = [&](op_id i) { return p.op_resource[i] != kNoResource && p.blocking[i] > 0; };
  std::vector<char> fixed(n, 0);
  std::vector<std::int32_t> at(n, 0), a(n), b(n);
  std::vector<double> cur(n);
  std::vector<std::vector<double>> pp(nk);
  std::vector<std::int32_t> max_b(nk, 0);
  for (op_id i = 0; i < n; ++i)
    if (loaded(i)) max_b[p.op_resource[i]] = std::max(max_b[p.op_resource[i]], p.blocking[i]);
  auto energy = [&](op_id i, std::int32_t lo, std::int32_t hi) {
    if (!loaded(i)) return 0.0;
    const auto& q = pp[p.op_resource[i]];
    const std::int32_t bl = p.blocking[i];
    return ((q[hi + bl + 1] - q[lo + bl]) - (q[hi + 1] - q[lo])) / (hi - lo + 1);
  };
  op_id left = n;
  while (left > 0) {
    for (op_id j : p.topo_order) {
      std::int32_t s = 0;
      for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
        const edge_id e = p.pred_edges[q];
        if (p.edge_distance[e] == 0) s = std::max(s, a[p.edge_src[e]] + p.edge_delay[e]);
      }
      a[j] = fixed[j] ? at[j] : s;
    }
    for (auto it = p.topo_order.rbegin(); it != p.topo_order.rend(); ++it) {
      const op_id i = *it;
      std::int32_t s = d - occupancy(p, i);
      for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
        if (p.edge_distance[e] == 0) s = std::min(s, b[p.edge_dst[e]] - p.edge_delay[e]);
      b[i] = fixed[i] ? at[i] : s;
    }
    for (op_id i = 0; i < n; ++i)
      if (!fixed[i] && a[i] == b[i]) fixed[i] = 1, at[i] = a[i], --left;
    if (left == 0) break;
    for (std::size_t k = 0; k < nk; ++k) {
      const std::size_t len = max_b[k] > 0 ? static_cast<std::size_t>(d) + max_b[k] + 2 : 2;
      std::vector<double> dd(len, 0.0);
      for (op_id i = 0; i < n; ++i) {
        if (!loaded(i) || static_cast<std::size_t>(p.op_resource[i]) != k) continue;
        const double inv = 1.0 / (b[i] - a[i] + 1);
        const std::int32_t bl = p.blocking[i];
        dd[a[i]] += inv, dd[b[i] + 1] -= inv, dd[a[i] + bl] -= inv, dd[b[i] + bl + 1] += inv;
      }
      pp[k].assign(len, 0.0);
      double diff = 0, dg = 0, prefix = 0, prefix2 = 0;
      for (std::size_t x = 0; x < len; ++x) {
        pp[k][x] = prefix2;
        prefix2 += prefix;
        diff += dd[x];
        dg += diff;
        prefix += dg;
      }
    }
    for (op_id i = 0; i < n; ++i) cur[i] = energy(i, a[i], b[i]);
    op_id best_op = -1;
    std::int32_t best_t = 0;
    double best = 0.0;
    for (op_id i = 0; i < n; ++i) {
      if (fixed[i]) continue;
      for (std::int32_t t = a[i]; t <= b[i]; ++t) {
        double f = energy(i, t, t) - cur[i];
        for (edge_id q = p.pred_offsets[i]; q < p.pred_offsets[i + 1]; ++q) {
          const edge_id e = p.pred_edges[q];
          const op_id j = p.edge_src[e];
          if (p.edge_distance[e] != 0 || fixed[j] || !loaded(j)) continue;
          const std::int32_t nb = std::min(b[j], t - p.edge_delay[e]);
          if (nb < b[j]) f += energy(j, a[j], nb) - cur[j];
        }
        for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
          const op_id j = p.edge_dst[e];
          if (p.edge_distance[e] != 0 || fixed[j] || !loaded(j)) continue;
          const std::int32_t na = std::max(a[j], t + p.edge_delay[e]);
          if (na > a[j]) f += energy(j, na, b[j]) - cur[j];
        }
        if (best_op < 0 || f < best - 1e-12) best_op = i, best_t = t, best = f;
      }
    }
    fixed[best_op] = 1, at[best_op] = best_t, --left;
  }
  return at;
}

/// A random DAG over three unit classes (one non-pipelined), zero-latency and unit-free ops,
/// edges with extra delay and a few loop-carried edges (which frames ignore).
Problem random_mixed(std::uint32_t seed, op_id n) {
  std::mt19937 rng(seed);
  Net net;
  for (op_id i = 0; i < n; ++i) {
    switch (rng() % 6) {
      case 0: net.op("mul", 2, 2); break;
      case 1: net.op("mul", 2, 2); break;
      case 2: net.op("ld", 3, 1); break;
      case 3: net.op("wire", 0, 0); break;
      default: net.op("add"); break;
    }
    const int k = i == 0 ? 0 : static_cast<int>(rng() % 4);
    for (int e = 0; e < k; ++e)
      net.edge(i - 1 - static_cast<op_id>(rng() % std::min<op_id>(i, 12)), i, 0,
               rng() % 5 == 0 ? 1 : 0);
    if (i > 3 && rng() % 10 == 0) net.edge(i, static_cast<op_id>(rng() % i), 1);
  }
  return net.build();
}

}  // namespace

TEST_CASE("heuristics fds: incremental scheduler matches the from-scratch reference") {
  for (std::uint32_t seed = 1; seed <= 24; ++seed) {
    const op_id n = 60 + 8 * static_cast<op_id>(seed);
    const Problem p = seed % 3 == 0
                          ? gaus::test::random_dag(seed, 2 * n, 2, 15, 1 + seed % 2).build()
                          : random_mixed(seed, n);
    for (std::int32_t slack : {0, 1, 3, 9}) {
      const std::int32_t d = critical_path(p) + slack;
      CAPTURE(seed);
      CAPTURE(slack);
      const Schedule s = force_directed_schedule(p, d);
      CHECK(s.start == fds_reference(p, d));
      check_legal(p, s);
    }
  }
}
