// The gradient solver (host/solver/solver.hpp): its element-wise math (core/adam.hpp), a verified legal
// schedule from every formulation, rcs never worse than list scheduling, determinism,
// cancellation, the time limit, non-finite losses and bad options.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/adam.hpp"
#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/generate.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/solver/solver.hpp"

#include "tests/cpu/small_graphs.hpp"

using namespace gaus;
using namespace gaus::test;
using gaus::test::check_legal;

namespace {

SolveOptions quick(Formulation f) {
  SolveOptions o;
  o.formulation = f;
  o.backend = SolverBackend::Cpu;
  o.max_iterations = 150;
  o.rcs_iterations = 150;
  o.time_limit_s = std::numeric_limits<double>::infinity();  // exactly the planned restarts
  return o;
}


/// The result is the verifier's: re-verified here, and the reported objective matches.
void check_result(const Problem& p, const SolveResult& r) {
  INFO("status: " << r.status);
  REQUIRE(r.legal);
  check_legal(p, r.schedule);
  CHECK(r.verification.legal);
  CHECK(r.schedule.start.size() == static_cast<std::size_t>(p.num_ops()));
  CHECK(!r.history.empty());
  for (std::size_t k = 1; k < r.history.size(); ++k)
    CHECK(r.history[k].objective < r.history[k - 1].objective);
  CHECK(r.history.back().objective == doctest::Approx(r.objective));
  // A reported lower bound is proven: never above what was found.
  if (!std::isnan(r.lower_bound)) CHECK(r.lower_bound <= r.objective + 1e-9 * (1 + r.objective));
}

}  // namespace

TEST_CASE("solver adam: softplus, sigmoid, inverse and the sigma map") {
  for (double x : {-40.0, -3.0, -0.5, 0.0, 0.7, 5.0, 40.0, 800.0}) {
    CAPTURE(x);
    const double ref = x > 30 ? x : std::log1p(std::exp(x));
    CHECK(softplus(x) == doctest::Approx(ref).epsilon(1e-12));
    CHECK(std::isfinite(softplus(x)));
    CHECK(sigmoid(x) == doctest::Approx(1.0 / (1.0 + std::exp(-x))).epsilon(1e-12));
    if (std::fabs(x) < 30) {  // d softplus / dx = sigmoid, by central differences
      const double h = 1e-5;
      const double fd = (softplus(x + h) - softplus(x - h)) / (2 * h);
      CHECK(fd == doctest::Approx(sigmoid(x)).epsilon(1e-7));
    }
  }
  for (double y : {1e-6, 0.01, 0.5, 3.0, 50.0}) {
    CAPTURE(y);
    CHECK(softplus(softplus_inverse(y)) == doctest::Approx(y).epsilon(1e-10));
    CHECK(sigma_from_rho(rho_from_sigma(0.05 + y, 0.05), 0.05) == doctest::Approx(0.05 + y));
  }
  CHECK(sigma_from_rho(-1e3, 0.05) >= 0.05);  // the floor holds far out
  CHECK(grad_rho(2.0, 0.0) == doctest::Approx(1.0));
  CHECK(softplus(1.0f) == doctest::Approx(std::log1p(std::exp(1.0))).epsilon(1e-6));
}

TEST_CASE("solver adam: update rule") {
  // First step: m/c1 = g, v/c2 = g^2, so x moves by lr * g / (|g| + eps).
  double x = 1.0, m = 0.0, v = 0.0;
  const AdamStep<double> s1{0.1, 0.9, 0.999, 1e-8, 1.0 - 0.9, 1.0 - 0.999};
  adam_update(x, m, v, 4.0, s1);
  CHECK(x == doctest::Approx(0.9).epsilon(1e-7));
  CHECK(m == doctest::Approx(0.4));
  CHECK(v == doctest::Approx(0.016));
  // Second step by the textbook formula.
  const double g = -2.0;
  const double m2 = 0.9 * 0.4 + 0.1 * g, v2 = 0.999 * 0.016 + 0.001 * g * g;
  const double c1 = 1 - 0.81, c2 = 1 - 0.999 * 0.999;
  const double want = 0.9 - 0.1 * (m2 / c1) / (std::sqrt(v2 / c2) + 1e-8);
  adam_update(x, m, v, g, AdamStep<double>{0.1, 0.9, 0.999, 1e-8, c1, c2});
  CHECK(x == doctest::Approx(want).epsilon(1e-9));
}

TEST_CASE("solver: every formulation returns a verified legal schedule") {
  SUBCASE("A") {
    const Problem p = small_graph(3, true);
    const SolveResult r = solve(p, quick(Formulation::A));
    check_result(p, r);
    CHECK(r.objective == doctest::Approx(formulation_a_score(p, r.schedule)));
    SolveOptions o = quick(Formulation::A);
    o.sigma_end = 0.1;  // annealed spread
    check_result(p, solve(p, o));
  }
  SUBCASE("B") {
    const Problem p = small_graph(4);
    const SolveResult r = solve(p, quick(Formulation::B));
    check_result(p, r);
    CHECK(r.objective == doctest::Approx(peak_memory(p, r.schedule)));
    CHECK(r.schedule.horizon == r.horizon);
  }
  SUBCASE("B from the list and ALAP initializations") {
    const Problem p = small_graph(11);
    for (SolverInit init : {SolverInit::List, SolverInit::Alap}) {
      SolveOptions o = quick(Formulation::B);
      o.init = init;
      o.restarts = 2;
      const SolveResult r = solve(p, o);
      check_result(p, r);
      CHECK(r.restarts.legal == 2);
    }
  }
  SUBCASE("C, II searched") {
    const Problem p = small_graph(5, false, 0.1);
    REQUIRE(p.num_loop_carried() > 0);
    const SolveResult r = solve(p, quick(Formulation::C));
    check_result(p, r);
    CHECK(r.ii > 0);
    CHECK(r.schedule.ii == r.ii);
    CHECK(r.ii <= find_min_ii_schedule(p).schedule.ii);
    CHECK(r.objective == doctest::Approx(peak_memory_modulo(p, r.schedule, r.ii)));
  }
  SUBCASE("rcs, double and float") {
    const Problem p = small_graph(6);
    for (bool dbl : {true, false}) {
      SolveOptions o = quick(Formulation::Rcs);
      o.double_precision = dbl;
      o.closed_form_dependency = !dbl;
      const SolveResult r = solve(p, o);
      check_result(p, r);
      CHECK(r.objective == schedule_latency(p, r.schedule));
      CHECK(r.backend == "cpu");
    }
  }
}

TEST_CASE("solver: the lower bound reported with each formulation") {
  const Problem p = small_graph(4);
  for (Formulation f : {Formulation::A, Formulation::B, Formulation::C, Formulation::Rcs}) {
    CAPTURE(static_cast<int>(f));
    const SolveResult r = solve(p, quick(f));
    check_result(p, r);
    REQUIRE(!std::isnan(r.lower_bound));  // no loop-carried edges: C's II is the resource bound
    CHECK(r.lower_bound > 0);
    if (f == Formulation::Rcs) CHECK(r.lower_bound >= critical_path(p));
  }
}

TEST_CASE("solver: rcs is never worse than list scheduling on random DAGs") {
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    auto net = gaus::test::random_dag(seed, 30, 2, 6, seed % 2 == 0 ? 2 : 1);
    net.limit("add", 1 + static_cast<std::int32_t>(seed % 2));
    net.limit("mul", 1);
    const Problem p = net.build();
    const std::int32_t list = schedule_latency(p, list_schedule(p));
    const SolveResult r = solve(p, quick(Formulation::Rcs));
    check_result(p, r);
    CHECK(schedule_latency(p, r.schedule) <= list);
    CHECK(r.history.front().objective == list);  // the list schedule is the starting point
    CHECK(r.restarts.count == 1);
  }
}

TEST_CASE("solver: deterministic for a seed, restarts summarized") {
  const Problem p = small_graph(7);
  SolveOptions o = quick(Formulation::B);
  o.restarts = 3;
  o.seed = 42;
  const SolveResult a = solve(p, o);
  const SolveResult b = solve(p, o);
  check_result(p, a);
  CHECK(a.schedule.start == b.schedule.start);
  CHECK(a.iterations == b.iterations);
  CHECK(a.restarts.best == b.restarts.best);
  REQUIRE(a.restarts.count == 3);
  CHECK(a.restarts.min <= a.restarts.median);
  CHECK(a.restarts.median <= a.restarts.max);
  CHECK(a.objective <= a.restarts.min);  // the best includes the list start as well
}

TEST_CASE("solver: cancellation, time limit 0 and the iteration limit") {
  const Problem p = small_graph(8);
  SUBCASE("the callback cancels at the first legalization") {
    SolveOptions o = quick(Formulation::B);
    int calls = 0;
    o.progress = [&](const Progress& pr) {
      ++calls;
      CHECK(pr.iteration == 0);
      CHECK(pr.have_legal);
      return false;
    };
    const SolveResult r = solve(p, o);
    CHECK(calls == 1);
    CHECK(r.status.rfind("cancelled", 0) == 0);
    CHECK(r.iterations == 0);
    check_result(p, r);
  }
  SUBCASE("time limit 0 returns the initial legalized schedule") {
    SolveOptions o = quick(Formulation::Rcs);
    o.time_limit_s = 0;
    const SolveResult r = solve(p, o);
    CHECK(r.iterations == 0);
    check_result(p, r);
    CHECK(schedule_latency(p, r.schedule) <= schedule_latency(p, list_schedule(p)));
  }
  SUBCASE("the iteration budget bounds the steps") {
    SolveOptions o = quick(Formulation::B);
    o.patience = 0;
    o.max_iterations = 37;
    o.restarts = 2;
    const SolveResult r = solve(p, o);
    CHECK(r.iterations == 74);
    CHECK(r.status.rfind("done", 0) == 0);
  }
}

TEST_CASE("solver: a non-finite loss stops the restart and is reported") {
  const Problem p = small_graph(9, true);
  SolveOptions o = quick(Formulation::A);
  o.alpha = 1e308;  // finite, but alpha * communication overflows to inf
  const SolveResult r = solve(p, o);
  CHECK(r.status.find("non-finite") != std::string::npos);
  CHECK(r.iterations == 0);
  check_result(p, r);  // the initial legalization still stands, verified
}

TEST_CASE("solver: bad options and edge cases") {
  const Problem p = small_graph(10);
  SolveOptions o = quick(Formulation::Rcs);
  o.learning_rate = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(solve(p, o), InputError);
  o = quick(Formulation::Rcs);
  o.restarts = 0;
  CHECK_THROWS_AS(solve(p, o), InputError);
  o = quick(Formulation::Rcs);
  o.sigma_end = -1;
  CHECK_THROWS_AS(solve(p, o), InputError);
  o = quick(Formulation::B);
  o.horizon = 1;  // below the critical path
  CHECK_THROWS_AS(solve(p, o), InfeasibleError);
  CHECK_THROWS_AS(parse_formulation("D"), InputError);
  CHECK(parse_formulation("rcs") == Formulation::Rcs);
  CHECK_THROWS_AS(parse_solver_backend("gpu"), InputError);

  const Problem empty = ProblemBuilder("empty").build();
  const SolveResult r = solve(empty, quick(Formulation::B));
  CHECK(r.legal);
  CHECK(r.schedule.start.empty());

  gaus::test::Net one;
  one.op("add");
  const Problem single = one.build();
  const SolveResult s = solve(single, quick(Formulation::Rcs));
  check_result(single, s);
  CHECK(s.schedule.start[0] == 0);
}
