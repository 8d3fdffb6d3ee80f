// A program that uses gaus as an installed package: it reads a problem file (with an optional type
// library), schedules it for minimum latency with the gradient solver, checks the schedule with the
// independent verifier and prints the latency and the verdict.
// Usage: gaus_consumer FILE [LIBRARY.json]
#include <cstdio>
#include <exception>
#include <limits>

#include <gaus/gaus.hpp>

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s FILE [LIBRARY.json]\n", argv[0]);
    return 2;
  }
  try {
    gaus::LoadOptions load;
    if (argc == 3) load.library = argv[2];
    const gaus::Problem p = gaus::load_problem(argv[1], load);

    gaus::SolveOptions options;  // formulation rcs: minimum latency under the unit limits
    options.backend = gaus::SolverBackend::Cpu;
    options.time_limit_s = std::numeric_limits<double>::infinity();  // the planned restarts only
    options.seed = 1;
    const gaus::SolveResult r = gaus::solve(p, options);

    const gaus::VerifyResult v = gaus::verify(p, r.schedule);  // independent of the solver
    std::printf("%d ops, latency %d, %s\n", p.num_ops(), gaus::schedule_latency(p, r.schedule),
                v.legal ? "legal" : "ILLEGAL");
    return v.legal ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gaus_consumer: %s\n", e.what());
    return 2;
  }
}
