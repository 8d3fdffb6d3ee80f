// solve(): option checks, backend choice, the formulation driver, and the result with its
// restart summary and status.
#include "host/solver/solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "graphs/chaining.hpp"
#include "host/loss/cuda/device.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus {

const char* to_string(Formulation f) {
  switch (f) {
    case Formulation::A: return "A";
    case Formulation::B: return "B";
    case Formulation::C: return "C";
    case Formulation::Rcs: return "rcs";
  }
  return "?";
}

const char* objective_name(Formulation f) {
  switch (f) {
    case Formulation::A: return "score";
    case Formulation::B: return "peak memory";
    case Formulation::C: return "modulo peak memory";
    case Formulation::Rcs: return "latency";
  }
  return "objective";
}

Formulation parse_formulation(const std::string& s) {
  if (s == "A" || s == "a") return Formulation::A;
  if (s == "B" || s == "b") return Formulation::B;
  if (s == "C" || s == "c") return Formulation::C;
  if (s == "rcs" || s == "RCS") return Formulation::Rcs;
  throw InputError("unknown formulation '" + s + "' (expected A, B, C or rcs)");
}

SolverBackend parse_solver_backend(const std::string& s) {
  if (s == "auto") return SolverBackend::Auto;
  if (s == "cpu") return SolverBackend::Cpu;
  if (s == "cuda") return SolverBackend::Cuda;
  throw InputError("unknown backend '" + s + "' (expected auto, cpu or cuda)");
}

namespace {

void require(bool ok, const char* what) {
  if (!ok) throw InputError(std::string("solver option ") + what);
}

void validate(const SolveOptions& o) {
  auto finite = [](double x) { return std::isfinite(x); };
  require(o.horizon >= 0 && o.slack >= 0 && o.ii >= 0, "horizon, slack and ii must be >= 0");
  require(o.time_limit_s >= 0, "time_limit_s must be >= 0 (infinity for none)");
  require(o.max_iterations >= 0 && o.rcs_iterations >= 0, "iteration counts must be >= 0");
  require(o.restarts >= 1, "restarts must be >= 1");
  require(o.eval_every >= 1, "eval_every must be >= 1");
  require(o.multiplier_every >= 0 && o.patience >= 0, "multiplier_every and patience must be >= 0");
  require(finite(o.learning_rate) && o.learning_rate > 0, "learning_rate must be finite and > 0");
  require(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1, "betas must be in [0, 1)");
  require(finite(o.adam_eps) && o.adam_eps > 0, "adam_eps must be finite and > 0");
  require(finite(o.sigma_min) && o.sigma_min > 0, "sigma_min must be finite and > 0");
  require(finite(o.sigma_init) && o.sigma_init > 0 && finite(o.sigma_init_max) &&
              o.sigma_init_max > 0,
          "sigma_init and sigma_init_max must be finite and > 0");
  require(finite(o.sigma_end) && o.sigma_end >= 0, "sigma_end must be finite and >= 0");
  require(finite(o.init_jitter) && o.init_jitter >= 0, "init_jitter must be finite and >= 0");
  require(finite(o.tau_start) && o.tau_start > 0 && finite(o.tau_end) && o.tau_end > 0,
          "tau_start and tau_end must be finite and > 0");
  require(finite(o.alpha) && o.alpha >= 0, "alpha must be finite and >= 0");
  require(finite(o.penalty_start) && o.penalty_start >= 0, "penalty_start must be finite, >= 0");
  require(finite(o.penalty_growth) && o.penalty_growth >= 1, "penalty_growth must be >= 1");
  require(finite(o.penalty_max) && o.penalty_max >= o.penalty_start,
          "penalty_max must be finite and >= penalty_start");
}

Backend pick_backend(SolverBackend b) {
  if (b == SolverBackend::Cpu) return Backend::Cpu;
  if (b == SolverBackend::Cuda) return Backend::Cuda;  // make_loss_engine says why when absent
  return cuda_compiled() && cuda_device_count() > 0 ? Backend::Cuda : Backend::Cpu;
}

RestartSummary summarize(std::vector<double> best) {
  RestartSummary s;
  s.count = static_cast<std::int32_t>(best.size());
  s.best = best;
  std::erase_if(best, [](double x) { return std::isnan(x); });
  s.legal = static_cast<std::int32_t>(best.size());
  if (best.empty()) return s;
  std::sort(best.begin(), best.end());
  s.min = best.front();
  s.max = best.back();
  const std::size_t h = best.size() / 2;
  s.median = best.size() % 2 == 1 ? best[h] : 0.5 * (best[h - 1] + best[h]);
  return s;
}

/// "; note; note ...". A note that recurs with other details (a non-finite loss in every
/// restart run on the time left) is given once, with how many more times it occurred.
std::string join_notes(const std::vector<std::string>& notes) {
  struct Kind {
    std::string key, first;
    std::int64_t repeats = 0;
  };
  std::vector<Kind> kinds;
  for (const std::string& n : notes) {
    std::string key = n.substr(0, n.find(" at "));
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](const Kind& k) { return k.key == key; });
    if (it == kinds.end()) kinds.push_back({std::move(key), n, 0});
    else ++it->repeats;
  }
  std::string out;
  for (const Kind& k : kinds) {
    out += "; " + k.first;
    if (k.repeats > 0) out += " (and " + std::to_string(k.repeats) + " more like it)";
  }
  return out;
}

}  // namespace

SolveResult solve(const Problem& p, const SolveOptions& o) {
  validate(o);
  if ((o.formulation == Formulation::B || o.formulation == Formulation::C) &&
      !p.edge_flags.empty())
    for (edge_id e = 0; e < p.num_edges(); ++e)
      if (!p.carries_value(e))
        throw InputError(std::string("formulation ") +
                         (o.formulation == Formulation::B ? "B" : "C") +
                         " counts an output as stored until its last consumer; edge " +
                         quoted_name(p, p.edge_src[e]) + " -> " + quoted_name(p, p.edge_dst[e]) +
                         " is auxiliary or chain-breaking (no value), which B and C do not "
                         "model: use rcs or A");
  detail::SolveContext ctx{p, o, pick_backend(o.backend), std::chrono::steady_clock::now(),
                           detail::Tracker(), 0, false, false, {}};
  SolveResult out;
  out.backend = ctx.backend == Backend::Cuda ? "cuda" : "cpu";
  std::vector<double> restart_best;
  if (p.num_ops() == 0) {
    out.legal = true;
    out.verification = verify(p, out.schedule);
    out.objectives = evaluate(p, out.schedule);
    out.status = "done (no ops)";
    return out;
  }
  std::int32_t horizon = 0, ii = 0;
  if (o.formulation == Formulation::Rcs) detail::solve_rcs(ctx, restart_best, horizon);
  else detail::solve_fixed_horizon(ctx, restart_best, horizon, ii);

  out.iterations = ctx.iterations;
  out.horizon = horizon;
  out.ii = ii;
  out.lower_bound = ctx.lower_bound;
  out.history = ctx.tracker.history();
  out.restarts = summarize(std::move(restart_best));
  out.restarts.extra = std::max(0, out.restarts.count - o.restarts);
  const detail::Tracker& t = ctx.tracker;
  if (t.have_legal() || t.have_any()) {
    const detail::Candidate& c = t.have_legal() ? t.best() : t.least_violating();
    out.schedule = c.schedule;
    set_start_times_in_cycle(p, out.schedule);  // chaining: the least start times in cycle
    out.verification = c.verification;
    out.objective = c.objective;
    out.objectives = evaluate(p, c.schedule);
  }
  // The verdict is the verifier's, re-derived here rather than trusted from the tracker.
  out.legal = t.have_any() && out.verification.legal && t.have_legal();
  out.optimal = out.legal && std::isfinite(out.lower_bound) &&
                out.objective <= out.lower_bound + 1e-9 * std::max(1.0, std::abs(out.lower_bound));
  out.status = ctx.cancelled ? "cancelled" : ctx.timed_out ? "time limit" : "done";
  if (!out.legal) {
    out.status += "; no legal schedule found at D=" + std::to_string(horizon);
    if (ii > 0) out.status += " II=" + std::to_string(ii);
  }
  out.status += join_notes(ctx.notes);
  out.time_s = ctx.elapsed();
  return out;
}

}  // namespace gaus
