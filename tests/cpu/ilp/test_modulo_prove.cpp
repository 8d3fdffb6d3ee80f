// The minimum II, proven (host/ilp/modulo_prove.hpp): on tiny random loops against exhaustive
// search over starts, and the window argument of host/ilp/modulo_model.hpp.
#ifdef GAUS_HAS_CBC
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "graphs/analysis.hpp"
#include "host/ilp/modulo_model.hpp"
#include "host/ilp/modulo_prove.hpp"
#include "host/verify/verify.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "tests/cpu/heuristics/modulo_loops.hpp"

namespace gaus {
namespace {

using test::exhaustive_feasible;
using test::Net;
using test::random_loop;

}  // namespace

TEST_CASE("modulo prove: the minimum II of tiny loops, against exhaustive search") {
  std::mt19937 rng(19);
  int above_bound = 0, found_below = 0, refuted = 0;
  for (int round = 0; round < 150; ++round) {
    CAPTURE(round);
    const Problem p = random_loop(rng);
    const std::int32_t lower = std::max({compute_res_mii(p), compute_rec_mii(p), 1});
    const std::int32_t cap = lower + 3;
    std::int32_t brute = 0;  // the least II up to cap with a schedule inside the search window
    for (std::int32_t ii = lower; ii <= cap && brute == 0; ++ii)
      if (exhaustive_feasible(p, ii, std::min(ii * 3, 12))) brute = ii;
    ProveOptions o;
    o.seconds = 30;
    // from II = 1: every II below max(ResMII, RecMII) must be refuted by the ILP as well; the
    // two models answer alike
    const IiProofResult r = prove_min_ii(p, cap + 1, 1, o, ModuloModel::TimeIndexed);
    const IiProofResult t = prove_min_ii(p, cap + 1, 1, o, ModuloModel::Residue);
    CHECK(t.ii_lower_bound == r.ii_lower_bound);
    CHECK(t.schedule.has_value() == r.schedule.has_value());
    if (t.schedule) CHECK(verify(p, *t.schedule).legal);
    CHECK(r.proven_minimal);
    CHECK(r.ii_lower_bound >= lower);
    for (const IiAttempt& a : r.attempts) refuted += a.outcome == "infeasible";
    if (brute > 0) {
      // the ILP's windows lose nothing: it finds a schedule at the same II or, outside the
      // exhaustive search's window, a smaller one
      REQUIRE(r.schedule);
      CHECK(r.schedule->ii <= brute);
      found_below += r.schedule->ii < brute;
    }
    if (r.schedule) {
      CHECK(verify(p, *r.schedule).legal);
      CHECK(r.ii_lower_bound == r.schedule->ii);
      above_bound += r.schedule->ii > lower;
      for (const IiAttempt& a : r.attempts)
        CHECK(a.outcome == (a.ii < r.schedule->ii ? "infeasible" : "feasible"));
    } else {
      CHECK(r.ii_lower_bound == cap + 1);  // every II up to cap refuted
      CHECK(brute == 0);
    }
  }
  MESSAGE("IIs refuted: " << refuted << "; minimum II above max(ResMII, RecMII): "
          << above_bound << " of 150; found outside the exhaustive window: " << found_below);
  CHECK(refuted > 100);    // the refutations are exercised, not only II = the bound
  CHECK(above_bound > 0);  // ... and some beyond what ResMII and RecMII know
}

TEST_CASE("modulo prove: the window bound on a recurrence, and no search without time") {
  Net net;  // a -> b -> a over one iteration: RecMII = 3 with latencies 1 and 2
  const op_id a = net.op("a", 1), b = net.op("m", 2);
  net.edge(a, b);
  net.edge(b, a, 1);
  net.limit("a", 1);
  net.limit("m", 1);
  const Problem p = net.build();
  CHECK(compute_rec_mii(p) == 3);
  // one component of two limited ops: start 0 rounded up (2) + the larger edge weight, 1 + 2
  const auto hi = ilp::modulo_latest_starts(p, 3);
  REQUIRE(hi);
  CHECK((*hi)[a] == 5);
  CHECK((*hi)[b] == 5);
  ProveOptions o;
  o.seconds = 30;
  const IiProofResult r = prove_min_ii(p, 5, 1, o);
  REQUIRE(r.schedule);
  CHECK(r.schedule->ii == 3);
  CHECK(r.proven_minimal);
  REQUIRE(r.attempts.size() == 3);  // II 1 and 2 refuted, 3 feasible
  CHECK(r.attempts[1].outcome == "infeasible");
  ProveOptions none = o;
  none.seconds = 0;
  const IiProofResult z = prove_min_ii(p, 5, 1, none);
  CHECK_FALSE(z.schedule);
  CHECK(z.attempts.empty());
  CHECK(z.ii_lower_bound == 1);
  CHECK_FALSE(z.proven_minimal);
}

}  // namespace gaus
#endif  // GAUS_HAS_CBC
