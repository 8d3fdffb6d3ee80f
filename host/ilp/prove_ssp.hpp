// `gaus schedule F.mlir --prove SECONDS`: CBC proves or improves the schedule of the two limited
// CIRCT classes (host/ssp/solve_ssp.hpp):
//   SharedOperatorsProblem  the latency ILP (host/ilp/prove.hpp, rcs) on the last op's
//                           predecessors, started from their schedule: the last op's start is
//                           that latency minus the op's own occupancy.
//   ModuloProblem           prove_min_ii (host/ilp/modulo_prove.hpp) below the II found, then
//                           the time-indexed modulo model at the final II with the last op's
//                           start as its objective. Its windows hold, for every feasible choice of
//                           residues, the least schedule with them (host/ilp/modulo_model.hpp),
//                           and that schedule starts every op no later, the last op included, so
//                           the windows lose no optimum.
// The other classes are solved exactly without it. Built where CBC is (GAUS_HAS_CBC).
#pragma once

#include "core/problem.hpp"
#include "graphs/ssp/ssp.hpp"
#include "host/ilp/prove.hpp"
#include "host/ssp/solve_ssp.hpp"

namespace gaus::ssp {

/// Improves `r` in place within o.seconds (half for the II, half for the last op's start when
/// the II is open); every schedule taken has passed the verifier. Returns a one-line account.
std::string prove_ssp(const Problem& p, ProblemClass cls, SolveSspResult& r,
                      const ProveOptions& o);

}  // namespace gaus::ssp
