// The modulo repair (host/improve/modulo_repair.hpp): what it returns is a modulo schedule at the
// II it was asked for, it reaches that II on tiny loops wherever exhaustive search finds one,
// and on a generated loop it goes below the II the multi-priority IMS search stops at.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "graphs/analysis.hpp"
#include "graphs/generate.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/improve/modulo_repair.hpp"
#include "host/verify/verify.hpp"
#include "tests/cpu/heuristics/modulo_loops.hpp"

using namespace gaus;

namespace {

Schedule at_ii(const Problem& p, std::vector<std::int32_t> start, std::int32_t ii) {
  Schedule s;
  s.start = std::move(start);
  s.ii = ii;
  s.horizon = schedule_latency(p, s);
  return s;
}

}  // namespace

TEST_CASE("modulo repair: tiny loops against exhaustive search") {
  std::mt19937 rng(41);
  int feasible = 0, repaired = 0, below = 0;
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    const Problem p = test::random_loop(rng);
    const std::int32_t lower = std::max({compute_res_mii(p), compute_rec_mii(p), 1});
    // A schedule at a larger II to start from: IMS's, and the repair asked for each II below it.
    const ModuloResult fm = find_min_ii_schedule(p);
    const Schedule from = fm.schedule;
    const std::int32_t top = from.ii + 2;
    for (std::int32_t ii = lower; ii < top; ++ii) {
      CAPTURE(ii);
      std::vector<std::int32_t> start = from.start;
      detail::ModuloRepairOptions o;
      o.moves = 2000;
      o.seed = static_cast<std::uint64_t>(round);
      const detail::ModuloRepairResult r = detail::repair_modulo(p, ii, 64, start, o);
      const bool exists = test::exhaustive_feasible(p, ii, std::min(ii * 3, 12));
      if (r.repaired) {
        CHECK(verify(p, at_ii(p, start, ii), 1).legal);
        CHECK(*std::min_element(start.begin(), start.end()) < ii);  // shifted down
        CHECK(r.overflow == 0);
      } else {
        CHECK(start == from.start);  // left alone when not repaired
      }
      if (exists) {
        ++feasible;
        repaired += r.repaired;
        below += r.repaired && ii < from.ii;
      }
    }
  }
  MESSAGE("repaired " << repaired << " of " << feasible << " (loop, II) with a schedule, "
                       << below << " below the II of the IMS search");
  CHECK(feasible > 300);
  CHECK(repaired * 100 >= feasible * 97);
}

TEST_CASE("modulo repair: below a recurrence's bound it fails at once") {
  test::Net net;
  const op_id a = net.op("a", 3, 1), b = net.op("a", 2, 1);
  net.edge(a, b);
  net.edge(b, a, 1);  // recurrence of delay 5 over distance 1: RecMII 5
  net.limit("a", 1);
  const Problem p = net.build();
  std::vector<std::int32_t> start = {0, 3};
  detail::ModuloRepairOptions o;
  o.moves = 1000;
  const detail::ModuloRepairResult r = detail::repair_modulo(p, 4, 100, start, o);
  CHECK_FALSE(r.repaired);
  CHECK(r.moves == 0);
  CHECK(start == std::vector<std::int32_t>{0, 3});
  CHECK(detail::repair_modulo(p, 5, 100, start, o).repaired);
  CHECK(verify(p, at_ii(p, start, 5), 1).legal);
}

TEST_CASE("modulo repair: a generated loop below the II of the multi-priority IMS search") {
  LoopOptions lo;
  lo.ops = 500;
  lo.seed = 1;
  const Problem p = generate_loop(lo);
  const ModuloResult fm = find_min_ii_schedule(p);
  REQUIRE(fm.schedule.ii > fm.mii);  // the IMS search stops above max(ResMII, RecMII)
  std::vector<std::int32_t> start = fm.schedule.start;
  detail::ModuloRepairOptions o;
  o.moves = 200000;
  const std::int32_t len = schedule_latency(p, fm.schedule);
  const detail::ModuloRepairResult r =
      detail::repair_modulo(p, fm.mii, 2 * len + 4 * fm.mii, start, o);
  REQUIRE(r.repaired);
  CHECK(verify(p, at_ii(p, start, fm.mii), 1).legal);
  // The same inputs, the same schedule.
  std::vector<std::int32_t> again = fm.schedule.start;
  (void)detail::repair_modulo(p, fm.mii, 2 * len + 4 * fm.mii, again, o);
  CHECK(again == start);
}
