// Per-formulation loss configs and drivers (docs/design.md sections 3.6 and 4.7): A, B and C solve
// at one horizon D (and II for C, searched when not given), rcs searches D downward from the list
// scheduling latency with one feasibility solve per D. The restarts run as batches (run_batch):
// the planned R as one, those on the time left in further ones.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/bounds/ii_bound.hpp"
#include "host/bounds/memory_cut_bound.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

LossConfig formulation_config(const Problem& p, const SolveOptions& o, std::int32_t horizon,
                              std::int32_t ii, bool feasibility) {
  LossConfig c;
  c.horizon = horizon;
  c.ii = ii;
  c.tau = o.tau_start;
  c.closed_form_dependency = o.closed_form_dependency;
  c.terms = term_bit(Term::Dependency) | term_bit(Term::Horizon) | term_bit(Term::Capacity);
  if (ii > 0) c.terms |= term_bit(Term::Recurrence);
  for (int t = 0; t < kNumTerms; ++t)
    if (is_constraint(static_cast<Term>(t))) c.penalty[t] = o.penalty_start;
  if (feasibility) return c;
  // Objectives are divided by their load scale (the same scale the temperature uses), so a
  // peak of a few times the mean load weighs like a few violated constraints.
  const LossModel m = build_loss_model(p);
  auto per = [](double sum, std::int32_t steps) { return sum > 0 ? sum / steps : 1.0; };
  switch (o.formulation) {
    case Formulation::A: {
      const double scale = per(m.sum_weight, horizon);
      c.terms |= term_bit(Term::PeakUse) | term_bit(Term::Communication);
      c.weight[static_cast<int>(Term::PeakUse)] = 1.0 / scale;
      // alpha counts an edge's communication in units of the mean nonzero edge weight, so
      // alpha = 0.01 matches the reported 100 * peak + binary communication whatever the
      // weights' scale (the rw graphs' edge weights are in the tens of thousands).
      double sum_c = 0;
      std::int64_t nonzero = 0;
      for (edge_id e = 0; e < p.num_edges(); ++e)
        if (p.edge_distance[e] == 0 && p.edge_weight[e] > 0) {
          sum_c += p.edge_weight[e];
          ++nonzero;
        }
      const double mean_c = nonzero > 0 ? sum_c / static_cast<double>(nonzero) : 1.0;
      c.weight[static_cast<int>(Term::Communication)] = o.alpha / (scale * mean_c);
      break;
    }
    case Formulation::B:
      c.terms |= term_bit(Term::Memory);
      c.weight[static_cast<int>(Term::Memory)] = 1.0 / per(m.sum_out_size_local, horizon);
      break;
    case Formulation::C:
      c.terms |= term_bit(Term::ModuloMemory);
      c.weight[static_cast<int>(Term::ModuloMemory)] = 1.0 / per(m.sum_out_size_any, ii);
      break;
    case Formulation::Rcs: break;
  }
  return c;
}

std::unique_ptr<LossEngine> make_engine(const SolveContext& ctx, const LossConfig& c) {
  return make_loss_engine(ctx.p, c, ctx.backend,
                          ctx.o.double_precision ? Precision::Double : Precision::Float);
}

bool stopped(const SolveContext& ctx) { return ctx.cancelled || ctx.timed_out; }

/// Restart numbers first, first + 1, ..., first + count - 1: one batch.
std::vector<std::int32_t> restart_range(std::int32_t first, std::int32_t count) {
  std::vector<std::int32_t> rs(static_cast<std::size_t>(count));
  std::iota(rs.begin(), rs.end(), first);
  return rs;
}

/// Whether restart `r` runs. The R planned ones run unless the solve was stopped; after them
/// the rest of a finite time limit is spent on further restarts until it runs out or the best
/// objective meets `bound`, or a restart met a non-finite loss (`broken`: the next would too).
/// An infinite limit runs exactly R, so such a run is reproducible. None runs after a batch
/// that could not finish before the deadline (SolveContext::descents_outrun).
bool run_restart(SolveContext& ctx, std::int32_t r, double bound, bool broken) {
  if (stopped(ctx)) return false;
  if (ctx.descents_outrun) {  // B: the time left went to annealing (solve_fixed_horizon)
    ctx.timed_out = true;
    return false;
  }
  if (r < ctx.o.restarts && !(std::isfinite(ctx.o.time_limit_s) && ctx.out_of_time())) return true;
  if (!std::isfinite(ctx.o.time_limit_s) || broken) return false;
  if (ctx.tracker.have_legal() && ctx.tracker.best_objective() <= bound) return false;
  if (ctx.out_of_time()) {
    ctx.timed_out = true;
    return false;
  }
  return true;
}

/// Initial parameters of restart r >= R (run on the time left). Even ones start at the best
/// legal schedule's starts jittered by 1, 2 or 4 times max(init_jitter, 0.5) steps with narrow
/// spreads (a search around the incumbent); odd ones start afresh, cycling through the
/// midpoint, ALAP and list initializations with the usual jitter.
void init_extra(const SolveContext& ctx, Formulation f, std::int32_t horizon, std::int32_t r,
                const std::vector<std::int32_t>* list_starts, std::vector<double>& mu,
                std::vector<double>& rho) {
  SolveOptions o = ctx.o;
  o.progress = nullptr;
  const std::int32_t k = r - ctx.o.restarts;
  const std::int32_t cycle = (k / 2) % 3;
  o.init_jitter = std::max(o.init_jitter, 0.5);
  if (k % 2 == 0 && ctx.tracker.have_legal()) {
    o.init_jitter *= static_cast<double>(1 << cycle);
    o.sigma_init_max = std::min(o.sigma_init_max, 1.0);
    init_params(ctx.p, o, f, horizon, &ctx.tracker.best().schedule.start, r, mu, rho);
    return;
  }
  constexpr SolverInit inits[] = {SolverInit::Midpoint, SolverInit::Alap, SolverInit::List};
  o.init = inits[cycle];
  init_params(ctx.p, o, f, horizon, o.init == SolverInit::List ? list_starts : nullptr, r, mu,
              rho);
}

/// Notes how many restarts ran beyond the planned R and whether the bound ended them.
void note_restarts(SolveContext& ctx, std::int32_t ran, double bound, const char* what) {
  if (ran > ctx.o.restarts)
    ctx.notes.push_back(std::to_string(ran) + " restarts (" + std::to_string(ran - ctx.o.restarts) +
                        " on the time left)");
  if (ctx.tracker.have_legal() && ctx.tracker.best_objective() <= bound)
    ctx.notes.push_back(std::string("the objective meets the lower bound ") + what);
}

namespace {

/// B: the list, ALAP and force-directed schedules after improve_memory's moves are candidates
/// before any descent. The moves depend on where they start: from the list schedule, whose ops
/// sit early, delaying each value to its consumers often beats what the descent reaches (EPFL
/// adder: list 382, moved 6); force-directed balance suits wide shallow graphs (EPFL i2c: fds
/// 270, moved 261). Force-directed scheduling costs up to O(n (n + m)) and cannot be
/// interrupted, so it is only run where that stays around a second and the time limit allows.
void offer_memory_starts(SolveContext& ctx, const Schedule& list, std::int32_t horizon) {
  const Problem& p = ctx.p;
  std::vector<Schedule> bases{list, alap_schedule(p, horizon)};
  const double n = p.num_ops(), work = n * (n + static_cast<double>(p.num_edges()));
  if (work <= 6e8 && ctx.o.time_limit_s >= 2) bases.push_back(force_directed_schedule(p, horizon));
  for (Schedule& s : bases) {
    if (stopped(ctx) || ctx.out_of_time()) break;
    s.horizon = horizon;
    s.ii = 0;
    improve_memory(p, horizon, s.start);
    Candidate c = make_candidate(p, Formulation::B, std::move(s));
    ctx.tracker.offer(c, ctx.elapsed(), 0, 0);
  }
}

/// B at II 0: the min-cut bound (host/bounds/memory_cut_bound.hpp) on top of the counting bound
/// `known`. With a finite time limit it takes at most a tenth of it, and never more than is
/// left (what it proved by then stands); with an infinite one it runs to the end, so the bound
/// does not depend on timing.
/// The best schedule so far lets it skip steps where it cannot exceed the bound. The bound
/// only reports and ends the restarts on the time left: schedules never depend on it.
double memory_cut(SolveContext& ctx, std::int32_t horizon, double known) {
  MemoryCutOptions mo;
  mo.known_bound = known;
  if (std::isfinite(ctx.o.time_limit_s))
    mo.time_budget_s = std::max(
        0.0, std::min(0.1 * ctx.o.time_limit_s, ctx.o.time_limit_s - ctx.elapsed()));
  if (ctx.tracker.have_legal()) mo.upper_schedules.push_back(&ctx.tracker.best().schedule.start);
  const MemoryCutResult r = memory_cut_bound(ctx.p, horizon, mo);
  if (r.bound > known) ctx.bound_kind = "the min-cut bound";
  if (!r.complete)
    ctx.notes.push_back("min-cut memory bound stopped at its time budget after " +
                        std::to_string(r.steps_cut) + " steps");
  return r.bound;
}

}  // namespace

void solve_fixed_horizon(SolveContext& ctx, std::vector<double>& restart_best,
                         std::int32_t& horizon, std::int32_t& ii) {
  const Problem& p = ctx.p;
  const SolveOptions& o = ctx.o;
  const Formulation f = o.formulation;
  const std::int32_t cp = critical_path(p);
  std::int32_t base = cp;
  Schedule start;
  ii = 0;
  std::int32_t mii = 0;  // > 0: C with the II searched, which the time left may lower
  if (f == Formulation::C) {
    ii = o.ii > 0 ? o.ii : p.ii;
    if (ii == 0) {
      start = search_ii(ctx, o.slack, mii);
      ii = start.ii;
    } else {
      check_modulo_ii(p, ii);
      // When IMS fails at this II the plain list schedule still gives the descent a start and
      // the result a least-violating candidate (it is verified at II like any other).
      std::optional<Schedule> s = modulo_list_schedule(p, ii);
      start = s ? std::move(*s) : list_schedule(p);
    }
  } else {
    start = list_schedule(p);
    if (f == Formulation::A) base = std::max(base, analyze(p, cp).num_levels);
  }
  const std::int32_t user = o.horizon > 0 ? o.horizon : p.horizon;
  const std::int32_t start_latency = schedule_latency(p, start);
  horizon = user > 0 ? user : std::max(base, start_latency) + o.slack;
  if (horizon < cp)
    throw InfeasibleError("horizon D=" + std::to_string(horizon) +
                          " is shorter than the critical path (" + std::to_string(cp) + ")");
  start.horizon = horizon;
  start.ii = ii;
  ctx.tracker.offer(make_candidate(p, f, start), ctx.elapsed(), 0, 0);
  if (f == Formulation::B && ii == 0) offer_memory_starts(ctx, start, horizon);
  report_progress(ctx, "start");
  LegalizeFrame fr = make_legalize_frame(p, f, horizon, ii);
  const bool from_list = o.init == SolverInit::List;
  // While a smaller II may exist, memory at this II proves nothing.
  auto bound_now = [&] {
    return mii > 0 && ii > mii ? -HUGE_VAL : objective_lower_bound(p, f, horizon, ii);
  };
  double bound = bound_now();
  // B: the per-step cut bound (cheap), then the Lagrangian cuts (schedules and a bound that
  // couples the steps) where the best schedule does not meet it yet.
  if (f == Formulation::B && ii == 0 && !stopped(ctx)) {
    bound = memory_cut(ctx, horizon, bound);
    bound = offer_cut_schedules(ctx, fr, bound);
  }
  ctx.proof_bound = bound;
  report_progress(ctx, "bound");
  const std::int32_t first_ii = ii;
  // The engines are reused by later batches (a descent resets its multipliers), rebuilt when
  // the II changes or a batch runs in the other mode (see make_member_engine).
  std::vector<std::unique_ptr<LossEngine>> engines;
  bool engines_parallel = false;
  bool broken = false;
  Schedule batch_best;  // the last batch's best legal schedule (its members' own descents)
  // Restarts rs[0..] as one batch: planned ones from init_params, the others from init_extra.
  auto run_members = [&](const std::vector<std::int32_t>& rs) {
    const bool par = batch_parallel(ctx, horizon, rs.size());
    if (par != engines_parallel) engines.clear();
    engines_parallel = par;
    const LossConfig config = formulation_config(p, o, horizon, ii, false);
    while (engines.size() < rs.size()) engines.push_back(make_member_engine(ctx, config, par));
    std::vector<Member> ms(rs.size());
    for (std::size_t k = 0; k < rs.size(); ++k) {
      ms[k].restart = rs[k];
      ms[k].engine = engines[k].get();
      if (rs[k] < o.restarts)
        init_params(p, o, f, horizon, from_list ? &start.start : nullptr, rs[k], ms[k].mu,
                    ms[k].rho);
      else
        init_extra(ctx, f, horizon, rs[k], &start.start, ms[k].mu, ms[k].rho);
    }
    run_batch(ctx, ms, fr, o.max_iterations, -HUGE_VAL, par);
    batch_best = Schedule();
    double least = HUGE_VAL;
    for (Member& m : ms) {
      restart_best.push_back(m.result.best);
      broken |= m.result.nonfinite;
      if (m.result.best < least) {
        least = m.result.best;
        batch_best = std::move(m.result.best_schedule);
      }
    }
  };
  std::int32_t r = 0;
  // With a finite limit the descents stop at three quarters of it: the last quarter anneals the
  // best schedule (a large graph's descents would otherwise use it all), run after run.
  const bool final_polish = o.anneal && std::isfinite(o.time_limit_s);
  if (final_polish) ctx.deadline_s = 0.75 * o.time_limit_s;
  // Annealing alternates between the best schedule so far (deepening it) and the last batch's
  // best (a different basin: the descents' restarts give the annealing its diversity). It runs
  // once before the descents too, on the best start: a large graph's first descent can take
  // the whole time limit.
  std::int32_t polish_round = 0;
  auto polish = [&] {
    const bool deepen = polish_round % 2 == 0 || batch_best.start.empty();
    if (deepen && !ctx.tracker.have_legal()) return;
    anneal_best(ctx, deepen ? ctx.tracker.best().schedule : std::move(batch_best),
                polish_round++, std::max(r - 1, 0));
    batch_best = Schedule();
  };
  // A start that meets the bound (the cuts prove many small circuits optimal) ends the solve.
  auto proven = [&] { return ctx.tracker.have_legal() && ctx.tracker.best_objective() <= bound; };
  // B anneals the list schedule beside the best start (in threads; one after the other on
  // one), after the planned descents. Though worse, the list schedule often anneals to better
  // (EPFL log2 in 3 s: 855 from the list's 1,234, 943 from ALAP's 1,162; sin, div and mem_ctrl
  // alike; hyp, multiplier and square the other way). When those descents could not finish in
  // time (SolveContext::descents_outrun), the two runs take all the time left: one long run
  // anneals better than several reheated ones (log2 at 10 s: 814 against 835). The best start's
  // run then starts as cool as one of a tenth of its moves per op would (equilibrium 3,000 moves
  // per op instead of 300), refining it rather than melting it (EPFL at 4 s: multiplier 399 ->
  // 372, square 460 -> 441, mem_ctrl 1,456 -> 1,426); the list schedule's run starts hot.
  const bool pair = f == Formulation::B && ii == 0;
  if (!proven() && !pair) polish();
  // Out of time already (a huge graph's starts, or --time-limit 0): the starts stand; a batch
  // would legalize and evaluate before its first check of the clock.
  if (!stopped(ctx) && !ctx.out_of_time() && !proven()) run_members(restart_range(0, o.restarts));
  r = o.restarts;
  if (!proven() && pair && ctx.tracker.have_legal() && may_anneal(ctx, start)) {
    const bool rest = ctx.descents_outrun;
    if (rest) ctx.deadline_s = HUGE_VAL;
    anneal_side_by_side(ctx, {ctx.tracker.best().schedule, start}, polish_round,
                        std::max(r - 1, 0), rest, {rest ? 3000.0 : 0.0, 0.0});
  } else if (!proven()) {
    polish();
  }
  // C ranks the II first: every third restart on the time left tries II - 1, alone; the others
  // run in batches.
  auto ii_attempt = [&](std::int32_t q) {
    return (q - o.restarts) % 3 == 2 && mii > 0 && ii > mii;
  };
  std::vector<double> mu, rho;
  while (run_restart(ctx, r, bound, broken)) {
    if (!ii_attempt(r)) {
      const std::int32_t width = extra_batch_width(ctx, horizon);
      std::vector<std::int32_t> rs;
      for (std::int32_t q = r; q < r + width && !ii_attempt(q); ++q) rs.push_back(q);
      run_members(rs);
      r += static_cast<std::int32_t>(rs.size());
      polish();
      continue;
    }
    const std::int32_t k = r - o.restarts;
    init_extra(ctx, f, horizon, r, &start.start, mu, rho);
    std::optional<Schedule> s = try_smaller_ii(ctx, ii, horizon, k / 3, r, mu, rho);
    restart_best.push_back(std::numeric_limits<double>::quiet_NaN());
    ++r;
    if (!s) continue;
    ii = s->ii;
    horizon = s->horizon;
    start = std::move(*s);
    // The restarts so far found nothing at the new II; its memory restarts begin afresh.
    std::fill(restart_best.begin(), restart_best.end(), std::numeric_limits<double>::quiet_NaN());
    ctx.tracker = Tracker();
    ctx.tracker.offer(make_candidate(p, f, start), ctx.elapsed(), ctx.iterations, r - 1);
    engines.clear();
    fr = make_legalize_frame(p, f, horizon, ii);
    bound = bound_now();
    ctx.proof_bound = bound;
    report_progress(ctx, "descent", r - 1, ctx.iterations);
  }
  // The last quarter, when the descents stopped at its start (not on a bound, a non-finite
  // loss or a cancellation): runs on the best schedule so far, new seeds, until the limit (one
  // on a large graph).
  // As many runs side by side as the batches may use threads (each from the best so far).
  if (final_polish && ctx.timed_out && !ctx.cancelled && ctx.tracker.have_legal()) {
    ctx.deadline_s = HUGE_VAL;
    ctx.timed_out = false;
    const std::int32_t chains = std::max(1, batch_threads());
    for (std::int32_t runs = 0; !ctx.out_of_time() && !stopped(ctx) && runs < 10'000; ++runs) {
      if (ctx.tracker.best_objective() <= bound) break;
      anneal_chains(ctx, chains, polish_round, std::max(r - 1, 0));
    }
    ctx.timed_out = true;
  }
  if (ii < first_ii)
    ctx.notes.push_back("II lowered from " + std::to_string(first_ii) + " to " +
                        std::to_string(ii) + " on the time left");
  if (ctx.descents_outrun)
    ctx.notes.push_back("descents stopped after " + std::to_string(ctx.iterations) +
                        " iterations: at their rate they could not finish before the last "
                        "quarter; annealed instead");
  note_restarts(ctx, r, bound, ("(" + ctx.bound_kind + ")").c_str());
  if (std::isfinite(bound)) ctx.lower_bound = bound;
  if (ctx.polishes > 0)
    ctx.notes.push_back(std::string(f == Formulation::A ? "stage" : "memory") + " annealing: " +
                        std::to_string(ctx.polishes) +
                        (ctx.polishes == 1 ? " run, " : " runs, ") +
                        std::to_string(ctx.polish_gains) +
                        (ctx.polish_gains == 1 ? " new best" : " new bests"));
}

}  // namespace gaus::detail
