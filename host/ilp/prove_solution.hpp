// The proof step after a gradient solve (`gaus schedule --prove`, gaus.solve(prove=...)): the
// solver's best schedule handed to the exact prover. rcs, A, B: gaus::prove (host/ilp/prove.hpp)
// from the schedule, unless the solver already proved it optimal; a better schedule that passes
// the verifier replaces it, and the bound, gap and optimality take what the proof adds. C: the
// II, by gaus::prove_min_ii (host/ilp/modulo_prove.hpp) from max(ResMII, RecMII) up to the
// solver's II; a schedule at a smaller II replaces the solver's after memory annealing at that II
// in the last fifth of the time (its memory bound is then unknown).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "core/problem.hpp"
#include "core/terms.hpp"
#include "host/solver/solver.hpp"

namespace gaus {

/// Runs the proof on `r` for up to `seconds` and updates `r` (schedule, objective, objectives,
/// verification, horizon, II, history, lower_bound, optimal, status). `stop` is asked every
/// 0.2 s or so. Returns the report's "prove" object: {"seconds", "status", then for rcs, A, B
/// "time_s", "build_s", "horizon", "start_objective", "objective", "improved", "lower_bound",
/// "optimal", "model"; for C "time_s", "attempts" [{"ii", "outcome", "time_s", "model"}],
/// "ii_lower_bound", "ii_proven_minimal"}.
nlohmann::ordered_json prove_solution(const Problem& p, Formulation f, SolveResult& r,
                                      double seconds, std::function<bool()> stop = {});

}  // namespace gaus
