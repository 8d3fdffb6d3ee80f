#include "tools/prove_step.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "host/solver/ii_proof.hpp"
#include "tools/time_budget.hpp"
#ifdef GAUS_HAS_CBC
#include "host/ilp/prove_solution.hpp"
#include "host/ilp/prove_ssp.hpp"
#endif

namespace gaus::cli {

bool prove_available() {
#ifdef GAUS_HAS_CBC
  return true;
#else
  return false;
#endif
}

void check_prove() {
  if (!prove_available())
    throw InputError("--prove: this gaus was built without CBC (install coinor-libcbc-dev, "
                     "e.g. with tools/install_deps.sh, and rebuild)");
}

nlohmann::ordered_json prove_step(const Problem& p, Formulation f, SolveResult& r, double seconds,
                                  double limit_s, std::function<bool()> stop) {
#ifdef GAUS_HAS_CBC
  const double left = solver_budget_s(limit_s, process_elapsed_s(), p.num_ops(), p.num_edges());
  return prove_solution(p, f, r, std::min(seconds, left), std::move(stop));
#else
  (void)p, (void)f, (void)r, (void)limit_s, (void)stop;
  return {{"seconds", seconds}, {"status", "not run: this gaus was built without CBC"}};
#endif
}

nlohmann::ordered_json ii_proof_json(const Problem& p, const SolveResult& r,
                                     const nlohmann::ordered_json& proof) {
  const std::int32_t refuted =
      proof.contains("ii_lower_bound") ? proof["ii_lower_bound"].get<std::int32_t>() : 0;
  const IiProof x = ii_proof(p, r.ii, r.legal, refuted);
  return {{"ii_lower_bound", x.lower_bound}, {"ii_proven_minimal", x.proven_minimal}};
}

std::string prove_ssp_step(const Problem& p, ssp::ProblemClass cls, ssp::SolveSspResult& r,
                           double seconds) {
#ifdef GAUS_HAS_CBC
  ProveOptions po;
  po.seconds = seconds;
  return ssp::prove_ssp(p, cls, r, po);
#else
  (void)p, (void)cls, (void)r, (void)seconds;
  check_prove();
  return {};
#endif
}

}  // namespace gaus::cli
