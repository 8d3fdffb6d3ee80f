// Edge finding over a whole recurrence (host/bounds/ii_propagation.hpp): a chain through two
// port classes that no single class refutes, and never a refuted II with a schedule on tiny
// random loops of two classes (exhaustive search).
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "core/error.hpp"
#include "graphs/analysis.hpp"
#include "graphs/components.hpp"
#include "host/bounds/ii_bound.hpp"
#include "host/bounds/ii_propagation.hpp"
#include "host/heuristics/heuristics.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "tests/cpu/heuristics/modulo_loops.hpp"

namespace gaus {

namespace {

/// The ops of op 0's strongly connected component.
std::vector<op_id> component_of_first(const Problem& p) {
  const std::vector<std::int32_t> comp = strong_components(p);
  std::vector<op_id> members;
  for (op_id v = 0; v < p.num_ops(); ++v)
    if (comp[v] == comp[0]) members.push_back(v);
  return members;
}

/// 5 ops in a chain from op 0 (no unit) and back to it one iteration on: each of the others on
/// a port class "r" or "w" (one or two units) or on none, latencies 0..2, busy one cycle, with
/// random extra forward edges.
Problem random_two_port_loop(std::mt19937& rng) {
  test::Net net;
  const op_id n = 5;
  net.op("x", 1);
  for (op_id i = 1; i < n; ++i) {
    const char* type = (rng() % 5 == 0) ? "x" : (rng() % 2 ? "r" : "w");
    net.op(type, static_cast<std::int32_t>(rng() % 3), 1);
  }
  for (op_id j = 1; j < n; ++j) {
    net.edge(static_cast<op_id>(rng() % j), j);
    for (op_id i = 0; i < j; ++i)
      if (rng() % 4 == 0) net.edge(i, j);
  }
  for (op_id i = 1; i < n; ++i) net.edge(i, 0, 1);
  net.limit("r", 1);
  net.limit("w", 1 + static_cast<std::int32_t>(rng() % 2));
  return net.build();
}

}  // namespace

TEST_CASE("propagation_refutes: two reads, then two writes, on one port each") {
  // a -> read, read -> x -> write, write -> d, d -> a one iteration on: RecMII 5, each port's two
  // ops fit apart at II 6, but the writes wait for both reads: d starts at 6 or later.
  test::Net net;
  const op_id a = net.op("x", 1), x = net.op("x", 1), d = net.op("x", 1);
  for (int k = 0; k < 2; ++k) {
    const op_id read = net.op("r", 1, 1), write = net.op("w", 1, 1);
    net.edge(a, read);
    net.edge(read, x);
    net.edge(x, write);
    net.edge(write, d);
  }
  net.edge(d, a, 1);
  net.limit("r", 1);
  net.limit("w", 1);
  const Problem p = net.build();
  REQUIRE(compute_rec_mii(p) == 5);
  const std::vector<op_id> all = component_of_first(p);
  REQUIRE(all.size() == 7);
  CHECK(propagation_refutes(p, all, 6));
  CHECK_FALSE(propagation_refutes(p, all, 7));
  CHECK(ii_conflict_bound(p, 5) == 7);
  const ModuloResult r = find_min_ii_schedule(p);
  CHECK(r.mii == 5);
  CHECK(r.first_ii == 7);       // the search starts at the bound
  CHECK(r.schedule.ii == 7);    // and meets it
  CHECK_THROWS_WITH_AS(check_modulo_ii(p, 6),
                       doctest::Contains("II=6 is below the bound of unit conflicts on "
                                         "recurrences, 7"),
                       InfeasibleError);
  CHECK_NOTHROW(check_modulo_ii(p, 7));
}

TEST_CASE("propagation_refutes: no refuted II has a schedule (exhaustive search)") {
  std::mt19937 rng(53);
  int refuted = 0, tried = 0;
  for (int round = 0; round < 120; ++round) {
    CAPTURE(round);
    const Problem p = random_two_port_loop(rng);
    const std::vector<op_id> members = component_of_first(p);
    REQUIRE(members.size() == 5);
    const std::int32_t lower = std::max({compute_res_mii(p), compute_rec_mii(p), 1});
    for (std::int32_t ii = lower; ii <= lower + 2; ++ii) {
      CAPTURE(ii);
      ++tried;
      if (!propagation_refutes(p, members, ii)) continue;
      ++refuted;
      CHECK_FALSE(test::exhaustive_feasible(p, ii, std::min(2 * ii + 1, 8)));
    }
  }
  MESSAGE("refuted " << refuted << " of " << tried << " (loop, II) pairs");
  CHECK(refuted > 10);
}

}  // namespace gaus
