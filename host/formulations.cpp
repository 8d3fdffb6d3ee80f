// Per-formulation loss configs and drivers (DESIGN section 3's formulations): A, B and C solve at
// one horizon D (and II for C, searched when not given), rcs searches D downward from the list
// scheduling latency with one feasibility solve per D.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "host/heuristics.hpp"
#include "host/solver_detail.hpp"

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

namespace {

bool stopped(const SolveContext& ctx) { return ctx.cancelled || ctx.timed_out; }

/// C without an II: IMS (find_min_ii_schedule) gives a legal II; each smaller II from the
/// lower bound up is tried by a feasibility descent (the mu order may succeed where IMS's
/// priority failed), at most `max_tries` of them. Returns the schedule at the II chosen.
Schedule search_ii(SolveContext& ctx, std::int32_t slack) {
  const Problem& p = ctx.p;
  const ModuloResult fm = find_min_ii_schedule(p);
  Schedule best = fm.schedule;
  constexpr std::int32_t max_tries = 8;
  // The search has its own tracker: memory at different IIs is not comparable.
  Tracker saved = std::move(ctx.tracker);
  for (std::int32_t ii = std::max(fm.mii, fm.schedule.ii - max_tries); ii < fm.schedule.ii; ++ii) {
    if (stopped(ctx)) break;
    const std::int32_t d = std::max(critical_path(p), schedule_latency(p, fm.schedule)) + slack;
    ctx.tracker = Tracker();
    auto engine = make_engine(ctx, formulation_config(p, ctx.o, d, ii, true));
    const LegalizeFrame fr = make_legalize_frame(p, Formulation::C, d, ii);
    std::vector<double> mu, rho;
    init_params(p, ctx.o, Formulation::C, d, nullptr, 0, mu, rho);
    const DescentResult r =
        run_descent(ctx, *engine, fr, 0, ctx.o.rcs_iterations, HUGE_VAL, mu, rho);
    if (r.found) {
      best = ctx.tracker.best().schedule;
      break;
    }
  }
  ctx.tracker = std::move(saved);
  return best;
}

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
  if (f == Formulation::C) {
    ii = o.ii > 0 ? o.ii : p.ii;
    if (ii == 0) {
      start = search_ii(ctx, o.slack);
      ii = start.ii;
    } else {
      check_ii(p, ii);
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
  auto engine = make_engine(ctx, formulation_config(p, o, horizon, ii, false));
  const LegalizeFrame fr = make_legalize_frame(p, f, horizon, ii);
  const bool from_list = o.init == SolverInit::List;
  std::vector<double> mu, rho;
  for (std::int32_t r = 0; r < o.restarts && !stopped(ctx); ++r) {
    init_params(p, o, f, horizon, from_list ? &start.start : nullptr, r, mu, rho);
    const DescentResult d = run_descent(ctx, *engine, fr, r, o.max_iterations, -HUGE_VAL, mu, rho);
    restart_best.push_back(d.best);
  }
}

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
  std::vector<double> mu, rho;
  for (std::int32_t r = 0; r < o.restarts && !stopped(ctx); ++r) {
    double best = l0;
    std::vector<std::int32_t> seed_starts = list.schedule.start;
    for (std::int32_t d = l0 - 1; d >= lower && !stopped(ctx);) {
      auto engine = make_engine(ctx, formulation_config(p, o, d, 0, true));
      const LegalizeFrame fr = make_legalize_frame(p, Formulation::Rcs, d, 0);
      init_params(p, o, Formulation::Rcs, d,
                  o.init == SolverInit::List ? &seed_starts : nullptr, r, mu, rho);
      const DescentResult res = run_descent(ctx, *engine, fr, r, o.rcs_iterations, d, mu, rho);
      if (!std::isnan(res.best) && res.best < best) best = res.best;
      if (!res.found) break;
      if (ctx.tracker.have_legal()) seed_starts = ctx.tracker.best().schedule.start;
      d = static_cast<std::int32_t>(best) - 1;
    }
    restart_best.push_back(best);
  }
  horizon = static_cast<std::int32_t>(ctx.tracker.best_objective());
  if (horizon <= lower)
    ctx.notes.push_back("rcs: latency " + std::to_string(horizon) + " meets the lower bound " +
                        (lower == cp ? "(the critical path)" : "(a unit class's busy cycles)"));
  else
    ctx.notes.push_back("rcs: no legal schedule found at D=" + std::to_string(horizon - 1) +
                        " (" + std::to_string(o.rcs_iterations) + " iterations per D)");
}

}  // namespace gaus::detail
