// ASAP, ALAP and resource-constrained list scheduling.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <queue>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"

using namespace gaus;
using gaus::test::check_legal;
using gaus::test::Net;
using gaus::test::peak_use;

namespace {

/// The same op-by-op algorithm with a plain table scanned step by step: the reference the
/// skip-pointer reservation table must agree with exactly.
std::vector<std::int32_t> naive_list(const Problem& p, const ListOptions& o) {
  const op_id n = p.num_ops();
  const auto order = priority_order(p, o.priority);
  std::vector<op_id> rank(n);
  for (op_id r = 0; r < n; ++r) rank[order[r]] = r;
  std::vector<std::vector<std::int32_t>> busy(p.resources.size());
  std::vector<std::int32_t> waiting(n, 0), bound(n, 0), s(n, 0);
  for (edge_id e = 0; e < p.num_edges(); ++e) waiting[p.edge_dst[e]] += p.edge_distance[e] == 0;
  for (op_id i = 0; i < n && !o.release.empty(); ++i) bound[i] = std::max(0, o.release[i]);
  std::priority_queue<op_id, std::vector<op_id>, std::greater<>> ready;
  for (op_id i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(rank[i]);
  while (!ready.empty()) {
    const op_id i = order[ready.top()];
    ready.pop();
    std::int32_t t = bound[i];
    const std::int32_t k = p.op_resource[i];
    if (k >= 0 && p.blocking[i] > 0 && p.resources[k].limit >= 0) {
      auto& use = busy[k];
      auto free_at = [&](std::int32_t d) {
        return d >= static_cast<std::int32_t>(use.size()) || use[d] < p.resources[k].limit;
      };
      for (;; ++t) {
        bool ok = true;
        for (std::int32_t u = 0; u < p.blocking[i] && ok; ++u) ok = free_at(t + u);
        if (ok) break;
      }
      if (use.size() < static_cast<std::size_t>(t + p.blocking[i])) use.resize(t + p.blocking[i]);
      for (std::int32_t u = 0; u < p.blocking[i]; ++u) ++use[t + u];
    }
    s[i] = t;
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
      if (p.edge_distance[e] != 0) continue;
      const op_id j = p.edge_dst[e];
      bound[j] = std::max(bound[j], t + p.edge_delay[e]);
      if (--waiting[j] == 0) ready.push(rank[j]);
    }
  }
  return s;
}

}  // namespace

TEST_CASE("heuristics asap/alap: chain and diamond, horizon checks") {
  Net n;
  const op_id a = n.op("add"), b = n.op("mul", 2), c = n.op("add"), d = n.op("add", 0);
  n.edge(a, b);
  n.edge(a, c);
  n.edge(b, d);
  n.edge(c, d);
  const Problem p = n.build();
  const Schedule asap = asap_schedule(p);
  CHECK(asap.start == std::vector<std::int32_t>{0, 1, 1, 3});
  CHECK(asap.horizon == 4);
  CHECK(asap.ii == 0);
  check_legal(p, asap);
  const Schedule alap = alap_schedule(p);  // horizon 0 -> critical path
  CHECK(alap.start == std::vector<std::int32_t>{0, 1, 2, 3});
  CHECK(alap.horizon == 4);
  check_legal(p, alap);
  const Schedule late = alap_schedule(p, 7);
  CHECK(late.start == std::vector<std::int32_t>{3, 4, 5, 6});
  check_legal(p, late);
  CHECK_THROWS_AS((void)alap_schedule(p, 3), InfeasibleError);
  CHECK_THROWS_AS((void)alap_schedule(p, -1), InputError);

  const Problem empty = ProblemBuilder().build();
  CHECK(asap_schedule(empty).start.empty());
  CHECK(alap_schedule(empty).horizon == 0);
  CHECK(list_schedule(empty).start.empty());
  CHECK(list_schedule(empty).horizon == 0);
}

TEST_CASE("heuristics list: chain, diamond and fan-out under a limit of one unit") {
  SUBCASE("chain") {
    Net n;
    for (int i = 0; i < 4; ++i) n.op("add");
    for (op_id i = 0; i < 3; ++i) n.edge(i, i + 1);
    n.limit("add", 1);
    const Problem p = n.build();
    const Schedule s = list_schedule(p);
    CHECK(s.start == std::vector<std::int32_t>{0, 1, 2, 3});
    CHECK(s.horizon == 4);
    check_legal(p, s);
  }
  SUBCASE("diamond: the two middle ops share one unit") {
    Net n;
    const op_id a = n.op("x"), b = n.op("add"), c = n.op("add"), d = n.op("x");
    n.edge(a, b);
    n.edge(a, c);
    n.edge(b, d);
    n.edge(c, d);
    n.limit("add", 1);
    const Problem p = n.build();
    const Schedule s = list_schedule(p);
    CHECK(s.start == std::vector<std::int32_t>{0, 1, 2, 3});
    check_legal(p, s);
  }
  SUBCASE("fan-out of 10 onto one unit serializes") {
    Net n;
    const op_id root = n.op("ld");
    for (int i = 0; i < 10; ++i) n.edge(root, n.op("mul", 1));
    n.limit("mul", 1);
    const Problem p = n.build();
    const Schedule s = list_schedule(p);
    check_legal(p, s);
    CHECK(schedule_latency(p, s) == 11);
    CHECK(peak_use(p, s, p.op_resource[1]) == 1);
    for (op_id i = 1; i <= 10; ++i) CHECK(s.start[i] == i);  // ties by op index
    // ASAP ignores the limit: the verifier sees ten muls in one step.
    const VerifyResult asap = verify(p, asap_schedule(p));
    CHECK_FALSE(asap.legal);
    CHECK(asap.violations.at(0).kind == ViolationKind::Capacity);
  }
}

TEST_CASE("heuristics list: blocking, pipelining and zero latency") {
  SUBCASE("non-pipelined B = L = 2 holds the unit two cycles") {
    Net n;
    for (int i = 0; i < 3; ++i) n.op("mul", 2, 2);
    n.limit("mul", 1);
    const Problem p = n.build();
    const Schedule s = list_schedule(p);
    CHECK(s.start == std::vector<std::int32_t>{0, 2, 4});
    CHECK(s.horizon == 6);
    check_legal(p, s);
  }
  SUBCASE("pipelined B = 1 issues every cycle") {
    Net n;
    for (int i = 0; i < 3; ++i) n.op("mul", 2, 1);
    n.limit("mul", 1);
    const Problem p = n.build();
    const Schedule s = list_schedule(p);
    CHECK(s.start == std::vector<std::int32_t>{0, 1, 2});
    CHECK(s.horizon == 4);
    check_legal(p, s);
  }
  SUBCASE("a later short op fills a gap before a long one; a long op skips short gaps") {
    Net n;
    const op_id a = n.op("u", 1, 1), b = n.op("u", 3, 3), c = n.op("u", 1, 1), d = n.op("u", 2, 2);
    n.limit("u", 1);
    const Problem p = n.build();
    ListOptions o;
    o.priority = {0, 1, 2, 3};
    o.release = {0, 2, 0, 0};
    const Schedule s = list_schedule(p, o);
    CHECK(s.start[a] == 0);
    CHECK(s.start[b] == 2);  // busy 2..4
    CHECK(s.start[c] == 1);  // the gap at 1
    CHECK(s.start[d] == 5);  // needs two free steps in a row
    check_legal(p, s);
  }
  SUBCASE("zero-latency ops share a step; zero blocking holds no unit") {
    Net n;
    for (int i = 0; i < 4; ++i) n.op("wire", 0, 0);
    for (op_id i = 0; i < 3; ++i) n.edge(i, i + 1);
    n.limit("wire", 1);
    const Problem p = n.build();
    const Schedule s = list_schedule(p);
    CHECK(s.start == std::vector<std::int32_t>{0, 0, 0, 0});
    CHECK(s.horizon == 1);
    check_legal(p, s);
  }
  SUBCASE("zero-latency ops that block one cycle are serialized by the limit") {
    Net n;
    for (int i = 0; i < 3; ++i) n.op("wire", 0, 1);
    n.edge(0, 1);
    n.edge(1, 2);
    n.limit("wire", 1);
    const Problem p = n.build();
    const Schedule s = list_schedule(p);
    CHECK(s.start == std::vector<std::int32_t>{0, 1, 2});
    check_legal(p, s);
  }
  SUBCASE("single op") {
    Net n;
    n.op("add", 3);
    const Problem p = n.build();
    const Schedule s = list_schedule(p);
    CHECK(s.start == std::vector<std::int32_t>{0});
    CHECK(s.horizon == 3);
    check_legal(p, s);
  }
}

TEST_CASE("heuristics list: priorities, releases, horizon stamping and bad options") {
  Net n;
  for (int i = 0; i < 3; ++i) n.op("add");
  n.limit("add", 1);
  const Problem p = n.build();
  ListOptions o;
  o.priority = {2.5, 0.5, 1.0};
  CHECK(list_schedule(p, o).start == std::vector<std::int32_t>{2, 0, 1});
  o.release = {0, 4, -3};  // negative counts as 0
  const Schedule r = list_schedule(p, o);
  CHECK(r.start == std::vector<std::int32_t>{1, 4, 0});
  check_legal(p, r);

  o = {};
  o.horizon = 2;  // three ops on one unit need 3: reported, not enforced
  const Schedule h = list_schedule(p, o);
  CHECK(h.horizon == 2);
  CHECK(schedule_latency(p, h) == 3);
  CHECK_FALSE(verify(p, h).legal);
  CHECK(verify(p, h).violations.at(0).kind == ViolationKind::Horizon);

  o = {};
  o.priority = {1, 2};
  CHECK_THROWS_AS((void)list_schedule(p, o), InputError);
  o.priority = {1, std::nan(""), 2};
  CHECK_THROWS_AS((void)list_schedule(p, o), InputError);
  o = {};
  o.release = {1};
  CHECK_THROWS_AS((void)list_schedule(p, o), InputError);

  // A far-off release costs one table page, and a start past 2^31 - 1 steps is refused.
  o = {};
  o.release = {1 << 30, 1 << 30, 0};
  const Schedule far = list_schedule(p, o);
  CHECK(far.start == std::vector<std::int32_t>{1 << 30, (1 << 30) + 1, 0});
  check_legal(p, far);
  o.release[0] = std::numeric_limits<std::int32_t>::max();
  CHECK_THROWS_AS((void)list_schedule(p, o), InfeasibleError);

  Net z;
  z.op("add");
  z.limit("add", 0);
  CHECK_THROWS_AS((void)list_schedule(z.build()), InfeasibleError);
}

TEST_CASE("heuristics list: seeded random graphs match the naive reference and are legal") {
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    Net net = gaus::test::random_dag(seed, 400, 3, 30, seed % 2 ? 2 : 1);
    net.limit("add", 1 + static_cast<std::int32_t>(seed % 3));
    net.limit("mul", 1 + static_cast<std::int32_t>(seed % 2));
    const Problem p = net.build();
    ListOptions o;
    if (seed > 3) {  // the solver's use: an order by mu and releases at round(mu)
      std::mt19937 rng(seed);
      const auto asap = asap_starts(p);
      for (op_id i = 0; i < p.num_ops(); ++i) {
        o.priority.push_back(asap[i] + static_cast<double>(rng() % 100) / 10.0);
        o.release.push_back(static_cast<std::int32_t>(std::lround(o.priority.back())) - 2);
      }
    }
    const Schedule s = list_schedule(p, o);
    CAPTURE(seed);
    CHECK(s.start == naive_list(p, o));
    check_legal(p, s);
    CHECK(schedule_latency(p, s) >= critical_path(p));
  }
}

// [scale]: run by the cpu_scale CTest entry, whose TIMEOUT is the complexity guard (quadratic
// probing takes minutes here); no clock is read in a unit test.
TEST_CASE("heuristics list: 200k ops under a limit of one unit [scale]") {
  Net net = gaus::test::random_dag(7, 200000, 2, 1000, 2);
  net.limit("mul", 1);  // ~67k non-pipelined muls on one unit: a long serial table
  net.limit("add", 3);
  const Problem p = net.build();
  const Schedule s = list_schedule(p);
  check_legal(p, s);
  std::int64_t mul_busy = 0;
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (p.resources[p.op_resource[i]].name == "mul") mul_busy += p.blocking[i];
  CHECK(schedule_latency(p, s) >= mul_busy);  // the one mul unit is a lower bound
}
