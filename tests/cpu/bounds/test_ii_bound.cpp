// The II bound of unit conflicts on recurrences (host/bounds/ii_bound.hpp, and its pairwise
// test in core/modulo_conflict.hpp): against enumeration, on hand-made recurrences, and never
// above the minimum II of tiny loops found by exhaustive search.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "core/modulo_conflict.hpp"
#include "graphs/analysis.hpp"
#include "host/bounds/ii_bound.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/solver/ii_proof.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "tests/cpu/heuristics/modulo_loops.hpp"

namespace gaus {

namespace {

/// 4 ops on one class of 1 or 2 units, each busy one cycle, latencies 1..3, chained in order
/// with random extra forward edges and one or two edges back (distance 1 or 2): all in one
/// recurrence, where the residues the ports can take decide the II.
Problem random_port_loop(std::mt19937& rng) {
  test::Net net;
  const op_id n = 4;
  for (op_id i = 0; i < n; ++i) net.op("p", 1 + static_cast<std::int32_t>(rng() % 3), 1);
  for (op_id j = 1; j < n; ++j) {
    net.edge(j - 1, j);
    for (op_id i = 0; i + 1 < j; ++i)
      if (rng() % 3 == 0) net.edge(i, j, 0, static_cast<std::int32_t>(rng() % 3));
  }
  net.edge(n - 1, 0, 1 + static_cast<std::int32_t>(rng() % 2));
  if (rng() % 2) {
    const op_id from = 1 + static_cast<op_id>(rng() % (n - 1));
    net.edge(from, static_cast<op_id>(rng() % from), 1 + static_cast<std::int32_t>(rng() % 2));
  }
  net.limit("p", 1 + static_cast<std::int32_t>(rng() % 2));
  return net.build();
}

}  // namespace

TEST_CASE("unit_pair_fits: the same answer as trying every offset") {
  for (std::int64_t ii = 1; ii <= 7; ++ii)
    for (std::int64_t bu = 1; bu <= 4; ++bu)
      for (std::int64_t bv = 1; bv <= 4; ++bv)
        for (std::int64_t lo = -9; lo <= 9; ++lo)
          for (std::int64_t hi = lo - 1; hi <= 9; ++hi) {
            bool any = false;  // some x in [lo, hi] whose busy residues miss u's
            for (std::int64_t x = lo; x <= hi && !any; ++x) {
              bool clash = false;
              for (std::int64_t a = 0; a < bu; ++a)
                for (std::int64_t b = 0; b < bv; ++b)
                  clash = clash || ((a - x - b) % ii + ii) % ii == 0;
              any = !clash;
            }
            CAPTURE(ii);
            CAPTURE(bu);
            CAPTURE(bv);
            CAPTURE(lo);
            CAPTURE(hi);
            CHECK(unit_pair_fits(lo, hi, bu, bv, ii) == any);
          }
}

TEST_CASE("ii_conflict_bound: a single port forced onto one residue, and three ops on two units") {
  SUBCASE("a load and a store on one port, 5 cycles apart both ways over two iterations") {
    test::Net net;
    const op_id load = net.op("port", 5, 1), store = net.op("port", 5, 1);
    net.edge(load, store);        // store 5 cycles after the load
    net.edge(store, load, 2);     // the load two iterations on, 5 cycles after the store
    net.limit("port", 1);
    const Problem p = net.build();
    // RecMII = 10 / 2 = 5, ResMII = 2; at II 5 the store is forced to the load's residue.
    REQUIRE(compute_rec_mii(p) == 5);
    CHECK(ii_conflict_bound(p, 5) == 6);
    CHECK(ii_lower_bound(p) == 6);
    const ModuloResult r = find_min_ii_schedule(p);
    CHECK(r.schedule.ii == 6);  // the bound is met: 6 is the minimum
    CHECK(ii_conflict_bound(p, 5, 1) == 6);  // every II tried refuted: the end of the range
  }
  SUBCASE("three ops forced onto one residue of a two-unit class") {
    test::Net net;
    const op_id a = net.op("m", 5, 1), b = net.op("m", 5, 1), c = net.op("m", 5, 1);
    for (const op_id x : {b, c}) {
      net.edge(a, x);
      net.edge(x, a, 2);
    }
    net.limit("m", 2);
    const Problem p = net.build();
    REQUIRE(std::max(compute_rec_mii(p), compute_res_mii(p)) == 5);
    CHECK(ii_conflict_bound(p, 5) == 6);
    CHECK(find_min_ii_schedule(p).schedule.ii == 6);
  }
  SUBCASE("no conflict: the bound is where it starts") {
    test::Net net;
    const op_id a = net.op("port", 2, 1), b = net.op("port", 2, 1);
    net.edge(a, b);
    net.edge(b, a, 1);
    net.limit("port", 1);
    const Problem p = net.build();
    CHECK(ii_conflict_bound(p, 4) == 4);
    CHECK(ii_lower_bound(p) == 4);
  }
}

TEST_CASE("ii_conflict_bound: never above the minimum II of tiny loops (exhaustive search)") {
  std::mt19937 rng(31);
  int raised = 0, compared = 0;
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    const Problem p = test::random_loop(rng);
    const std::int32_t lower = std::max({compute_res_mii(p), compute_rec_mii(p), 1});
    const std::int32_t bound = ii_conflict_bound(p, lower, 4);
    CHECK(bound >= lower);
    raised += bound > lower;
    // every II the bound refutes has no schedule in the exhaustive window
    for (std::int32_t ii = lower; ii < bound; ++ii)
      CHECK_FALSE(test::exhaustive_feasible(p, ii, std::min(ii * 3, 12)));
    // and the least II with one is at or above the bound
    for (std::int32_t ii = lower; ii <= lower + 3; ++ii)
      if (test::exhaustive_feasible(p, ii, std::min(ii * 3, 12))) {
        ++compared;
        CHECK(bound <= ii);
        break;
      }
  }
  MESSAGE("bound above max(ResMII, RecMII) on " << raised << " of 300 tiny loops");
  CHECK(compared > 250);
  CHECK(raised > 0);  // the bound sees conflicts that ResMII and RecMII do not
}

TEST_CASE("ii_conflict_bound: ports on one recurrence, against exhaustive search") {
  // Where the pair, triple and matching tests all run: every op of the loop on one class.
  std::mt19937 rng(37);
  int raised = 0, compared = 0, met = 0;
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    const Problem p = random_port_loop(rng);
    const std::int32_t lower = std::max({compute_res_mii(p), compute_rec_mii(p), 1});
    const std::int32_t bound = ii_conflict_bound(p, lower, 4);
    raised += bound > lower;
    for (std::int32_t ii = lower; ii < bound; ++ii)
      CHECK_FALSE(test::exhaustive_feasible(p, ii, std::min(ii * 3, 12)));
    for (std::int32_t ii = lower; ii <= lower + 3; ++ii)
      if (test::exhaustive_feasible(p, ii, std::min(ii * 3, 12))) {
        ++compared;
        CHECK(bound <= ii);
        met += bound == ii;
        break;
      }
  }
  MESSAGE("bound above max(ResMII, RecMII) on " << raised << " of 200; equal to the least II "
          "with a schedule on " << met << " of " << compared);
  CHECK(compared > 150);
  CHECK(raised > 10);
  CHECK(met * 20 >= compared * 19);  // the exact group search makes it tight on such loops
}

}  // namespace gaus
