// The exact prover (host/ilp/prove.hpp): CBC on the time-indexed ILP from a start schedule.
// Built where CBC is (GAUS_HAS_CBC); every schedule it returns is checked here again.
#ifdef GAUS_HAS_CBC
#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/bounds/latency_bound.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/ilp/prove.hpp"
#include "host/verify/objectives.hpp"
#include "host/verify/verify.hpp"
#include "tests/cpu/small_graphs.hpp"

namespace gaus {
namespace {

/// `s` with every op `k` cycles later: still legal, its latency k more.
Schedule shifted(const Problem& p, Schedule s, std::int32_t k) {
  for (auto& x : s.start) x += k;
  s.horizon = schedule_latency(p, s);
  return s;
}

}  // namespace

TEST_CASE("prove: rcs from a poor start reaches and proves the optimum") {
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    const Problem p = test::small_graph(seed);
    const Schedule list = list_schedule(p);
    const Schedule start = shifted(p, list, 3);
    REQUIRE(verify(p, start).legal);
    ProveOptions o;
    o.seconds = 60;
    o.lower_bound = latency_lower_bound(p).value;
    const ProveResult r = prove(p, Formulation::Rcs, start, o);
    CHECK(r.have);
    CHECK(r.optimal);
    CHECK(r.status == "optimal");
    CHECK(r.improved);
    CHECK(r.start_objective == schedule_latency(p, start));
    CHECK(r.horizon == schedule_latency(p, start));
    CHECK(verify(p, r.schedule).legal);
    CHECK(r.objective == schedule_latency(p, r.schedule));
    CHECK(r.objective <= schedule_latency(p, list));
    CHECK(r.lower_bound == r.objective);
    CHECK(r.objective >= critical_path(p));

    // the same model without a start (a cold CBC) proves the same optimum
    ProveOptions cold = o;
    cold.use_start = false;
    cold.horizon = r.horizon;
    const ProveResult c = prove(p, Formulation::Rcs, Schedule{}, cold);
    CHECK(c.optimal);
    CHECK(c.objective == r.objective);
    CHECK(std::isnan(c.start_objective));
    CHECK(verify(p, c.schedule).legal);
  }
}

TEST_CASE("prove: B at a horizon within its seconds, never worse than its start, bound below") {
  const Problem p = test::small_graph(4);
  Schedule start = list_schedule(p);  // legal under the unit limits (ASAP is not)
  start.horizon = schedule_latency(p, start) + 2;
  REQUIRE(verify(p, start).legal);
  ProveOptions o;
  o.seconds = 2;  // CBC does not finish this one in seconds: its limit and the kill hold
  const ProveResult r = prove(p, Formulation::B, start, o);
  REQUIRE(r.have);
  CHECK(r.time_s < 10);  // a generous upper bound: 2 s plus the model and the child's exit
  CHECK(verify(p, r.schedule).legal);
  CHECK(r.schedule.horizon == start.horizon);
  CHECK(r.objective == peak_memory(p, r.schedule));
  CHECK(r.objective <= peak_memory(p, start));
  // no bound when CBC is stopped at its deadline before it reports one (a slow machine)
  CHECK((std::isnan(r.lower_bound) || r.lower_bound <= r.objective));
  CHECK(r.optimal == (!std::isnan(r.lower_bound) && r.objective <= r.lower_bound));
}

TEST_CASE("prove: refusals, a stop request and a model over the size limit keep the start") {
  const Problem p = test::small_graph(5);
  const Schedule start = shifted(p, list_schedule(p), 2);
  ProveOptions o;
  o.seconds = 30;
  CHECK_THROWS_AS(prove(p, Formulation::C, start, o), InputError);
  Schedule short_start = start;
  short_start.start.pop_back();
  CHECK_THROWS_AS(prove(p, Formulation::Rcs, short_start, o), InputError);
  ProveOptions no_horizon = o;
  no_horizon.use_start = false;
  CHECK_THROWS_AS(prove(p, Formulation::Rcs, Schedule{}, no_horizon), InputError);
  ProveOptions too_short = o;
  too_short.horizon = critical_path(p) - 1;
  CHECK_THROWS_AS(prove(p, Formulation::Rcs, start, too_short), InfeasibleError);

  ProveOptions stop = o;
  stop.stop = [] { return true; };
  const ProveResult s = prove(p, Formulation::Rcs, start, stop);
  CHECK(s.status == "stopped");
  CHECK_FALSE(s.improved);
  CHECK(s.schedule.start == start.start);
  CHECK(s.objective == schedule_latency(p, start));

  ProveOptions tiny = o;
  tiny.max_nonzeros = 3;
  const ProveResult t = prove(p, Formulation::Rcs, start, tiny);
  CHECK(t.status.rfind("model too large", 0) == 0);
  CHECK(t.have);
  CHECK(t.schedule.start == start.start);
  CHECK_FALSE(t.optimal);
}

}  // namespace gaus
#endif  // GAUS_HAS_CBC
