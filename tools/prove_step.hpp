// `gaus schedule --method gaus --prove SECONDS`: the proof step of host/ilp/prove_solution.hpp
// after the gradient solve, within what the process limit (--time-limit + SECONDS) leaves; the
// command's refusal where this gaus was built without CBC; C's II report as JSON.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "core/problem.hpp"
#include "core/terms.hpp"
#include "host/solver/solver.hpp"
#include "host/ssp/solve_ssp.hpp"

namespace gaus::cli {

/// Whether this build has the prover (CBC was found at build time).
bool prove_available();

/// Throws InputError when --prove cannot run: no CBC in this build.
void check_prove();

/// host/ilp/prove_solution.hpp's step on `r` for up to `seconds`, less when the process limit
/// `limit_s` (the solve's and the proof's together) leaves less; `stop` (Ctrl-C) is asked every
/// 0.2 s or so. Returns the report's "prove" object.
nlohmann::ordered_json prove_step(const Problem& p, Formulation f, SolveResult& r, double seconds,
                                  double limit_s, std::function<bool()> stop);

/// SSP instances (host/ilp/prove_ssp.hpp): CBC proves or improves `r` within `seconds`; returns
/// its account. Call check_prove() first.
std::string prove_ssp_step(const Problem& p, ssp::ProblemClass cls, ssp::SolveSspResult& r,
                           double seconds);

/// C: {"ii_lower_bound", "ii_proven_minimal"} (host/solver/ii_proof.hpp), with the IIs a proof
/// (`proof`, the "prove" object, or null) refuted.
nlohmann::ordered_json ii_proof_json(const Problem& p, const SolveResult& r,
                                     const nlohmann::ordered_json& proof);

}  // namespace gaus::cli
