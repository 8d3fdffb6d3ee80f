// `gaus schedule --method gaus --prove SECONDS`: after the gradient solve, its best schedule goes
// to the exact prover (host/ilp/prove.hpp: the time-indexed ILP solved by CBC, the schedule as
// its MIP start, the horizon at its latency for rcs or at the solver's horizon for A and B, the
// solver's lower bound in the model), which proves it optimal or improves it within SECONDS.
// The process then ends within --time-limit + SECONDS.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "core/problem.hpp"
#include "core/terms.hpp"
#include "host/solver/solver.hpp"

namespace gaus::cli {

/// Whether this build has the prover (CBC was found at build time).
bool prove_available();

/// Throws InputError when --prove cannot run: no CBC in this build.
void check_prove(Formulation f);

/// Runs the prover on `r`'s best schedule for up to `seconds` (less when the process limit
/// `limit_s`, the solve's and the proof's together, leaves less), unless the solver already
/// proved it optimal or found no legal schedule. A better schedule that passes the verifier
/// replaces r.schedule (and its objective, horizon, history); r.lower_bound, r.optimal and
/// r.status take what the proof adds. For C the proof is of the II (host/ilp/modulo_prove.hpp):
/// each II from max(ResMII, RecMII) below the solver's is refuted or solved, and a schedule at a
/// smaller II replaces the solver's. `stop` (Ctrl-C) is asked every 0.2 s or so. Returns the
/// report's "prove" object.
nlohmann::ordered_json prove_step(const Problem& p, Formulation f, SolveResult& r, double seconds,
                                  double limit_s, std::function<bool()> stop);

/// C: {"ii_lower_bound": max(ResMII, RecMII, 1), raised by the IIs a proof (`proof`, the
/// "prove" object, or null) refuted; "ii_proven_minimal": r's II meets it}.
nlohmann::ordered_json ii_proof_json(const Problem& p, const SolveResult& r,
                                     const nlohmann::ordered_json& proof);

}  // namespace gaus::cli
