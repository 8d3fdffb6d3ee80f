// Formulation C's initiation interval: the search for the smallest II before the memory solve,
// and the attempts at a smaller one that the time left after the planned restarts pays for.
#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include "core/timing.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/heuristics/modulo_search.hpp"
#include "host/improve/modulo_repair.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

namespace {

/// A feasibility descent at (D, II) from (mu, rho) on a tracker of its own (memory at different
/// IIs is not comparable); the legal schedule it finds, or nullopt. ctx.tracker is unchanged.
std::optional<Schedule> feasible_at(SolveContext& ctx, std::int32_t horizon, std::int32_t ii,
                                    std::int32_t restart, std::vector<double>& mu,
                                    std::vector<double>& rho) {
  Tracker saved = std::exchange(ctx.tracker, Tracker());
  auto engine = make_engine(ctx, formulation_config(ctx.p, ctx.o, horizon, ii, true));
  const LegalizeFrame fr = make_legalize_frame(ctx.p, Formulation::C, horizon, ii);
  const DescentResult r =
      run_descent(ctx, *engine, fr, restart, ctx.o.rcs_iterations, HUGE_VAL, mu, rho);
  std::optional<Schedule> out;
  if (r.found) out = ctx.tracker.best().schedule;
  ctx.tracker = std::move(saved);
  return out;
}

}  // namespace

Schedule search_ii(SolveContext& ctx, std::int32_t slack, std::int32_t& mii) {
  const Problem& p = ctx.p;
  // IMS over several priorities, its extra attempts within a quarter of the time limit.
  ModuloSearchLimits limits;
  if (std::isfinite(ctx.o.time_limit_s))
    limits.stop = [&ctx] { return ctx.cancelled || ctx.elapsed() >= 0.25 * ctx.o.time_limit_s; };
  const ModuloResult fm = find_min_ii_schedule(p, {}, 0, limits);
  // No II below the bound of unit conflicts on recurrences has a schedule: the attempts at a
  // smaller II stop there, and at it the II is minimal (memory bounds hold).
  mii = fm.first_ii;
  // The repair toward smaller IIs, then the descent's attempts below what it reached.
  const std::function<bool()> repair_stop = [&ctx] {
    return ctx.cancelled ||
           (std::isfinite(ctx.o.time_limit_s) && ctx.elapsed() >= 0.4 * ctx.o.time_limit_s);
  };
  Schedule best = repair_ii_down(p, fm.schedule, mii, ctx.o.seed, repair_stop);
  constexpr std::int32_t max_tries = 8;
  const std::int32_t d = std::max(critical_path(p), schedule_latency(p, best)) + slack;
  std::vector<double> mu, rho;
  const std::int32_t found = best.ii;
  for (std::int32_t ii = std::max(mii, found - max_tries); ii < found; ++ii) {
    if (ctx.cancelled || ctx.timed_out) break;
    init_params(p, ctx.o, Formulation::C, d, nullptr, 0, mu, rho);
    if (std::optional<Schedule> s = feasible_at(ctx, d, ii, 0, mu, rho)) {
      best = std::move(*s);
      break;
    }
  }
  return best;
}

std::optional<Schedule> try_smaller_ii(SolveContext& ctx, std::int32_t ii, std::int32_t horizon,
                                       std::int32_t attempt, std::int32_t restart,
                                       std::vector<double>& mu, std::vector<double>& rho) {
  // A smaller II often needs a longer single iteration (aes2/graph14: II 4 takes 4 more
  // cycles than IMS's II 5 schedule), so the attempts widen the horizon in turn.
  const std::int32_t target = ii - 1;
  if (target < 1) return std::nullopt;
  // The repair of the best schedule at II first, with a seed of its own per attempt.
  if (ctx.tracker.have_legal()) {
    const std::function<bool()> stop = [&ctx] { return ctx.cancelled || ctx.out_of_time(); };
    const std::uint64_t seed = ctx.o.seed * 7919 + static_cast<std::uint64_t>(attempt) + 1;
    if (std::optional<Schedule> s =
            repair_at_ii(ctx.p, ctx.tracker.best().schedule, target, seed, stop)) {
      s->horizon = std::max(s->horizon, horizon);  // the memory restarts keep their room
      return s;
    }
  }
  const std::int32_t widen[] = {0, std::max(1, target / 2), target, 2 * target};
  const std::int64_t d = static_cast<std::int64_t>(horizon) + widen[attempt % 4];
  if (d > std::int64_t{1} << 30) return std::nullopt;
  return feasible_at(ctx, static_cast<std::int32_t>(d), target, restart, mu, rho);
}

}  // namespace gaus::detail
