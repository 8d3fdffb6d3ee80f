// The solver's progress reports (SolveOptions::progress): the state of the solve as the
// callback sees it, from the calling thread.
#include <cmath>
#include <limits>

#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

Progress progress_of(const SolveContext& ctx, const char* stage) {
  Progress pr;
  pr.stage = stage;
  pr.iteration = ctx.iterations;
  pr.time_s = ctx.elapsed();
  pr.loss = std::numeric_limits<double>::quiet_NaN();
  pr.have_legal = ctx.tracker.have_legal();
  pr.best_objective = pr.have_legal ? ctx.tracker.best_objective() : 0.0;
  if (std::isfinite(ctx.proof_bound)) pr.lower_bound = ctx.proof_bound;
  if (pr.have_legal) {
    pr.horizon = ctx.tracker.best().schedule.horizon;
    pr.ii = ctx.tracker.best().schedule.ii;
  }
  return pr;
}

void report_progress(SolveContext& ctx, const char* stage, std::int32_t restart,
                     std::int64_t iteration) {
  if (!ctx.o.progress || ctx.cancelled) return;
  Progress pr = progress_of(ctx, stage);
  pr.restart = restart;
  pr.iteration = iteration;
  if (!ctx.o.progress(pr)) ctx.cancelled = true;
}

}  // namespace gaus::detail
