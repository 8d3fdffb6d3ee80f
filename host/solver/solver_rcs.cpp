// The rcs driver (docs/design.md section 4.7, rcs): minimum latency under unit limits, searching
// the horizon D downward from the list-scheduling latency with one feasibility solve per D; the
// batch of restarts moves to a shorter D together. After each D's descents, each member's last
// legalization at a D it missed and the best schedule so far (the list schedule at first) are
// repaired discretely (host/improve/rcs_repair.hpp): list scheduling in mu order leaves slack that a
// right-then-left justification recovers (measured on invert_matrix_general_dfg__3 at D = 23:
// the final means still overfill 4-11 (class, step) cells, their list schedules land at 24-27,
// and the justified ones at 23 in 126 of 139 descents).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "host/bounds/latency_bound.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/improve/rcs_repair.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

namespace {

/// Perturbed list-scheduling moves per repaired candidate that justification alone leaves
/// above its target, and their priority noise in steps. (On invert_matrix a move costs about
/// 0.1 ms and a descent at one D about 20 ms; 64 moves cost 15% of the restarts there; on the
/// eight EXPRESS graphs where list scheduling is not optimal, 0 and 64 moves reached the same
/// latencies in 3 s, 64 sooner on two of them.)
constexpr std::int64_t kRepairMoves = 32;
constexpr double kRepairNoise = 2.0;
/// The repair's busy profiles are probed step by step (no skip pointers as in list_scheduler.cpp),
/// so it runs only where ops x list latency keeps a pass cheap next to a descent.
constexpr double kRepairMaxWork = 2e7;

/// The discrete repair of one rcs solve: justifies a candidate's starts, searches perturbed list
/// orders while it is above its target, and offers the result (verified by make_candidate) to
/// the tracker.
class Repairer {
 public:
  Repairer(SolveContext& ctx, std::int32_t list_latency, std::int32_t lower)
      : ctx_(ctx), repair_(ctx.p), lower_(lower),
        on_(repair_.usable() &&
            static_cast<double>(ctx.p.num_ops()) * list_latency <= kRepairMaxWork) {}

  /// Repairs `start` (a legal schedule) towards latency <= target (no search below the lower
  /// bound); returns the latency of the legal schedule offered, or NaN (repair off, or the
  /// verifier rejected it).
  double operator()(std::vector<std::int32_t> start, std::int32_t target, std::int32_t restart) {
    if (!on_) return std::numeric_limits<double>::quiet_NaN();
    target = std::max(target, lower_);
    const SolveContext& cx = ctx_;
    std::int32_t lat = repair_.justify(start);
    if (lat > target) {
      // One seed per (solve seed, restart, target): the same run gives the same moves.
      const std::uint64_t seed = cx.o.seed * 0x9E3779B97F4A7C15ull +
                                 static_cast<std::uint64_t>(restart) * 0xBF58476D1CE4E5B9ull +
                                 static_cast<std::uint64_t>(target);
      lat = repair_.search(start, target, seed, kRepairMoves, kRepairNoise,
                           [&cx] { return stopped(cx) || cx.out_of_time(); });
    }
    Schedule s;
    s.start = std::move(start);
    s.horizon = schedule_latency(ctx_.p, s);
    const Candidate c = make_candidate(ctx_.p, Formulation::Rcs, std::move(s));
    if (!c.verification.legal) return std::numeric_limits<double>::quiet_NaN();
    if (ctx_.tracker.offer(c, ctx_.elapsed(), ctx_.iterations, restart)) {
      ++improved_;
      report_progress(ctx_, "repair", restart, ctx_.iterations);
    }
    return c.objective;
  }

  [[nodiscard]] std::int32_t improved() const { return improved_; }

 private:
  SolveContext& ctx_;
  RcsRepair repair_;
  std::int32_t lower_;
  bool on_;
  std::int32_t improved_ = 0;  ///< offers that bettered the best so far
};

}  // namespace

void solve_rcs(SolveContext& ctx, std::vector<double>& restart_best, std::int32_t& horizon) {
  const Problem& p = ctx.p;
  const SolveOptions& o = ctx.o;
  // The critical path and the unit classes' energetic bounds (host/bounds/latency_bound.hpp):
  // the search stops there, and so do the restarts on the time left.
  (void)compute_res_mii(p);  // throws InfeasibleError for a class with limit 0 that is needed
  const LatencyBound bound = latency_lower_bound(p);
  const std::int32_t lower = bound.value;
  ctx.proof_bound = lower;
  Candidate list = make_candidate(p, Formulation::Rcs, list_schedule(p));
  list.schedule.horizon = schedule_latency(p, list.schedule);
  list.verification = verify(p, list.schedule, 20);
  ctx.tracker.offer(list, ctx.elapsed(), 0, 0);
  const auto l0 = static_cast<std::int32_t>(list.objective);
  report_progress(ctx, "bound");
  Repairer repair(ctx, l0, lower);
  // The latency of the best schedule last repaired (each best is repaired once).
  double repaired = HUGE_VAL;
  bool broken = false;
  // A batch searches D down together: every member solves the same D, the first checkpoint
  // where one legalizes within it (or, once the members stopped, the repair of one's final
  // means) moves them all to (the best latency) - 1, and the first D where none does ends the
  // search. At each D a member starts as a restart of its own would:
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
      // The repair of the members that missed D starts from where their descents stopped (the
      // final means, legalized); then the best schedule so far (at first the list schedule) is
      // repaired towards one step shorter than D.
      for (std::size_t k = 0; k < rs.size() && !stopped(ctx); ++k) {
        if (ms[k].result.found) continue;
        const Candidate c = legalize(p, fr, ms[k].mu);
        if (!c.exists || !c.verification.legal) continue;
        const double got = repair(c.schedule.start, d, rs[k]);
        if (!(got <= d)) continue;
        found = true;
        best[k] = std::min(best[k], got);
      }
      if (!stopped(ctx) && ctx.tracker.best_objective() < repaired) {
        repaired = ctx.tracker.best_objective();
        const std::int32_t target = std::min(d, static_cast<std::int32_t>(repaired)) - 1;
        repair(ctx.tracker.best().schedule.start, target, rs.front());
      }
      found |= ctx.tracker.best_objective() <= d;
      if (!found) break;
      seed_starts = ctx.tracker.best().schedule.start;
      // The best so far: a member's legalization within D, or a repaired schedule.
      d = static_cast<std::int32_t>(ctx.tracker.best_objective()) - 1;
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
  if (repair.improved() > 0)
    ctx.notes.push_back("rcs: " + std::to_string(repair.improved()) +
                        " improvements by justification and list-order search");
  horizon = static_cast<std::int32_t>(ctx.tracker.best_objective());
  ctx.lower_bound = lower;
  ctx.bound_kind = bound.kind(p);
  if (horizon <= lower)
    ctx.notes.push_back("rcs: latency " + std::to_string(horizon) + " meets the lower bound (" +
                        ctx.bound_kind + ")");
  else
    ctx.notes.push_back("rcs: no legal schedule found at D=" + std::to_string(horizon - 1) +
                        " (" + std::to_string(o.rcs_iterations) + " iterations per D)");
}

}  // namespace gaus::detail
