// The descent at one (D, II) (DESIGN section 4, steps 3-5): Adam on mu and rho, the augmented
// Lagrangian's multiplier and penalty updates, tau annealing, and legalization every E steps.
#include <algorithm>
#include <cmath>
#include <string>

#include "core/adam.hpp"
#include "host/optimizer.hpp"
#include "host/solver_detail.hpp"

namespace gaus::detail {

namespace {

/// Zero multipliers and the starting penalty / temperature: every descent starts fresh.
LossConfig reset_engine(LossEngine& engine, const SolveOptions& o) {
  LossConfig c = engine.config();
  for (int t = 0; t < kNumTerms; ++t) {
    const auto term = static_cast<Term>(t);
    if (!is_constraint(term)) continue;
    c.penalty[t] = o.penalty_start;
    if (!c.active(term)) continue;
    std::vector<double> lambda = engine.multipliers(term);
    std::fill(lambda.begin(), lambda.end(), 0.0);
    engine.set_multipliers(term, lambda);
  }
  c.tau = o.tau_start;
  engine.set_config(c);
  return c;
}

std::string where(const LegalizeFrame& fr, std::int32_t restart, std::int64_t it) {
  std::string s = "restart " + std::to_string(restart) + " at D=" + std::to_string(fr.horizon);
  if (fr.ii > 0) s += " II=" + std::to_string(fr.ii);
  return s + ", iteration " + std::to_string(it);
}

}  // namespace

DescentResult run_descent(SolveContext& ctx, LossEngine& engine, const LegalizeFrame& fr,
                          std::int32_t restart, std::int64_t budget, double stop_at,
                          std::vector<double>& mu, std::vector<double>& rho) {
  const SolveOptions& o = ctx.o;
  DescentResult out;
  // Legalizes, offers the candidate and reports progress; false = stop this descent.
  std::int32_t stale = 0;
  double last_loss = 0;
  // The parameters live in the optimizer (on the device for the CUDA engine) between
  // checkpoints; mu and rho are brought back to the host to legalize and at the end.
  auto opt = make_param_optimizer(engine, o.sigma_min);
  auto checkpoint = [&](std::int64_t it) {
    if (it > 0) opt->read(mu, rho);
    const Candidate c = legalize(ctx.p, fr, mu);
    const bool legal = c.exists && c.verification.legal;
    ctx.tracker.offer(c, ctx.elapsed(), ctx.iterations, restart);
    if (legal && (std::isnan(out.best) || c.objective < out.best)) {
      out.best = c.objective;
      stale = 0;
    } else {
      ++stale;
    }
    if (legal && c.objective <= stop_at) out.found = true;
    if (o.progress) {
      Progress pr;
      pr.restart = restart;
      pr.iteration = it;
      pr.time_s = ctx.elapsed();
      pr.loss = last_loss;
      pr.have_legal = ctx.tracker.have_legal();
      pr.best_objective = pr.have_legal ? ctx.tracker.best_objective() : 0.0;
      pr.horizon = fr.horizon;
      pr.ii = fr.ii;
      if (!o.progress(pr)) ctx.cancelled = true;
    }
    if (out.found || ctx.cancelled) return false;
    // Patience applies to optimization, not to a feasibility solve still looking for D.
    return !(stop_at == -HUGE_VAL && o.patience > 0 && stale >= o.patience);
  };

  LossConfig cfg = reset_engine(engine, o);
  if (!checkpoint(0)) return out;
  opt->reset(mu, rho);
  const double horizon = fr.horizon;
  // sigma beyond the horizon carries no information and only slows the windows down.
  // (The engine rejects sigma > 1e6 and |mu| > 1e9; both bounds stay well inside.)
  const double rho_max = rho_from_sigma(
      std::min(std::max(horizon, 2.0 * o.sigma_min), 1e5) + o.sigma_min, o.sigma_min);
  const double mu_lo = std::max(-horizon, -1e8), mu_hi = std::min(2.0 * horizon, 1e8);
  const double tau_ratio = o.tau_end / o.tau_start;
  // The sigma cap shrinks geometrically from sigma_init_max to sigma_end over the budget: the
  // soft maxima reward spread-out Gaussians, which otherwise keep their mu several sigma apart
  // and leave slack that the legalized schedule inherits.
  const double cap_ratio = std::min(1.0, o.sigma_end / std::max(o.sigma_init_max, o.sigma_end));
  double rho_cap = rho_max;
  for (std::int64_t it = 1; it <= budget; ++it) {
    if (o.sigma_end > 0) {
      const double cap = o.sigma_init_max * std::pow(cap_ratio, static_cast<double>(it) / budget);
      rho_cap = std::min(rho_max, rho_from_sigma(std::max(cap, 2.0 * o.sigma_min), o.sigma_min));
    }
    if (ctx.out_of_time()) {
      ctx.timed_out = true;
      break;
    }
    opt->push();
    const LossResult r = engine.evaluate(true);
    last_loss = r.objective;
    if (!std::isfinite(r.objective)) {
      ctx.notes.push_back("non-finite loss (" + std::to_string(r.objective) + ") at " +
                          where(fr, restart, it) + "; that restart stopped");
      out.nonfinite = true;
      break;
    }
    const AdamStep<double> step{o.learning_rate, o.beta1, o.beta2, o.adam_eps,
                                1.0 - std::pow(o.beta1, static_cast<double>(it)),
                                1.0 - std::pow(o.beta2, static_cast<double>(it))};
    // Keep the parameters where the engine accepts them and the windows stay near D.
    if (!opt->step(step, StepBounds{mu_lo, mu_hi, rho_cap})) {
      ctx.notes.push_back("non-finite gradient at or before " + where(fr, restart, it) +
                          "; that restart stopped");
      out.nonfinite = true;
      break;
    }
    ++ctx.iterations;
    bool reconfigure = false;
    if (o.multiplier_every > 0 && it % o.multiplier_every == 0) {
      engine.update_multipliers();
      for (int t = 0; t < kNumTerms; ++t)
        if (is_constraint(static_cast<Term>(t)))
          cfg.penalty[t] = std::min(o.penalty_max, cfg.penalty[t] * o.penalty_growth);
      reconfigure = true;
    }
    if (it % o.eval_every == 0 || it == budget) {
      cfg.tau = o.tau_start * std::pow(tau_ratio, static_cast<double>(it) / budget);
      reconfigure = true;
    }
    if (reconfigure) engine.set_config(cfg);
    if ((it % o.eval_every == 0 || it == budget) && !checkpoint(it)) break;
  }
  opt->read(mu, rho);  // the caller continues from where this descent stopped
  if (!out.nonfinite && opt->saw_nonfinite()) {
    ctx.notes.push_back("non-finite gradient in the last step of restart " +
                        std::to_string(restart) + "; those ops kept their parameters");
  }
  return out;
}

}  // namespace gaus::detail
