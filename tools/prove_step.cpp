#include "tools/prove_step.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/verify/objectives.hpp"
#include "host/verify/verify.hpp"
#include "tools/time_budget.hpp"
#ifdef GAUS_HAS_CBC
#include "host/ilp/prove.hpp"
#endif

namespace gaus::cli {

bool prove_available() {
#ifdef GAUS_HAS_CBC
  return true;
#else
  return false;
#endif
}

void check_prove(Formulation f) {
  if (!prove_available())
    throw InputError("--prove: this gaus was built without CBC (install coinor-libcbc-dev, "
                     "e.g. with tools/install_deps.sh, and rebuild)");
  if (f == Formulation::C)
    throw InputError("--prove: formulation C (modulo) has no ILP model; rcs, A and B have one");
}

nlohmann::ordered_json prove_step(const Problem& p, Formulation f, SolveResult& r, double seconds,
                                  double limit_s, std::function<bool()> stop) {
  nlohmann::ordered_json j;
  j["seconds"] = seconds;
  if (!r.legal) {
    j["status"] = "skipped: the solver found no legal schedule to start from";
    return j;
  }
  if (r.optimal) {
    j["status"] = "skipped: the solver proved its schedule optimal";
    return j;
  }
#ifdef GAUS_HAS_CBC
  const double left = solver_budget_s(limit_s, process_elapsed_s(), p.num_ops(), p.num_edges());
  ProveOptions o;
  o.seconds = std::min(seconds, left);
  o.lower_bound = r.lower_bound;
  o.stop = std::move(stop);
  const ProveResult pr = prove(p, f, r.schedule, o);
  if (pr.improved) {
    const VerifyResult v = verify(p, pr.schedule, 20);
    if (v.legal) {  // prove() verified it already; the report's verdict is of this schedule
      r.schedule = pr.schedule;
      r.objective = pr.objective;
      r.objectives = evaluate(p, r.schedule);
      r.verification = v;
      if (f == Formulation::Rcs) r.horizon = schedule_latency(p, r.schedule);
      r.history.push_back({r.time_s + pr.time_s, r.iterations, 0, pr.objective});
    }
  }
  if (!std::isnan(pr.lower_bound) &&
      (std::isnan(r.lower_bound) || pr.lower_bound > r.lower_bound))
    r.lower_bound = std::min(pr.lower_bound, r.objective);
  r.optimal = r.legal && !std::isnan(r.lower_bound) &&
              r.objective <= r.lower_bound + 1e-6 * std::max(1.0, std::abs(r.objective));
  r.status += "; prove: " + pr.status;
  j["status"] = pr.status;
  j["time_s"] = pr.time_s;
  j["build_s"] = pr.build_s;
  j["horizon"] = pr.horizon;
  j["start_objective"] = pr.start_objective;
  j["objective"] = pr.objective;
  j["improved"] = pr.improved;
  j["lower_bound"] = std::isnan(pr.lower_bound) ? nlohmann::ordered_json()
                                                : nlohmann::ordered_json(pr.lower_bound);
  j["optimal"] = pr.optimal;
  j["model"] = {{"columns", pr.columns}, {"rows", pr.rows}, {"nonzeros", pr.nonzeros}};
#else
  (void)p;
  (void)f;
  (void)limit_s;
  (void)stop;
  j["status"] = "not run: this gaus was built without CBC";
#endif
  return j;
}

}  // namespace gaus::cli
