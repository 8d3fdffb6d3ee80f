// The minimum-II search over several priorities (host/heuristics/modulo_search.hpp): the
// priorities' orders, the search against single-priority IMS on generated loops, and against
// exhaustive search on tiny loops.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "graphs/analysis.hpp"
#include "graphs/generate.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/heuristics/modulo_search.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "tests/cpu/heuristics/modulo_loops.hpp"

namespace gaus {
namespace {

using test::check_legal;
using test::Net;

/// The smallest II single-priority IMS reaches (the search before it tried several priorities).
std::int32_t single_priority_ii(const Problem& p) {
  const ModuloResult r = find_min_ii_schedule(p, {}, 0, ModuloSearchLimits{.work = 0});
  return r.schedule.ii;
}

Problem loop(std::int64_t ops, std::uint64_t seed) {
  LoopOptions o;
  o.ops = ops;
  o.seed = seed;
  return generate_loop(o);
}

}  // namespace

TEST_CASE("modulo priorities: height, slack, recurrence and blocking orders") {
  // a -> b -> c -> a (distance 1) is a recurrence; d (B = 3 on a limited class) -> e beside
  // it, and f alone.
  Net net;
  const op_id a = net.op("x", 2), b = net.op("x", 1), c = net.op("x", 1);
  const op_id d = net.op("m", 3, 3), e = net.op("x", 1), f = net.op("x", 1);
  net.edge(a, b);
  net.edge(b, c);
  net.edge(c, a, 1);
  net.edge(d, e);
  net.limit("x", 2);
  net.limit("m", 1);
  const Problem p = net.build();
  const std::int32_t ii = 4;  // RecMII = 4
  REQUIRE(compute_rec_mii(p) == ii);
  CHECK(modulo_priority(p, ModuloPriority::alap, ii).empty());
  for (const ModuloPriority kind : kModuloPriorities) {
    if (kind == ModuloPriority::alap) continue;
    CAPTURE(modulo_priority_name(kind));
    std::vector<double> pr = modulo_priority(p, kind, ii);
    REQUIRE(pr.size() == 6);
    std::vector<double> sorted = pr;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == std::vector<double>{0, 1, 2, 3, 4, 5});  // ranks: a permutation
  }
  const auto height = modulo_priority(p, ModuloPriority::height, ii);
  CHECK(height[a] < height[b]);  // HeightR: a 3, b 1, c 0 (c -> a weighs 1 - 4)
  CHECK(height[b] < height[c]);
  CHECK(height[d] < height[e]);  // d 3, e 0
  const auto rec = modulo_priority(p, ModuloPriority::recurrence, ii);
  for (const op_id i : {a, b, c})
    for (const op_id j : {d, e, f}) CHECK(rec[i] < rec[j]);
  CHECK(modulo_priority(p, ModuloPriority::blocking, ii)[d] == 0);  // the only B > 1 op first
  const auto slack = modulo_priority(p, ModuloPriority::slack, ii);
  // Start + height: 3 through the recurrence (a 0 + 3, b 2 + 1, c 3 + 0) and d -> e (0 + 3,
  // 3 + 0), 0 at f: f alone has slack; the others go by earliest start, then index.
  CHECK(slack == std::vector<double>{0, 2, 3, 1, 4, 5});
}

TEST_CASE("modulo search: never above single-priority IMS, deterministic, below it on a loop") {
  int below = 0;
  for (const std::uint64_t seed : {1, 2, 4}) {
    CAPTURE(seed);
    const Problem p = loop(600, seed);
    const ModuloResult r = find_min_ii_schedule(p);
    check_legal(p, r.schedule);
    const std::int32_t old_ii = single_priority_ii(p);
    CHECK(r.schedule.ii >= r.mii);
    CHECK(r.schedule.ii <= old_ii);
    below += r.schedule.ii < old_ii;
    const ModuloResult again = find_min_ii_schedule(p);
    CHECK(again.schedule.ii == r.schedule.ii);
    CHECK(again.schedule.start == r.schedule.start);
  }
  // seed 2: single-priority IMS stops at II 32; another priority reaches MII = 29
  const Problem p = loop(600, 2);
  CHECK(single_priority_ii(p) == 32);
  CHECK(find_min_ii_schedule(p).schedule.ii == 29);
  CHECK(below >= 1);
}

TEST_CASE("modulo search: a stop callback ends the extra attempts, the first pass goes on") {
  const Problem p = loop(600, 2);
  int asked = 0;
  ModuloSearchLimits limits;
  limits.stop = [&] { return ++asked > 0; };
  const ModuloResult r = find_min_ii_schedule(p, {}, 0, limits);
  check_legal(p, r.schedule);
  CHECK(asked > 0);
  CHECK(r.schedule.ii == single_priority_ii(p));
}

TEST_CASE("modulo search: tiny loops against exhaustive search") {
  std::mt19937 rng(23);
  int rounds = 0, minimal = 0, single_minimal = 0;
  for (int round = 0; round < 150; ++round) {
    CAPTURE(round);
    const Problem p = test::random_loop(rng);
    const std::int32_t lower = std::max({compute_res_mii(p), compute_rec_mii(p), 1});
    std::int32_t brute = 0;  // the least II up to lower + 3 with a schedule in the window
    for (std::int32_t ii = lower; ii <= lower + 3 && brute == 0; ++ii)
      if (test::exhaustive_feasible(p, ii, std::min(ii * 3, 12))) brute = ii;
    const ModuloResult r = find_min_ii_schedule(p);
    check_legal(p, r.schedule);
    CHECK(r.schedule.ii >= lower);
    if (brute == 0) continue;
    ++rounds;
    // a schedule inside the exhaustive window exists at brute, and none there below it
    if (r.schedule.ii < brute)
      CHECK_FALSE(test::exhaustive_feasible(p, r.schedule.ii, std::min(r.schedule.ii * 3, 12)));
    minimal += r.schedule.ii <= brute;
    single_minimal += single_priority_ii(p) <= brute;
  }
  MESSAGE("minimum II reached on " << minimal << " of " << rounds << " (single priority: "
          << single_minimal << ")");
  CHECK(rounds > 100);
  CHECK(minimal >= single_minimal);
  CHECK(minimal * 10 >= rounds * 9);
}

}  // namespace gaus
