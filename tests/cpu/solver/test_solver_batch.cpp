// Restarts run side by side in one batch (host/solver/solver_batch.cpp, run_batch): the result does not
// depend on the OpenMP thread count (members in threads or one after another, engines built
// single-threaded or not) nor on the run, the restart summary has one entry per restart, every
// formulation returns a verified schedule with R = 3, and a cancellation stops the batch.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "graphs/generate.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/solver/solver.hpp"
#include "host/verify/verify.hpp"

#include "tests/cpu/small_graphs.hpp"

using namespace gaus;
using gaus::test::small_graph;

namespace {

SolveOptions batch_options(Formulation f, std::int32_t restarts) {
  SolveOptions o;
  o.formulation = f;
  o.backend = SolverBackend::Cpu;
  o.max_iterations = 60;
  o.rcs_iterations = 60;
  o.restarts = restarts;
  o.time_limit_s = std::numeric_limits<double>::infinity();  // exactly the planned restarts
  return o;
}

/// Everything a run reports that must not depend on the threads: the schedule, objective,
/// iteration count, per-restart bests and the any-time curve (its times aside).
void check_same(const SolveResult& a, const SolveResult& b) {
  CHECK(a.legal == b.legal);
  CHECK(a.schedule.start == b.schedule.start);
  CHECK(a.objective == b.objective);
  CHECK(a.iterations == b.iterations);
  CHECK(a.horizon == b.horizon);
  CHECK(a.ii == b.ii);
  REQUIRE(a.restarts.best.size() == b.restarts.best.size());
  for (std::size_t k = 0; k < a.restarts.best.size(); ++k) {
    CAPTURE(k);
    CHECK((a.restarts.best[k] == b.restarts.best[k] ||
           (std::isnan(a.restarts.best[k]) && std::isnan(b.restarts.best[k]))));
  }
  REQUIRE(a.history.size() == b.history.size());
  for (std::size_t k = 0; k < a.history.size(); ++k) {
    CHECK(a.history[k].iteration == b.history[k].iteration);
    CHECK(a.history[k].restart == b.history[k].restart);
    CHECK(a.history[k].objective == b.history[k].objective);
  }
}

/// A problem per formulation: zero delays for A, loop-carried edges for C; for rcs one whose
/// list latency is above its bounds (so descents run) and where, with 3 restarts of 60
/// iterations, one restart reaches a shorter latency than the others (a race with a winner).
Problem graph_for(Formulation f, std::uint64_t seed) {
  if (f == Formulation::A) return small_graph(seed, true);
  if (f == Formulation::C) return small_graph(seed, false, 0.1);
  if (f == Formulation::Rcs) return small_graph(6);
  return small_graph(seed);
}

}  // namespace

TEST_CASE("solver batch: the same result with 1 and 2 threads, and on repeat") {
#ifndef _OPENMP
  MESSAGE("built without OpenMP: nothing to compare");
#else
  const int saved = omp_get_max_threads();
  for (Formulation f : {Formulation::Rcs, Formulation::A, Formulation::B, Formulation::C}) {
    CAPTURE(std::string(to_string(f)));
    const Problem p = graph_for(f, 21);
    const SolveOptions o = batch_options(f, 3);
    omp_set_num_threads(1);
    const SolveResult one = solve(p, o);
    omp_set_num_threads(2);
    const SolveResult two = solve(p, o);
    const SolveResult again = solve(p, o);
    INFO("status: " << two.status);
    REQUIRE(two.legal);
    CHECK(two.iterations > 0);
    check_same(one, two);
    check_same(two, again);
  }
  omp_set_num_threads(saved);
#endif
}

TEST_CASE("solver batch: members in threads on a graph whose engines would split") {
#ifndef _OPENMP
  MESSAGE("built without OpenMP: nothing to compare");
#else
  // ops + edges above the CPU engine's own threading threshold, ops x horizon below the
  // batch's: with 2 threads the members' engines are built single-threaded and run in threads
  // or one after another, round by round; with 1 thread every engine is the usual one.
  GenerateOptions g;
  g.ops = 2000;
  g.layers = 12;
  g.seed = 5;
  g.zero_delay = true;
  const Problem p = generate_layered(g);
  REQUIRE(p.num_ops() + p.num_edges() > 4096);
  SolveOptions o = batch_options(Formulation::A, 2);
  o.max_iterations = 20;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const SolveResult one = solve(p, o);
  omp_set_num_threads(2);
  const SolveResult two = solve(p, o);
  omp_set_num_threads(saved);
  INFO("status: " << two.status);
  REQUIRE(two.legal);
  check_same(one, two);
#endif
}

TEST_CASE("solver batch: one summary entry per restart, the spread ordered") {
  for (Formulation f : {Formulation::Rcs, Formulation::B}) {
    CAPTURE(std::string(to_string(f)));
    const Problem p = graph_for(f, 8);
    const SolveResult r = solve(p, batch_options(f, 4));
    INFO("status: " << r.status);
    REQUIRE(r.legal);
    CHECK(r.restarts.count == 4);
    CHECK(r.restarts.extra == 0);
    REQUIRE(r.restarts.best.size() == 4);
    CHECK(r.restarts.legal == 4);
    const double lo = *std::min_element(r.restarts.best.begin(), r.restarts.best.end());
    const double hi = *std::max_element(r.restarts.best.begin(), r.restarts.best.end());
    CHECK(r.restarts.min == lo);
    CHECK(r.restarts.max == hi);
    CHECK(r.restarts.min <= r.restarts.median);
    CHECK(r.restarts.median <= r.restarts.max);
    CHECK(r.objective <= r.restarts.min);  // the best also saw the list start
    // Every restart is named by the history or the progress it reported.
    for (const HistoryPoint& h : r.history) CHECK((h.restart >= 0 && h.restart < 4));
  }
}

TEST_CASE("solver batch: every formulation returns a verified schedule with R = 3") {
  for (Formulation f : {Formulation::A, Formulation::B, Formulation::C, Formulation::Rcs}) {
    CAPTURE(std::string(to_string(f)));
    const Problem p = graph_for(f, 12);
    std::vector<bool> seen(3, false);
    SolveOptions o = batch_options(f, 3);
    o.progress = [&](const Progress& pr) {
      if (pr.restart >= 0 && pr.restart < 3) seen[static_cast<std::size_t>(pr.restart)] = true;
      return true;
    };
    const SolveResult r = solve(p, o);
    INFO("status: " << r.status);
    REQUIRE(r.legal);
    const VerifyResult v = verify(p, r.schedule);
    CHECK(v.legal);
    CHECK(r.restarts.count == 3);
    CHECK(std::count(seen.begin(), seen.end(), true) == 3);  // all three ran
    if (f == Formulation::Rcs) CHECK(r.objective <= schedule_latency(p, list_schedule(p)));
  }
}

TEST_CASE("solver batch: a cancellation from the progress callback stops the batch") {
  for (Formulation f : {Formulation::B, Formulation::Rcs}) {
    CAPTURE(std::string(to_string(f)));
    // rcs: with latencies 1-3, small_graph(1)'s best stays above its lower bound (15 against
    // 14 in a second), so its members run until cancelled.
    const Problem p = f == Formulation::Rcs ? generate_layered(GenerateOptions{
                                                  .ops = 40, .layers = 6, .max_latency = 3,
                                                  .seed = 1})
                                            : graph_for(f, 9);
    SolveOptions o = batch_options(f, 4);
    o.max_iterations = 100000;  // far more than the test waits for
    o.rcs_iterations = 100000;
    o.patience = 0;
    int calls = 0;
    o.progress = [&](const Progress&) { return ++calls < 7; };
    const SolveResult r = solve(p, o);
    CHECK(calls == 7);  // not called again once it said stop
    CHECK(r.status.rfind("cancelled", 0) == 0);
    CHECK(r.iterations < 4 * 100);  // a few checkpoints of E = 10 steps per member
    CHECK(r.legal);                 // the best so far (the list start at least)
  }
}
