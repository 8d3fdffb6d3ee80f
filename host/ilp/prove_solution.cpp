#include "host/ilp/prove_solution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "host/ilp/modulo_prove.hpp"
#include "host/ilp/prove.hpp"
#include "host/improve/memory_anneal.hpp"
#include "host/solver/ii_proof.hpp"
#include "host/verify/objectives.hpp"
#include "host/verify/verify.hpp"

namespace gaus {

namespace {

/// C: the II. Every II from the lower bound (max(ResMII, RecMII), raised by unit conflicts on
/// recurrences: host/solver/ii_proof.hpp) below the solver's is refuted or solved in turn
/// (host/ilp/modulo_prove.hpp); a schedule at a smaller II replaces the solver's after a short
/// memory annealing at that II (its memory bound is then unknown).
nlohmann::ordered_json prove_ii_step(const Problem& p, SolveResult& r, double seconds,
                                     std::function<bool()> stop, nlohmann::ordered_json j) {
  const std::int32_t lower = ii_lower_bound(p);
  if (r.ii <= lower) {
    j["status"] = lower > std::max({compute_res_mii(p), compute_rec_mii(p), 1})
                      ? "skipped: the II meets the bound of unit conflicts on recurrences"
                      : "skipped: the II meets max(ResMII, RecMII)";
    j["ii_lower_bound"] = lower;
    return j;
  }
  ProveOptions o;
  o.seconds = 0.8 * seconds;  // the rest anneals a schedule found at a smaller II
  o.stop = stop;
  const IiProofResult ir = prove_min_ii(p, r.ii, lower, o);
  nlohmann::ordered_json attempts = nlohmann::ordered_json::array();
  std::string status;
  for (const IiAttempt& a : ir.attempts) {
    attempts.push_back({{"ii", a.ii}, {"outcome", a.outcome}, {"time_s", a.time_s},
                        {"model", {{"columns", a.columns}, {"rows", a.rows},
                                   {"nonzeros", a.nonzeros}}}});
    status += (status.empty() ? "" : "; ") + ("II=" + std::to_string(a.ii) + " " + a.outcome);
  }
  if (status.empty()) status = "no II tried (no time)";
  if (ir.schedule) {
    std::vector<std::int32_t> starts = ir.schedule->start;
    detail::AnnealOptions ao;
    ao.moves = 200 * static_cast<std::int64_t>(p.num_ops()) + 10'000;
    ao.time_budget_s = std::max(0.0, seconds - ir.time_s - 0.05);
    detail::anneal_memory(p, ir.schedule->horizon, ir.schedule->ii, starts, ao, stop);
    Schedule s = *ir.schedule;
    s.start = std::move(starts);
    VerifyResult v = verify(p, s, 20);
    if (!v.legal) {  // the annealer keeps the rules; the verifier has the last word
      s = *ir.schedule;
      v = verify(p, s, 20);
    }
    const std::int32_t before = r.ii;
    r.schedule = s;
    r.ii = s.ii;
    r.horizon = s.horizon;
    r.objectives = evaluate(p, s);
    r.objective = peak_memory_modulo(p, s, s.ii);
    r.verification = std::move(v);
    r.lower_bound = std::numeric_limits<double>::quiet_NaN();
    r.optimal = false;
    r.history.push_back({r.time_s + ir.time_s, r.iterations, 0, r.objective});
    r.status += "; prove: II lowered from " + std::to_string(before) + " to " +
                std::to_string(s.ii) + " by the modulo ILP";
  }
  r.status += "; prove: " + status;
  j["status"] = status;
  j["time_s"] = ir.time_s;
  j["attempts"] = std::move(attempts);
  j["ii_lower_bound"] = ir.ii_lower_bound;
  j["ii_proven_minimal"] = r.legal && r.ii <= ir.ii_lower_bound;
  return j;
}

}  // namespace

nlohmann::ordered_json prove_solution(const Problem& p, Formulation f, SolveResult& r,
                                      double seconds, std::function<bool()> stop) {
  nlohmann::ordered_json j;
  j["seconds"] = seconds;
  if (!r.legal) {
    j["status"] = "skipped: the solver found no legal schedule to start from";
    return j;
  }
  if (f == Formulation::C) return prove_ii_step(p, r, seconds, std::move(stop), std::move(j));
  if (r.optimal) {
    j["status"] = "skipped: the solver proved its schedule optimal";
    return j;
  }
  ProveOptions o;
  o.seconds = seconds;
  o.lower_bound = r.lower_bound;
  o.stop = std::move(stop);
  const ProveResult pr = prove(p, f, r.schedule, o);
  if (pr.improved) {  // prove() returns only schedules that passed the verifier
    r.schedule = pr.schedule;
    r.objective = pr.objective;
    r.objectives = evaluate(p, r.schedule);
    r.verification = verify(p, r.schedule, 20);
    if (f == Formulation::Rcs) r.horizon = schedule_latency(p, r.schedule);
    r.history.push_back({r.time_s + pr.time_s, r.iterations, 0, pr.objective});
  }
  // the proof started from r's bound (ProveOptions::lower_bound), so its bound is at least r's
  // and its verdict is on r's schedule as it now stands
  if (!std::isnan(pr.lower_bound)) r.lower_bound = pr.lower_bound;
  r.optimal = pr.optimal;
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
  return j;
}

}  // namespace gaus
