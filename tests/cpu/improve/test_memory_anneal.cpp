// The memory annealing of formulations B and C (host/improve/memory_anneal.cpp): every result legal,
// never worse than its start, reproducible by seed, and able to cross what single greedy moves
// cannot.
#include <doctest/doctest.h>

#include <chrono>
#include <limits>
#include <optional>

#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/improve/anneal_common.hpp"
#include "host/improve/memory_anneal.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver.hpp"
#include "host/solver/solver_detail.hpp"

using namespace gaus;
using gaus::test::check_legal;
using gaus::test::Net;

namespace {

detail::AnnealOptions moves(std::int64_t n, std::uint64_t seed = 1) {
  detail::AnnealOptions o;
  o.moves = n;
  o.seed = seed;
  return o;
}

/// Random DAG with stored values of sizes 1..3 and, optionally, limited classes.
Problem memory_dag(std::uint32_t seed, bool limited) {
  Net net = gaus::test::random_dag(seed, 80, 3, 12, 2);
  if (limited) {
    net.limit("mul", 1);
    net.limit("add", 2);
  }
  for (op_id i = 0; i < net.b.num_ops(); ++i) net.b.set_out_size(i, 1.0 + i % 3);
  return net.build();
}

}  // namespace

TEST_CASE("memory anneal: zero-latency inputs move to their consumer's step") {
  // A chain a0 -> a1 -> a2 -> a3 (latency 1) and three inputs (latency 0) read by a3 only. ASAP
  // starts the inputs at 0, live until step 3 beside the chain's value: peak 4. Each input can
  // start with a3 (delay 0), which stores it for no step at all: the optimum is 1, the chain.
  Net n;
  op_id prev = n.op("gate", 1);
  for (int k = 1; k < 4; ++k) {
    const op_id a = n.op("gate", 1);
    n.edge(prev, a);
    prev = a;
  }
  for (int k = 0; k < 3; ++k) n.edge(n.op("in", 0), prev);
  for (op_id i = 0; i < n.b.num_ops(); ++i) n.b.set_out_size(i, 1.0);
  const Problem p = n.build();
  Schedule s = asap_schedule(p);
  s.horizon = 4;
  REQUIRE(peak_memory(p, s) == 4);
  const detail::AnnealResult r = detail::anneal_memory(p, 4, 0, s.start, moves(20'000));
  CHECK(r.improved);
  CHECK(r.before == 4);
  CHECK(r.after == 1);
  CHECK(peak_memory(p, s) == 1);
  check_legal(p, s);
}

TEST_CASE("memory anneal: legal, never worse, reproducible, with and without unit limits") {
  for (const bool limited : {false, true})
    for (std::uint32_t seed = 1; seed <= 4; ++seed) {
      INFO("seed " << seed << (limited ? " limited" : ""));
      const Problem p = memory_dag(seed, limited);
      Schedule s = list_schedule(p);
      s.horizon = schedule_latency(p, s) + 3;
      const double start = peak_memory(p, s);
      std::vector<std::int32_t> a = s.start, b = s.start;
      const detail::AnnealResult ra = detail::anneal_memory(p, s.horizon, 0, a, moves(50'000, 7));
      const detail::AnnealResult rb = detail::anneal_memory(p, s.horizon, 0, b, moves(50'000, 7));
      CHECK(a == b);
      CHECK(ra.after == rb.after);
      CHECK(ra.before == start);
      CHECK(ra.after <= start);
      CHECK(ra.improved == (ra.after < start));
      Schedule t = s;
      t.start = a;
      check_legal(p, t);
      CHECK(peak_memory(p, t) == ra.after);
      // List scheduling starts every value early: annealing must find something lower.
      CHECK(ra.after < start);
    }
}

TEST_CASE("memory anneal: modulo schedules keep recurrences and residue limits") {
  for (std::uint32_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    Net net = gaus::test::random_dag(seed, 60, 3, 10, 2);
    net.limit("mul", 1);
    net.limit("add", 2);
    const op_id last = net.b.num_ops() - 1;
    net.edge(last, 0, 1);  // a loop-carried edge back to the first op
    for (op_id i = 0; i < net.b.num_ops(); ++i) net.b.set_out_size(i, 1.0 + i % 2);
    const Problem p = net.build();
    std::optional<Schedule> s;
    std::int32_t ii = 1;
    for (; !s && ii < 200; ++ii) s = modulo_list_schedule(p, ii);
    REQUIRE(s);
    s->horizon = schedule_latency(p, *s) + 2;
    const double start = peak_memory_modulo(p, *s, s->ii);
    const detail::AnnealResult r =
        detail::anneal_memory(p, s->horizon, s->ii, s->start, moves(50'000, seed));
    check_legal(p, *s);
    CHECK(r.before == start);
    CHECK(peak_memory_modulo(p, *s, s->ii) == r.after);
    CHECK(r.after <= start);
  }
}

TEST_CASE("memory anneal: a start outside the horizon, or no moves, is left alone") {
  const Problem p = memory_dag(3, false);
  Schedule s = list_schedule(p);
  const std::int32_t latency = schedule_latency(p, s);
  std::vector<std::int32_t> a = s.start;
  CHECK_FALSE(detail::anneal_memory(p, latency - 1, 0, a, moves(10'000)).improved);
  CHECK(a == s.start);
  CHECK_FALSE(detail::anneal_memory(p, latency, 0, a, moves(0)).improved);
  CHECK(a == s.start);
}

TEST_CASE("memory anneal: the solver's polish lowers B below the descent alone") {
  // One planned restart with an infinite time limit: after it, annealing runs on the best
  // schedule and on the list schedule; with anneal off the result is the descent's (and the
  // memory moves').
  // (The minimum cuts are off: on a graph this small they find what the annealing finds.)
  Problem p = memory_dag(5, false);
  SolveOptions o;
  o.formulation = Formulation::B;
  o.cut = false;
  o.backend = SolverBackend::Cpu;
  o.max_iterations = 60;
  o.time_limit_s = std::numeric_limits<double>::infinity();
  const SolveResult with = solve(p, o);
  o.anneal = false;
  const SolveResult without = solve(p, o);
  REQUIRE(with.legal);
  REQUIRE(without.legal);
  check_legal(p, with.schedule);
  CHECK(with.objective < without.objective);
  CHECK(with.status.find("memory annealing: 2 runs") != std::string::npos);
  CHECK(without.status.find("memory annealing") == std::string::npos);
}

TEST_CASE("memory bound: forced lifetimes bound B and C below every annealed schedule") {
  // The chain with three late inputs: the chain's values are forced one per step, the inputs
  // not at all, so the bound is the optimum, 1 (the counting bounds alone give 1 too, but only
  // because every value has size 1: with size 5 on the chain's first value the forced bound
  // says 5 at step 0).
  Net n;
  op_id prev = n.op("gate", 1);
  const op_id first = prev;
  for (int k = 1; k < 4; ++k) {
    const op_id a = n.op("gate", 1);
    n.edge(prev, a);
    prev = a;
  }
  for (int k = 0; k < 3; ++k) n.edge(n.op("in", 0), prev);
  for (op_id i = 0; i < n.b.num_ops(); ++i) n.b.set_out_size(i, i == first ? 5.0 : 1.0);
  const Problem chain = n.build();
  CHECK(detail::objective_lower_bound(chain, Formulation::B, 4, 0) == 5.0);
  // At II = 2 the chain's forced values cover residues 0 and 1 alternately: 5 + 1 at each.
  CHECK(detail::objective_lower_bound(chain, Formulation::C, 4, 2) == 6.0);
  // Sound on random graphs: never above a schedule annealed close to the optimum.
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    INFO("seed " << seed);
    const Problem p = memory_dag(seed, seed % 2 == 0);
    Schedule s = list_schedule(p);
    s.horizon = schedule_latency(p, s);
    detail::anneal_memory(p, s.horizon, 0, s.start, moves(100'000, seed));
    CHECK(detail::objective_lower_bound(p, Formulation::B, s.horizon, 0) <= peak_memory(p, s));
    for (std::int32_t ii = 1; ii < 200; ++ii) {
      std::optional<Schedule> m = modulo_list_schedule(p, ii);
      if (!m) continue;
      m->horizon = schedule_latency(p, *m);
      detail::anneal_memory(p, m->horizon, ii, m->start, moves(100'000, seed));
      CHECK(detail::objective_lower_bound(p, Formulation::C, m->horizon, ii) <=
            peak_memory_modulo(p, *m, ii));
      break;
    }
  }
}

TEST_CASE("memory anneal: a unit held past D by an op that may move later stays in the table") {
  // Op h holds its unit 6 cycles but finishes after 1, and can move up to D - 1: its hold then
  // reaches D + 5, past every start's hold in the list schedule. (Out-of-range writes here were
  // caught by the sanitizer build.)
  Net n;
  n.limit("u", 1);
  const op_id h = n.op("u", 1, 6);
  const op_id a = n.op("v", 1);
  const op_id b = n.op("v", 1);
  n.edge(a, b);
  n.edge(h, b);
  for (op_id i = 0; i < n.b.num_ops(); ++i) n.b.set_out_size(i, 1.0);
  const Problem p = n.build();
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    Schedule s = list_schedule(p);
    s.horizon = 12;
    detail::anneal_memory(p, s.horizon, 0, s.start, moves(20'000, seed));
    check_legal(p, s);
    CHECK(peak_memory(p, s) <= 2);
  }
}

// [scale]: run by the cpu_scale CTest entry, whose TIMEOUT is the guard. 200k ops on one mul
// unit: the list schedule's horizon is ~67k steps and values stay live for thousands of them,
// so the sum of all lifetimes is ~1e9 cells. Building the annealer's profile cell by cell took
// that many steps and 24 bytes each (12 GB on a 100k-op graph); a difference array takes
// O(ops + horizon).
TEST_CASE("memory anneal: 200k ops over a long horizon [scale]") {
  Net net = gaus::test::random_dag(7, 200000, 2, 1000, 2);
  net.limit("mul", 1);
  net.limit("add", 3);
  for (op_id i = 0; i < net.b.num_ops(); ++i) net.b.set_out_size(i, 1.0);
  const Problem p = net.build();
  const Schedule ls = list_schedule(p);
  std::vector<std::int32_t> start = ls.start;
  const detail::AnnealResult r =
      detail::anneal_memory(p, ls.horizon, 0, start, moves(2'000));
  CHECK(r.before == peak_memory(p, ls));
  CHECK(r.after <= r.before);
  Schedule s = ls;
  s.start = start;
  check_legal(p, s);
  CHECK(peak_memory(p, s) == r.after);
}

TEST_CASE("memory anneal: a push moves the consumers or producers in the way, or gives up") {
  // A chain a -> b -> c (latency 1) at steps 1, 2, 3 with D = 6, and d read by c alone at 0.
  Net n;
  const op_id a = n.op("gate", 1), b = n.op("gate", 1), c = n.op("gate", 1), d = n.op("gate", 1);
  n.edge(a, b);
  n.edge(b, c);
  n.edge(d, c);
  const Problem p = n.build();
  const std::vector<std::int32_t> s{1, 2, 3, 0};
  detail::PushPlan plan(p.num_ops());
  const detail::AnnealArcs arcs(p, 0);
  auto moved = [&] {
    std::vector<std::int32_t> t = s;
    for (const auto& [op, v] : plan.moved()) t[op] = v;
    return t;
  };
  // a two steps later: b and c each as little later as their edges need; d stays.
  REQUIRE(plan.plan(p, arcs, 6, s, a, 3, 8));
  CHECK(plan.moved().size() == 3);
  CHECK(moved() == std::vector<std::int32_t>{3, 4, 5, 0});
  // c one step earlier: b and a go earlier, d (at 0 already, one step before c) stays.
  REQUIRE(plan.plan(p, arcs, 6, s, c, 2, 8));
  CHECK(moved() == std::vector<std::int32_t>{0, 1, 2, 0});
  // Two steps earlier: d would have to start at -1.
  CHECK_FALSE(plan.plan(p, arcs, 6, s, c, 1, 8));
  // Three steps later: c would end past D.
  CHECK_FALSE(plan.plan(p, arcs, 6, s, a, 4, 8));
  // More ops than the limit.
  CHECK_FALSE(plan.plan(p, arcs, 6, s, a, 3, 2));
  // At an II every edge counts, a loop-carried one at its distance times II; without an II
  // it does not. x -> y and y -> x at distance 1 (latency 1): at II = 2, s_y = s_x + 1 exactly.
  Net m;
  const op_id x = m.op("gate", 1), y = m.op("gate", 1);
  m.edge(x, y);
  m.edge(y, x, 1);
  const Problem q = m.build();
  const std::vector<std::int32_t> t{0, 1};
  const detail::AnnealArcs flat(q, 0), at2(q, 2);
  // The packed arcs: the loop-carried y -> x only at an II, with lag delay - distance * II.
  CHECK(flat.preds(x).empty());
  CHECK(flat.succs(y).empty());
  REQUIRE(at2.preds(x).size() == 1);
  CHECK(at2.preds(x)[0].other == y);
  CHECK(at2.preds(x)[0].lag == -1);
  CHECK(at2.inputs(x).empty());  // not a distance-0 input
  CHECK(at2.consumers(y).empty());
  REQUIRE(at2.succs(y).size() == 1);
  CHECK(at2.succs(y)[0].lag == -1);
  REQUIRE(at2.consumers(x).size() == 1);
  CHECK(at2.consumers(x)[0].other == y);
  CHECK(at2.consumers(x)[0].lag == 1);
  REQUIRE(plan.plan(q, flat, 6, t, y, 3, 8));
  CHECK(plan.moved().size() == 1);
  REQUIRE(plan.plan(q, at2, 6, t, y, 3, 8));  // x >= 3 + 1 - 2: x to 2
  CHECK(plan.moved().size() == 2);
  REQUIRE(plan.plan(q, at2, 6, t, x, 4, 8));  // y to 5, which ends at D
  CHECK_FALSE(plan.plan(q, at2, 6, t, x, 5, 8));
}

TEST_CASE("memory anneal: a time budget ends the run, whatever the moves asked") {
  Net net = gaus::test::random_dag(11, 3000, 3, 40, 2);
  for (op_id i = 0; i < net.b.num_ops(); ++i) net.b.set_out_size(i, 1.0 + i % 3);
  const Problem p = net.build();
  Schedule s = list_schedule(p);
  s.horizon = schedule_latency(p, s) + 20;
  detail::AnnealOptions o = moves(std::int64_t{1} << 40);
  o.time_budget_s = 0.3;
  const auto t0 = std::chrono::steady_clock::now();
  const detail::AnnealResult r = detail::anneal_memory(p, s.horizon, 0, s.start, o);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(r.moves < o.moves);
  CHECK(took < 3.0);  // 0.3 s and the set-up; generous for sanitizer builds and a busy machine
  CHECK(r.after <= r.before);
  check_legal(p, s);
  CHECK(peak_memory(p, s) == r.after);
}

TEST_CASE("memory anneal: few moves per op start cooler, still reproducible and never worse") {
  // 25 moves per op, under the 300 a run needs from t_start: the start temperature is lowered
  // before the first move (no time budget), so the run depends on the seed alone.
  for (std::uint32_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    const Problem p = memory_dag(seed, seed == 2);
    Schedule s = list_schedule(p);
    s.horizon = schedule_latency(p, s) + 3;
    std::vector<std::int32_t> a = s.start, b = s.start;
    const detail::AnnealResult ra = detail::anneal_memory(p, s.horizon, 0, a, moves(2'000, seed));
    const detail::AnnealResult rb = detail::anneal_memory(p, s.horizon, 0, b, moves(2'000, seed));
    CHECK(a == b);
    CHECK(ra.after == rb.after);
    CHECK(ra.after <= ra.before);
    Schedule t = s;
    t.start = a;
    check_legal(p, t);
    CHECK(peak_memory(p, t) == ra.after);
    // Without the lowering (equilibrium < 0): as legal.
    detail::AnnealOptions hot = moves(2'000, seed);
    hot.equilibrium = -1;
    std::vector<std::int32_t> c = s.start;
    detail::anneal_memory(p, s.horizon, 0, c, hot);
    t.start = c;
    check_legal(p, t);
  }
}
