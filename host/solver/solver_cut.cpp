// Formulation B's minimum-cut step (host/bounds/lagrangian_cut.hpp) inside a solve: its schedules are
// legalized (unit limits, improve_memory), verified and offered like the descents' candidates,
// and its bound joins the counting bounds that stop the restarts.
#include <algorithm>
#include <cmath>

#include "host/bounds/lagrangian_cut.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

double offer_cut_schedules(SolveContext& ctx, const LegalizeFrame& fr, double known) {
  if (!ctx.o.cut || fr.formulation != Formulation::B || fr.ii != 0) return known;
  if (ctx.tracker.have_legal() && ctx.tracker.best_objective() <= known) return known;
  CutSearchOptions co;
  co.horizon = fr.horizon;
  // With a finite limit the cuts take about a quarter of it (the descents and annealing need
  // the rest); with an infinite one a fixed number of rounds, so the solve stays reproducible.
  // A cut cannot be interrupted, so the graph must be small enough for one to fit the budget:
  // at most half a million arcs per second of it, and half a million in all (measured on EPFL:
  // a cut of 10^5 arcs takes about 0.01 s, of 10^6 from 0.1 s (max) to 2.5 s (sin)). The 40
  // rounds of an infinite limit take graphs up to 10^5 arcs (a second or so in all).
  const bool finite = std::isfinite(ctx.o.time_limit_s);
  const double budget = finite ? 0.25 * ctx.o.time_limit_s : HUGE_VAL;
  const double t_end = ctx.elapsed() + budget;
  co.max_arcs = static_cast<std::int64_t>(finite ? std::min(5e5 * budget, 5e5) : 1e5);
  ListWorkspace ws;
  std::vector<double> mu;
  auto schedule = [&](const std::vector<std::int32_t>& start) {
    mu.assign(start.begin(), start.end());
    const Candidate c = legalize(ctx.p, fr, mu, ws);
    if (ctx.tracker.offer(c, ctx.elapsed(), ctx.iterations, 0)) report_progress(ctx, "cuts");
    return ctx.tracker.have_legal() ? ctx.tracker.best_objective() : HUGE_VAL;
  };
  auto stop = [&] { return stopped(ctx) || ctx.out_of_time() || ctx.elapsed() >= t_end; };
  const CutSearchResult r = lagrangian_cut_search(ctx.p, co, schedule, stop);
  if (!r.ran) return known;
  ctx.notes.push_back("Lagrangian cuts: " + std::to_string(r.rounds) +
                      (r.rounds == 1 ? " round" : " rounds") + ", bound " +
                      std::to_string(static_cast<long long>(std::floor(r.lower_bound))));
  if (r.lower_bound <= known) return known;
  ctx.bound_kind = "the Lagrangian cuts' bound";
  return r.lower_bound;
}

}  // namespace gaus::detail
