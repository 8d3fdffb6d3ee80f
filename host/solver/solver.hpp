// The gradient solver (docs/design.md section 4): Gaussian start times N(mu_i, sigma_i^2) optimized
// by Adam on an augmented Lagrangian (host/loss/loss.hpp computes the loss), legalized every few
// iterations by list scheduling in mu order, every candidate checked by verify() and scored exactly
// (host/verify/objectives.hpp); the best legal schedule is returned.
//
// Formulations:
//   A   peak weighted use + alpha * communication; reported as 100 * peak_use +
//       communication_binary; default horizon = the number of ops on the longest path (or the
//       list-scheduling latency when unit limits make that longer).
//   B   peak live memory; default horizon = the critical path (or the list latency) + slack.
//       Every legalized schedule (and the list, ALAP and, on graphs small enough, force-directed
//       schedules, offered before the descent) is post-processed by moves that shorten
//       lifetimes: values are delayed towards their consumers and ops that store nothing
//       advanced towards their inputs, kept only when the exact peak drops and verify()
//       accepts the result.
//   C   peak modulo live memory at II under unit limits and recurrences; with no II (option or
//       file), the smallest II is searched from max(rec_mii, res_mii, 1) upward, bounded by the
//       II find_min_ii_schedule reaches; restarts on the time left keep trying II - 1 (with a
//       wider horizon) until that bound.
//   Rcs minimum latency under unit limits: from the list-scheduling latency L0, horizons
//       D = L0 - 1, L0 - 2, ... are each a feasibility solve (dependency, horizon, capacity);
//       the search stops at the critical path or at the first D no restart legalizes.
//
// Time: under a finite time limit the solver keeps restarting until the limit, or until its best
// schedule meets a proven lower bound (rcs: the critical path and the unit classes' energetic
// bounds, host/bounds/latency_bound.hpp; A/B/C: counting bounds, B also minimum cuts), where it
// stops at once (the descents of a batch included) and reports the result optimal.
//
// Determinism: with the CPU backend the same Problem, options and seed give the same schedule,
// whatever the OpenMP thread count, when the time limit does not bind (time_limit_s = infinity
// runs exactly the planned restarts); the only time-dependent decision is the time limit.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "core/terms.hpp"
#include "host/verify/objectives.hpp"
#include "host/verify/verify.hpp"

namespace gaus {

enum class SolverBackend { Auto, Cpu, Cuda };
enum class SolverInit {
  Midpoint,  ///< mu at (ASAP + ALAP) / 2 at the horizon
  List,      ///< mu at a list schedule's starts (scaled into the horizon when it overshoots)
  Alap,      ///< mu at the ALAP start at the horizon (the latest end of each frame)
};

/// "A", "B", "C", "rcs".
const char* to_string(Formulation f);
/// Parses "A"/"a", "B"/"b", "C"/"c", "rcs"/"RCS"; throws InputError otherwise.
Formulation parse_formulation(const std::string& s);
/// Parses "auto", "cpu", "cuda"; throws InputError otherwise.
SolverBackend parse_solver_backend(const std::string& s);

/// Reported to the callback after every legalization of a descent, after every new best
/// schedule whatever found it (the starts, minimum cuts, annealing, rcs repair) and once a
/// lower bound is proved, and every 0.2 s or so during annealing.
struct Progress {
  std::int32_t restart = 0;
  std::int64_t iteration = 0;   ///< within the restart (and within the current D for rcs)
  double time_s = 0;            ///< since solve() started
  double loss = 0;              ///< J of the last evaluation (NaN: not called by a descent)
  bool have_legal = false;      ///< a legal schedule has been found (by any restart)
  double best_objective = 0;    ///< its exact objective (lower is better)
  /// The lower bound proved so far on the objective (NaN: none yet); best_objective meets it
  /// when the best is optimal.
  double lower_bound = std::numeric_limits<double>::quiet_NaN();
  std::int32_t horizon = 0;     ///< D being solved
  std::int32_t ii = 0;          ///< II being solved (0: not modulo)
  /// What reported: "start", "bound", "descent", "cuts", "annealing", "repair".
  const char* stage = "descent";
};

struct SolveOptions {
  Formulation formulation = Formulation::Rcs;
  SolverBackend backend = SolverBackend::Auto;  ///< Auto: CUDA when a device is present
  std::int32_t horizon = 0;   ///< D; 0 = the formulation's default (see above); ignored by rcs
  std::int32_t slack = 0;     ///< cycles added to the default horizon (A, B, C)
  std::int32_t ii = 0;        ///< C: the II; 0 = the file's, else searched
  double time_limit_s = 10;   ///< wall clock for the whole solve (>= 0, may be infinity)
  std::int64_t max_iterations = 2000;  ///< Adam steps per restart (A, B, C)
  std::int64_t rcs_iterations = 300;   ///< per horizon D per restart (rcs, C's II search)
  /// R >= 1 restarts run side by side in one batch: each with its own parameters, Adam state,
  /// multipliers and temperature schedule, advanced in lockstep and legalized at the same
  /// checkpoints, whose candidates are taken in restart order (on the CPU, small graphs run the
  /// restarts in parallel threads; the result is the same for any thread count). rcs moves the
  /// whole batch to a shorter horizon as soon as one restart legalizes within the current one.
  /// Under a finite time limit, the time they leave is spent on further restarts (from jittered
  /// copies of the best schedule, alternating with fresh starts), in batches of R (of the
  /// thread count when R = 1), until it runs out or the best meets a lower bound; with an
  /// infinite limit exactly R run. A batch holds R loss engines at once.
  std::int32_t restarts = 1;
  std::uint64_t seed = 1;
  SolverInit init = SolverInit::Midpoint;
  double init_jitter = 0.5;   ///< std. deviation (steps) of the mu jitter of restarts 1..R-1
  double learning_rate = 0.3; ///< Adam step size (steps of mu per iteration, roughly)
  double beta1 = 0.9;
  double beta2 = 0.999;
  double adam_eps = 1e-8;
  double sigma_min = 0.05;    ///< floor: sigma = sigma_min + softplus(rho)
  /// Initial sigma = clamp(sigma_init * (mobility + 1), 2 sigma_min, sigma_init_max): wide
  /// enough to see the op's frame, narrow enough that long frames do not smear every term.
  double sigma_init = 0.25;
  double sigma_init_max = 4.0;
  /// > 0: sigma is capped by a bound shrinking geometrically from sigma_init_max to this over
  /// the iteration budget (annealed spread); 0 = no annealing.
  double sigma_end = 0.0;
  double tau_start = 1.0;     ///< soft-max temperature (relative, see host/loss/loss.hpp), annealed
  double tau_end = 0.05;      ///< geometrically to this over the iteration budget
  /// A: weight of communication against peak use, per edge in units of the mean nonzero edge
  /// weight; 0.01 matches the reported score 100 * peak_use + communication_binary.
  double alpha = 0.01;
  double penalty_start = 1.0; ///< augmented-Lagrangian penalty rho_t of every constraint term
  double penalty_growth = 2.0;///< multiplied at every multiplier update ...
  double penalty_max = 1e3;   ///< ... up to this cap
  std::int32_t eval_every = 10;        ///< E: legalize every E iterations
  std::int32_t multiplier_every = 50;  ///< T: update multipliers every T iterations
  /// Stop a restart after this many legalizations without improving its best objective
  /// (0 = never). rcs: a D is abandoned after this many legalizations without a legal schedule
  /// at D only when its iteration budget is also spent.
  std::int32_t patience = 50;
  /// A, B and C: before (not B) and after the planned restarts, after each batch on the time
  /// left and in the last quarter of a finite limit, the best legal schedules are polished by
  /// simulated annealing of their exact objective (single-op moves that keep them legal;
  /// host/improve/memory_anneal.cpp, host/improve/stage_anneal.cpp); B anneals the list schedule too, and
  /// where its planned descents cannot finish in a finite limit, the two runs take all the
  /// time left. false: the descent and its legalization.
  bool anneal = true;
  /// B without an II: before the descents, Lagrangian minimum cuts of the time-expanded graph
  /// (host/bounds/lagrangian_cut.hpp) give legal schedules and a lower bound on the peak, on at most a
  /// quarter of a finite time limit. false: skipped (the descent and annealing alone).
  bool cut = true;
  bool closed_form_dependency = false;  ///< see LossConfig
  bool double_precision = true;         ///< CPU backend in double (else float)
  /// Called as Progress says (always from the calling thread); returning false cancels the
  /// solve (the best so far is returned with status "cancelled").
  std::function<bool(const Progress&)> progress;
};

/// One point of the any-time curve: a new best legal schedule.
struct HistoryPoint {
  double time_s = 0;
  std::int64_t iteration = 0;  ///< global Adam step count when it was found (0: initial)
  std::int32_t restart = 0;
  double objective = 0;
};

struct RestartSummary {
  std::int32_t count = 0;   ///< restarts run (all or some of them may have found no legal one)
  /// Of them, restarts run after the planned R on the time left (see SolveOptions::restarts).
  std::int32_t extra = 0;
  std::int32_t legal = 0;   ///< restarts that found a legal schedule
  std::vector<double> best; ///< per restart its best objective (NaN: none legal)
  double min = 0, median = 0, max = 0;  ///< over the restarts with a legal schedule
};

struct SolveResult {
  bool legal = false;        ///< verify() passed on `schedule`
  Schedule schedule;         ///< best legal, else the least-violating candidate (may be empty)
  Objectives objectives;     ///< of `schedule`
  double objective = 0;      ///< the formulation's exact objective of `schedule` (lower = better)
  VerifyResult verification; ///< of `schedule`
  std::int64_t iterations = 0;  ///< Adam steps over all restarts (and horizons)
  double time_s = 0;
  std::int32_t horizon = 0;  ///< D of the best schedule's solve (rcs: its latency)
  std::int32_t ii = 0;       ///< II used (C)
  /// A proven lower bound on `objective` at this horizon and II (counting arguments; B also a
  /// minimum cut per step, host/bounds/memory_cut_bound.hpp, and the Lagrangian cuts,
  /// host/bounds/lagrangian_cut.hpp; rcs: host/bounds/latency_bound.hpp, the critical path and the
  /// unit classes' energetic bounds, at any latency); NaN when none is known (C while a smaller
  /// II may exist, no ops).
  double lower_bound = std::numeric_limits<double>::quiet_NaN();
  /// `legal` and `objective` meets `lower_bound`: no schedule is better (at this horizon and II
  /// for A, B and C; for rcs, at any latency). The solver stops as soon as this holds.
  bool optimal = false;
  std::string backend;       ///< "cpu" / "cuda"
  std::vector<HistoryPoint> history;
  RestartSummary restarts;
  /// "ok", "cancelled", "time limit", ... plus notes (a restart stopped on a non-finite loss,
  /// "no legal schedule found at D=.. II=..").
  std::string status;
};

/// What the formulation's objective is, for messages: "score" (A: 100 * peak use +
/// communication), "peak memory" (B), "modulo peak memory" (C), "latency" (rcs).
const char* objective_name(Formulation f);

/// The relative optimality gap (objective - lower_bound) / objective of a minimization: 0 when
/// the objective meets the bound, NaN when the bound is NaN (unknown) or the objective is not
/// positive while above it.
inline double optimality_gap(double objective, double lower_bound) {
  if (!(lower_bound == lower_bound)) return lower_bound;  // NaN
  if (objective <= lower_bound) return 0.0;
  if (!(objective > 0)) return std::numeric_limits<double>::quiet_NaN();
  return (objective - lower_bound) / objective;
}

/// Solves `p` as options.formulation. Throws InputError on unusable options (non-positive
/// counts, non-finite rates) and InfeasibleError when no schedule exists (a horizon below the
/// critical path, a class with limit 0 that an op must hold). Never returns a schedule marked
/// legal that verify() rejects.
SolveResult solve(const Problem& p, const SolveOptions& options);

}  // namespace gaus
