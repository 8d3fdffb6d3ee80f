// The annealing of formulation A (host/improve/stage_anneal.cpp): every result legal, never worse than
// its start, reproducible by seed, within the unit limits, and at the optimum where it is known.
#include <doctest/doctest.h>

#include <random>

#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/verify/objectives.hpp"
#include "host/improve/stage_anneal.hpp"

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

void weighted_edge(Net& n, op_id a, op_id c, double w) {
  n.b.add_edge({.src = a, .dst = c, .weight = w});
}

/// Random DAG like test::random_dag (add: latency 1; mul: latency 2, blocking 2), with op
/// weights 1..5 and edge weights 0..2 (a third of the edges carry no communication).
Problem stage_dag(std::uint32_t seed, bool limited) {
  std::mt19937 rng(seed);
  Net net;
  constexpr op_id n = 80;
  for (op_id i = 0; i < n; ++i) {
    const bool mul = rng() % 3 == 0;
    net.op(mul ? "mul" : "add", mul ? 2 : 1, mul ? 2 : 1);
    net.b.set_weight(i, 1.0 + static_cast<double>(rng() % 5));
    const int k = i == 0 ? 0 : static_cast<int>(rng() % 4);
    for (int e = 0; e < k; ++e) {
      const op_id span = std::min<op_id>(i, 12);
      weighted_edge(net, i - 1 - static_cast<op_id>(rng() % span), i,
                    static_cast<double>(rng() % 3));
    }
  }
  if (limited) {
    net.limit("mul", 1);
    net.limit("add", 3);
  }
  return net.build();
}

double score(const Problem& p, std::int32_t horizon, const std::vector<std::int32_t>& start) {
  Schedule s;
  s.horizon = horizon;
  s.start = start;
  return formulation_a_score(p, s);
}

}  // namespace

TEST_CASE("stage anneal: balances the stages and keeps a consumer with its producer") {
  // Five independent ops of weights 3 3 2 2 2 and a pair p -> q (latency 0, so delay 0, edge
  // weight 1), p and q of weight 1, at D = 2. The total 14 splits at best 7 / 7, with p and q
  // together (gap 0): {3, 2, 2} and {3, 2, p, q}. Optimum 700 + 0. Start: all at 0 but q at 1,
  // 100 * 13 + 1.
  Net n;
  for (const double w : {3.0, 3.0, 2.0, 2.0, 2.0}) n.b.set_weight(n.op("x", 1), w);
  const op_id p = n.op("in", 0), q = n.op("in", 0);
  n.b.set_weight(p, 1.0);
  n.b.set_weight(q, 1.0);
  weighted_edge(n, p, q, 1.0);
  const Problem pr = n.build();
  std::vector<std::int32_t> s(7, 0);
  s[q] = 1;
  REQUIRE(score(pr, 2, s) == 1301);
  const detail::AnnealResult r = detail::anneal_stage(pr, 2, s, moves(20'000));
  CHECK(r.improved);
  CHECK(r.before == 1301);
  CHECK(r.after == 700);
  CHECK(score(pr, 2, s) == 700);
  CHECK(s[p] == s[q]);
  Schedule t;
  t.horizon = 2;
  t.start = s;
  check_legal(pr, t);
}

TEST_CASE("stage anneal: inputs move to their consumer's step (communication alone)") {
  // A chain a0 -> a1 -> a2 -> a3 (latency 1, weight 1, edges of weight 1) and three inputs of
  // weight 0 (latency 0) read by a3 only, at D = 4. At step 0 the inputs' edges span 3 steps
  // each: 100 * 1 + 3 + 9. Started with a3 they span none: the optimum 100 + 3.
  Net n;
  op_id prev = n.op("gate", 1);
  for (int k = 1; k < 4; ++k) {
    const op_id a = n.op("gate", 1);
    weighted_edge(n, prev, a, 1.0);
    prev = a;
  }
  for (int k = 0; k < 3; ++k) {
    const op_id in = n.op("in", 0);
    n.b.set_weight(in, 0.0);
    weighted_edge(n, in, prev, 1.0);
  }
  const Problem p = n.build();
  Schedule s = asap_schedule(p);
  s.horizon = 4;
  REQUIRE(formulation_a_score(p, s) == 112);
  const detail::AnnealResult r = detail::anneal_stage(p, 4, s.start, moves(20'000));
  CHECK(r.after == 103);
  CHECK(formulation_a_score(p, s) == 103);
  check_legal(p, s);
}

TEST_CASE("stage anneal: legal, never worse, reproducible, with and without unit limits") {
  for (const bool limited : {false, true})
    for (std::uint32_t seed = 1; seed <= 4; ++seed) {
      INFO("seed " << seed << (limited ? " limited" : ""));
      const Problem p = stage_dag(seed, limited);
      Schedule s = list_schedule(p);
      s.horizon = schedule_latency(p, s) + 2;
      check_legal(p, s);
      const double start = formulation_a_score(p, s);
      std::vector<std::int32_t> a = s.start, b = s.start, c = s.start;
      const detail::AnnealResult ra = detail::anneal_stage(p, s.horizon, a, moves(50'000, 7));
      const detail::AnnealResult rb = detail::anneal_stage(p, s.horizon, b, moves(50'000, 7));
      const detail::AnnealResult rc = detail::anneal_stage(p, s.horizon, c, moves(50'000, 8));
      CHECK(a == b);
      CHECK(ra.after == rb.after);
      CHECK(ra.accepted == rb.accepted);
      CHECK(ra.moves == 50'000);
      CHECK(ra.before == start);
      CHECK(ra.after <= start);
      CHECK(rc.after <= start);
      CHECK(ra.improved == (ra.after < start));
      Schedule t = s;
      t.start = a;
      check_legal(p, t);
      CHECK(formulation_a_score(p, t) == ra.after);
      t.start = c;
      check_legal(p, t);
      // List scheduling packs the ops early: annealing must find something lower.
      CHECK(ra.after < start);
      if (limited) {  // the limits hold step by step (check_legal counts them too)
        for (std::int32_t k = 0; k < static_cast<std::int32_t>(p.resources.size()); ++k)
          if (p.resources[k].limit >= 0)
            CHECK(gaus::test::peak_use(p, t, k) <= p.resources[k].limit);
      }
    }
}

TEST_CASE("stage anneal: a start outside the horizon, or no moves, is left alone") {
  const Problem p = stage_dag(3, false);
  Schedule s = list_schedule(p);
  const std::int32_t latency = schedule_latency(p, s);
  std::vector<std::int32_t> a = s.start;
  const detail::AnnealResult r = detail::anneal_stage(p, latency - 1, a, moves(10'000));
  CHECK_FALSE(r.improved);
  CHECK(r.moves == 0);
  CHECK(a == s.start);
  CHECK_FALSE(detail::anneal_stage(p, latency, a, moves(0)).improved);
  CHECK(a == s.start);
}

TEST_CASE("stage anneal: a stop request ends the run early and keeps the result legal") {
  const Problem p = stage_dag(2, true);
  Schedule s = list_schedule(p);
  s.horizon = schedule_latency(p, s) + 2;
  const double start = formulation_a_score(p, s);
  int polls = 0;
  const detail::AnnealResult r = detail::anneal_stage(p, s.horizon, s.start, moves(1'000'000),
                                                      [&] { return ++polls > 3; });
  CHECK(r.moves == 3 * 4096);
  CHECK(formulation_a_score(p, s) == r.after);
  CHECK(r.after <= start);
  check_legal(p, s);
}
