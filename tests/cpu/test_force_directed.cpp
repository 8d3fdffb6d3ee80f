// Force-directed scheduling.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "heuristics_fixtures.hpp"
#include "host/heuristics.hpp"

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
