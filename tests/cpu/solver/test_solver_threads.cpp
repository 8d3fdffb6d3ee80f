// Determinism across thread counts: the CPU backend's sums are fixed-point and gathered in a
// fixed order, so the solver's schedule must not depend on how many OpenMP threads run.
#include <doctest/doctest.h>

#include <limits>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "graphs/generate.hpp"
#include "host/solver/solver.hpp"

using namespace gaus;

TEST_CASE("solver threads: same schedule with 1, 2 and 3 threads") {
#ifndef _OPENMP
  MESSAGE("built without OpenMP: nothing to compare");
#else
  GenerateOptions g;
  g.ops = 400;  // enough that every parallel loop splits across threads
  g.layers = 15;
  g.seed = 11;
  g.loop_carried = 0.02;
  const Problem p = generate_layered(g);
  const int saved = omp_get_max_threads();
  for (Formulation f : {Formulation::B, Formulation::C, Formulation::A}) {
    SolveOptions o;
    o.formulation = f;
    o.backend = SolverBackend::Cpu;
    o.max_iterations = 40;
    o.rcs_iterations = 20;
    o.time_limit_s = std::numeric_limits<double>::infinity();  // the budget decides, not the clock
    o.restarts = 2;
    std::vector<std::vector<std::int32_t>> starts;
    std::vector<double> objective;
    for (int threads : {1, 2, 3}) {
      omp_set_num_threads(threads);
      const SolveResult r = solve(p, o);
      INFO("formulation " << to_string(f) << ", " << threads << " threads: " << r.status);
      REQUIRE(r.legal);
      starts.push_back(r.schedule.start);
      objective.push_back(r.objective);
    }
    CHECK(starts[1] == starts[0]);
    CHECK(starts[2] == starts[0]);
    CHECK(objective[1] == objective[0]);
    CHECK(objective[2] == objective[0]);
  }
  omp_set_num_threads(saved);
#endif
}
