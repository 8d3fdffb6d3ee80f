// Legalization at an II (host/solver/solver_legalize.cpp): where modulo list scheduling in mu
// order runs past the horizon, the modulo repair from the rounded means finds the schedule.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "host/heuristics/heuristics.hpp"
#include "host/solver/solver_detail.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"

using namespace gaus;

TEST_CASE("legalize at an II: the modulo repair where IMS in mu order passes D") {
  // x and y share one port at II 2; y feeds z, so within D = 2 y must start at 0 and x at 1.
  // In mu order x comes first and takes residue 0, pushing y to 1 and z past D.
  test::Net net;
  const op_id x = net.op("port", 1, 1), y = net.op("port", 1, 1), z = net.op("alu", 1);
  net.edge(y, z);
  net.limit("port", 1);
  const Problem p = net.build();
  const std::vector<double> mu{0.0, 0.1, 1.0};
  constexpr std::int32_t kHorizon = 2, kIi = 2;

  ListOptions lo;  // what legalize tries first: IMS with mu priorities and rounded releases
  lo.horizon = kHorizon;
  lo.priority = mu;
  lo.release = {0, 0, 1};
  const std::optional<Schedule> ims = modulo_list_schedule(p, kIi, lo);
  REQUIRE((!ims || schedule_latency(p, *ims) > kHorizon));

  const detail::LegalizeFrame fr = detail::make_legalize_frame(p, Formulation::C, kHorizon, kIi);
  const detail::Candidate c = detail::legalize(p, fr, mu);
  REQUIRE(c.exists);
  CHECK(c.verification.legal);
  CHECK(c.schedule.ii == kIi);
  CHECK(c.schedule.start[y] == 0);
  CHECK(c.schedule.start[x] == 1);
  CHECK(c.schedule.start[z] == 1);
  CHECK(schedule_latency(p, c.schedule) <= kHorizon);
}
