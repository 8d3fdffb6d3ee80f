// The rcs driver (DESIGN section 3, RCS): minimum latency under unit limits, searching the
// horizon D downward from the list-scheduling latency with one feasibility solve per D; the
// batch of restarts moves to a shorter D together.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "host/heuristics.hpp"
#include "host/solver_detail.hpp"

namespace gaus::detail {

void solve_rcs(SolveContext& ctx, std::vector<double>& restart_best, std::int32_t& horizon) {
  const Problem& p = ctx.p;
  const SolveOptions& o = ctx.o;
  const std::int32_t cp = critical_path(p);
  // The resource bound ceil(sum B_i / C_k) also bounds the latency when no op holds its unit
  // past its own finish; the search stops there.
  bool busy_within = true;
  for (op_id i = 0; i < p.num_ops(); ++i) busy_within &= p.blocking[i] <= occupancy(p, i);
  const std::int32_t lower = busy_within ? std::max(cp, compute_res_mii(p)) : cp;
  Candidate list = make_candidate(p, Formulation::Rcs, list_schedule(p));
  list.schedule.horizon = schedule_latency(p, list.schedule);
  list.verification = verify(p, list.schedule, 20);
  ctx.tracker.offer(list, ctx.elapsed(), 0, 0);
  const auto l0 = static_cast<std::int32_t>(list.objective);
  bool broken = false;
  // A batch searches D down together: every member solves the same D, the first checkpoint
  // where one legalizes within it moves them all to (the best latency) - 1, and the first D
  // where none does ends the search. At each D a member starts as a restart of its own would:
  // at its jittered midpoint (or ALAP), or with the list init at the best schedule so far;
  // the restarts on the time left start as init_extra says, from the best latency so far.
  auto search = [&](const std::vector<std::int32_t>& rs) {
    const bool extra = rs.front() >= o.restarts;
    std::vector<double> best(rs.size(), extra ? ctx.tracker.best_objective() : l0);
    std::vector<std::int32_t> seed_starts = list.schedule.start;
    std::vector<std::unique_ptr<LossEngine>> engines(rs.size());
    std::vector<Member> ms(rs.size());
    for (auto d = static_cast<std::int32_t>(best.front()) - 1; d >= lower && !stopped(ctx);) {
      const bool par = batch_parallel(ctx, d, rs.size());
      const LossConfig config = formulation_config(p, o, d, 0, true);
      const LegalizeFrame fr = make_legalize_frame(p, Formulation::Rcs, d, 0);
      for (std::size_t k = 0; k < rs.size(); ++k) {
        engines[k] = make_member_engine(ctx, config, par);
        ms[k].restart = rs[k];
        ms[k].engine = engines[k].get();
        if (extra)
          init_extra(ctx, Formulation::Rcs, d, rs[k], &list.schedule.start, ms[k].mu, ms[k].rho);
        else
          init_params(p, o, Formulation::Rcs, d,
                      o.init == SolverInit::List ? &seed_starts : nullptr, rs[k], ms[k].mu,
                      ms[k].rho);
      }
      run_batch(ctx, ms, fr, o.rcs_iterations, d, par);
      bool found = false;
      for (std::size_t k = 0; k < rs.size(); ++k) {
        const DescentResult& res = ms[k].result;
        broken |= res.nonfinite;
        if (!std::isnan(res.best) && res.best < best[k]) best[k] = res.best;
        found |= res.found;
      }
      if (!found) break;
      if (ctx.tracker.have_legal()) seed_starts = ctx.tracker.best().schedule.start;
      d = static_cast<std::int32_t>(*std::min_element(best.begin(), best.end())) - 1;
    }
    restart_best.insert(restart_best.end(), best.begin(), best.end());
  };
  std::int32_t r = 0;
  if (!stopped(ctx)) {
    search(restart_range(0, o.restarts));
    r = o.restarts;
  }
  while (run_restart(ctx, r, lower, broken)) {
    const std::int32_t width =
        extra_batch_width(ctx, static_cast<std::int32_t>(ctx.tracker.best_objective()));
    search(restart_range(r, width));
    r += width;
  }
  if (r > o.restarts)
    ctx.notes.push_back(std::to_string(r) + " restarts (" + std::to_string(r - o.restarts) +
                        " on the time left)");
  horizon = static_cast<std::int32_t>(ctx.tracker.best_objective());
  if (horizon <= lower)
    ctx.notes.push_back("rcs: latency " + std::to_string(horizon) + " meets the lower bound " +
                        (lower == cp ? "(the critical path)" : "(a unit class's busy cycles)"));
  else
    ctx.notes.push_back("rcs: no legal schedule found at D=" + std::to_string(horizon - 1) +
                        " (" + std::to_string(o.rcs_iterations) + " iterations per D)");
}

}  // namespace gaus::detail
