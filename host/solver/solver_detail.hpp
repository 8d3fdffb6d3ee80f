// Internals shared by the solver's translation units (not a public header: use host/solver/solver.hpp).
//   solver_init.cpp      initial mu / rho
//   solver_legalize.cpp  legalization, verification, exact scoring, best tracking
//   solver_memory.cpp    formulation B's memory-safe moves after legalization
//   solver_bounds.cpp    lower bounds on the A, B and C objectives
//   solver_descent.cpp   the Adam / augmented-Lagrangian loop at one (D, II), for a batch of
//                        restarts in lockstep
//   solver_batch.cpp     how a batch's members run side by side (threads or one after another)
//   formulations.cpp     per-formulation loss configs, the A/B/C driver and their restarts
//   solver_rcs.cpp       the rcs driver (horizon search downward)
//   solver_ii.cpp        formulation C's II search and smaller-II attempts
//   solver_anneal.cpp    the annealing runs of the best schedules (A, B, C), side by side
//   solver.cpp           option checks, backend choice, the result
#pragma once

#include <chrono>
#include <functional>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/loss/loss.hpp"
#include "host/solver/solver.hpp"
#include "host/verify/verify.hpp"

namespace gaus::detail {

/// The formulation's exact objective of a discrete schedule (lower is better): A the reported
/// score 100 * peak + binary communication, B peak memory, C modulo peak memory at s.ii, rcs the
/// latency.
double exact_objective(const Problem& p, Formulation f, const Schedule& s);

/// A legalized schedule with the verifier's verdict and its exact objective.
struct Candidate {
  bool exists = false;  ///< false: modulo list scheduling failed at this II
  Schedule schedule;
  VerifyResult verification;
  double objective = 0;
};

/// What legalization needs at one (D, II): ALAP starts at D bound the releases, so with unlimited
/// units every op lands by its ALAP start and the schedule fits D.
struct LegalizeFrame {
  Formulation formulation = Formulation::Rcs;
  std::int32_t horizon = 0;  ///< D (rcs: the target; the candidate is stamped with its latency)
  std::int32_t ii = 0;       ///< > 0: modulo list scheduling at II
  std::vector<std::int32_t> alap;  ///< ALAP starts at D over distance-0 edges
};
LegalizeFrame make_legalize_frame(const Problem& p, Formulation f, std::int32_t horizon,
                                  std::int32_t ii);

/// List scheduling in mu order (priority mu, release round(mu) clamped to [0, ALAP_i(D)]);
/// modulo list scheduling at II in modulo mode. When the result overshoots D (or IMS fails), it
/// is retried without releases (pure mu order), which packs the ops as early as the units allow.
/// Every candidate is verified and scored.
Candidate legalize(const Problem& p, const LegalizeFrame& frame, std::span<const double> mu);
/// legalize with a caller-owned list-scheduling workspace (one per descent, kept for its
/// checkpoints): the same result, without recomputing p's tie-break order and packed arcs.
Candidate legalize(const Problem& p, const LegalizeFrame& frame, std::span<const double> mu,
                   ListWorkspace& workspace);

/// Formulation B (solver_memory.cpp): on a schedule that meets the distance-0 edges, unit
/// limits and horizon D, advances ops that store no value and delays ops that store one (once
/// only where no step's live memory can rise, once as late as their consumers allow), and
/// keeps the better result. Returns true (and rewrites `start`) only when the exact peak
/// memory dropped; leaves schedules outside D (or a D too large for a reservation table)
/// unchanged.
bool improve_memory(const Problem& p, std::int32_t horizon, std::vector<std::int32_t>& start);

/// A lower bound on exact_objective(f) of every legal schedule at (D, II) (solver_bounds.cpp):
/// A 100 * max(heaviest op, mean weight per step) + the delays of weighted distance-0 edges;
/// B and C the largest stored value, or the least total lifetime spread over D steps (II
/// residues for C); rcs 0 (solve_rcs has its own). Stops the restarts run on the time left.
double objective_lower_bound(const Problem& p, Formulation f, std::int32_t horizon,
                             std::int32_t ii);
/// B and C (part of objective_lower_bound): the most memory forced at one step (residue of II
/// when ii > 0), values stored at least over [ALAP_i, max_j ASAP_j) at horizon D.
double forced_live_peak(const Problem& p, std::int32_t horizon, std::int32_t ii);

/// Verifies and scores a schedule made elsewhere (the list-scheduling start of rcs, an IMS one).
Candidate make_candidate(const Problem& p, Formulation f, Schedule s);

/// Keeps the best legal candidate (with the any-time history) and the least-violating one.
class Tracker {
 public:
  /// Returns true when `c` is legal and strictly better than the best so far.
  bool offer(const Candidate& c, double time_s, std::int64_t iteration, std::int32_t restart);
  [[nodiscard]] bool have_legal() const { return have_legal_; }
  [[nodiscard]] double best_objective() const { return best_.objective; }
  [[nodiscard]] const Candidate& best() const { return best_; }
  [[nodiscard]] bool have_any() const { return have_any_; }
  [[nodiscard]] const Candidate& least_violating() const { return least_; }
  [[nodiscard]] const std::vector<HistoryPoint>& history() const { return history_; }

 private:
  bool have_legal_ = false;
  bool have_any_ = false;
  Candidate best_;
  Candidate least_;
  std::vector<HistoryPoint> history_;
};

/// State shared by every descent of one solve().
struct SolveContext {
  const Problem& p;
  const SolveOptions& o;
  Backend backend = Backend::Cpu;
  std::chrono::steady_clock::time_point t0;
  Tracker tracker;
  std::int64_t iterations = 0;  ///< Adam steps so far, all descents
  bool cancelled = false;
  bool timed_out = false;
  std::vector<std::string> notes;  ///< non-finite losses etc., joined into the status
  /// The bound the driver proved for the final horizon and II (SolveResult::lower_bound).
  double lower_bound = std::numeric_limits<double>::quiet_NaN();
  std::string bound_kind = "a counting bound";  ///< what proved lower_bound (for the status)
  /// The bound proved so far on the objective at the current horizon and II (-inf: none): a
  /// best schedule that meets it is optimal, and the descents and restarts stop (proven()).
  double proof_bound = -std::numeric_limits<double>::infinity();
  [[nodiscard]] bool proven() const {
    return tracker.have_legal() && tracker.best_objective() <= proof_bound;
  }
  std::int32_t polishes = 0;      ///< memory annealing runs (B, C)
  std::int32_t polish_gains = 0;  ///< of them, runs whose result became the best
  /// Parallel batches' clock (run_batch sizes its rounds by them): busy seconds of one member's
  /// checkpoint (E steps and a legalization), and the cost of one fork/join of the threads
  /// (0: not measured yet), and the wall seconds of parallel rounds run unforked since the last.
  double checkpoint_s = 0;
  double fork_s = 0;
  double unforked_s = 0;
  /// B: a batch stopped because, at the rate it had run, its descents could not finish their
  /// iteration budget before deadline_s (run_batch); the time left goes to annealing instead.
  bool descents_outrun = false;

  [[nodiscard]] double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  /// Seconds after which the descents stop once a legal schedule exists: the time limit, or
  /// less where the driver keeps the rest for a final step on the best schedule (B and C: memory
  /// annealing). Without a legal schedule the whole limit goes to finding one.
  double deadline_s = std::numeric_limits<double>::infinity();
  [[nodiscard]] bool out_of_time() const {
    const double end = tracker.have_legal() ? std::min(o.time_limit_s, deadline_s) : o.time_limit_s;
    return elapsed() >= end;
  }
};

/// Calls the progress callback (when set) with the solve's state: the best schedule so far,
/// ctx.proof_bound, `stage`, `restart` and `iteration`; a false return cancels the solve
/// (ctx.cancelled). Calling thread only. (solver_progress.cpp)
void report_progress(SolveContext& ctx, const char* stage, std::int32_t restart = 0,
                     std::int64_t iteration = 0);
/// The Progress of the solve's state without calling anyone (report_progress's, and what the
/// descents and annealing fill in further).
Progress progress_of(const SolveContext& ctx, const char* stage);

/// B without an II (solver_cut.cpp): the Lagrangian minimum-cut search (host/bounds/lagrangian_cut.hpp)
/// on about a quarter of a finite time limit (40 rounds with an infinite one), where the
/// time-expanded graph is small enough for that (at most 5e5 arcs per second of budget and
/// 5e5 in all; 1e5 with an infinite limit); each round's schedule is legalized and
/// offered to ctx.tracker. Skipped when the best schedule already meets `known` (a bound proved
/// before). Returns the larger of `known` and its bound on the peak (and names it in
/// ctx.bound_kind when larger).
double offer_cut_schedules(SolveContext& ctx, const LegalizeFrame& fr, double known);

/// The loss config of a formulation at (D, II). `feasibility`: dependency, recurrence (with II),
/// horizon and capacity only (rcs, C's II search).
LossConfig formulation_config(const Problem& p, const SolveOptions& o, std::int32_t horizon,
                              std::int32_t ii, bool feasibility);

std::unique_ptr<LossEngine> make_engine(const SolveContext& ctx, const LossConfig& c);

/// Initial parameters for restart `restart` at horizon D: mu at the frame midpoint or at
/// `list_starts` (scaled into D), jittered for restart > 0; rho from the mobility.
void init_params(const Problem& p, const SolveOptions& o, Formulation f, std::int32_t horizon,
                 const std::vector<std::int32_t>* list_starts, std::int32_t restart,
                 std::vector<double>& mu, std::vector<double>& rho);

/// How one descent ended.
struct DescentResult {
  bool found = false;     ///< a legal candidate meeting the goal (see run_descent) was seen
  double best = std::numeric_limits<double>::quiet_NaN();  ///< best legal objective seen
  Schedule best_schedule;  ///< the legal schedule of `best` (empty when none)
  bool nonfinite = false; ///< stopped on a non-finite loss or gradient
};

/// Adam on (mu, rho) with augmented-Lagrangian multipliers and tau annealing, legalizing every E
/// steps (and once before the first step). `stop_at` > -inf: stop as soon as a legal candidate
/// has objective <= stop_at (a feasibility solve). Stops on the budget, patience, time limit,
/// cancellation (ctx flags) or a non-finite loss (noted in ctx.notes). A batch of one.
DescentResult run_descent(SolveContext& ctx, LossEngine& engine, const LegalizeFrame& frame,
                          std::int32_t restart, std::int64_t budget, double stop_at,
                          std::vector<double>& mu, std::vector<double>& rho);

/// One restart of a batch: its engine (which holds its multipliers; one per member, not shared)
/// and its parameters, the start on entry and where its descent stopped on return.
struct Member {
  std::int32_t restart = 0;
  LossEngine* engine = nullptr;
  std::vector<double> mu, rho;
  DescentResult result;
};

/// The members' descents (each as run_descent) side by side at one frame, in lockstep by
/// checkpoint: every member takes its E steps and is legalized, then the candidates are
/// offered to ctx.tracker and reported to the progress callback in member order, so the result
/// does not depend on the thread count. `parallel` (engines from make_member_engine with
/// parallel set): members advance a few checkpoints per round in threads, when the measured
/// work outweighs the cost of waking them; the replay is the same. With stop_at >
/// -inf the batch is a race: the first checkpoint where a member meets it stops them all (each
/// member meeting it there has result.found). A cancellation or the time limit stops them all;
/// a member that runs out of budget or patience stops alone.
void run_batch(SolveContext& ctx, std::span<Member> members, const LegalizeFrame& frame,
               std::int64_t budget, double stop_at, bool parallel);

/// B's rule for a batch whose descents may not finish before the deadline (run_batch): after
/// `spent_s` seconds the slowest member has done `done` (0..1) of its iteration budget and the
/// least-advanced one `steps` steps; `window_s` is the time from the batch's start to the
/// deadline. True when at that rate the budget would not be done in the window, judged only
/// once `steps` >= `min_steps` and the measurement covers a tenth of the window (so that a
/// stall at the start, a busy machine's scheduler slice, does not decide alone). Pure: the
/// solver's only use of a measured rate, tested as such.
bool descents_cannot_finish(double spent_s, double done, double window_s, std::int64_t steps,
                            std::int64_t min_steps);

/// Whether a batch of `width` members at horizon D may run its members in parallel threads
/// (CPU backend, more than one OpenMP thread, a graph small enough that one single-threaded
/// engine per thread beats the engine's own threads); otherwise members are stepped one after
/// another, each engine using every thread.
bool batch_parallel(const SolveContext& ctx, std::int32_t horizon, std::size_t width);

/// An engine for a batch member: make_engine, single-threaded when `parallel` (the CPU engine
/// fixes its thread count when built; one that ran with several threads must not be called
/// inside another parallel region, whose nested regions run one thread, as its per-thread sums
/// are cleared by the threads that run).
std::unique_ptr<LossEngine> make_member_engine(const SolveContext& ctx, const LossConfig& c,
                                               bool parallel);

/// Members per batch of the restarts run on the time left: R, or the OpenMP thread count when
/// R = 1 and such a batch would run in parallel.
std::int32_t extra_batch_width(const SolveContext& ctx, std::int32_t horizon);

/// OpenMP threads a parallel batch may use (1 without OpenMP).
int batch_threads();

/// Wall and busy seconds of one for_each_member call.
struct RoundTime {
  double wall = 0;      ///< the whole call
  double busy_max = 0;  ///< the busiest thread's time in f
  double busy_sum = 0;  ///< all threads' time in f
};

/// Calls f(k) for k in [0, n): in an OpenMP region of `threads` threads when threads > 1, else
/// in order on the calling thread. An exception thrown by f is rethrown after all ran (the
/// lowest k's first).
RoundTime for_each_member(int threads, std::size_t n, const std::function<void(std::size_t)>& f);

/// C without an II (solver_ii.cpp): IMS (find_min_ii_schedule) gives a legal II; each smaller
/// II from the lower bound up is tried by a feasibility descent (the mu order may succeed where
/// IMS's priority failed), at most 8 of them. Returns the schedule at the II chosen; `mii`
/// receives the II lower bound: max(rec_mii, res_mii, 1) raised by ii_conflict_bound
/// (host/bounds/ii_bound.hpp).
Schedule search_ii(SolveContext& ctx, std::int32_t slack, std::int32_t& mii);

/// C, on the time left: one feasibility descent at II - 1 from (mu, rho), at `horizon` widened
/// by 0, II/2, II or 2 II cycles as `attempt` cycles. Returns the legal schedule found (its
/// horizon the widened one), or nullopt; ctx.tracker is left as it was.
std::optional<Schedule> try_smaller_ii(SolveContext& ctx, std::int32_t ii, std::int32_t horizon,
                                       std::int32_t attempt, std::int32_t restart,
                                       std::vector<double>& mu, std::vector<double>& rho);

/// Restart bookkeeping shared by the drivers (formulations.cpp).
/// Whether the solve was cancelled or timed out.
bool stopped(const SolveContext& ctx);
/// Restart numbers first, first + 1, ..., first + count - 1: one batch.
std::vector<std::int32_t> restart_range(std::int32_t first, std::int32_t count);
/// Whether restart `r` runs: the R planned ones unless the solve stopped; after them, with a
/// finite time limit, until it runs out, the best meets `bound` or `broken` (a non-finite loss).
bool run_restart(SolveContext& ctx, std::int32_t r, double bound, bool broken);
/// Initial parameters of restart r >= R (run on the time left): even ones jitter the best legal
/// schedule, odd ones start afresh (midpoint, ALAP, list in turn).
void init_extra(const SolveContext& ctx, Formulation f, std::int32_t horizon, std::int32_t r,
                const std::vector<std::int32_t>* list_starts, std::vector<double>& mu,
                std::vector<double>& rho);
/// Notes how many restarts ran beyond the planned R and whether the bound ended them.
void note_restarts(SolveContext& ctx, std::int32_t ran, double bound, const char* what);

/// Annealing of legal schedules (solver_anneal.cpp), seeded o.seed + round, results offered to
/// ctx.tracker; a progress callback that returns false cancels them (ctx.cancelled).
/// Whether annealing may run on `s` (on, s not empty, time left, not stopped).
bool may_anneal(const SolveContext& ctx, const Schedule& s);
/// One run of `s` (round `round`), at most a quarter of a finite limit.
void anneal_best(SolveContext& ctx, Schedule s, std::int32_t round, std::int32_t restart);
/// Runs of the schedules `ss` side by side in threads (rounds round.. round + |ss| - 1; round
/// is advanced). `rest`: they share all the time left (each all of it when every run has its
/// own thread), cooling over it whatever the moves, instead of a quarter of the limit each.
/// `equilibrium`: per run, AnnealOptions::equilibrium (missing or 0: the annealer's default).
void anneal_side_by_side(SolveContext& ctx, std::vector<Schedule> ss, std::int32_t& round,
                         std::int32_t restart, bool rest = false,
                         const std::vector<double>& equilibrium = {});
/// `chains` runs of the best schedule side by side.
void anneal_chains(SolveContext& ctx, std::int32_t chains, std::int32_t& round,
                   std::int32_t restart);

/// The formulation drivers (formulations.cpp, solver_rcs.cpp); each fills the per-restart bests. The planned
/// restarts run as one batch (run_batch), those on the time left in batches of
/// extra_batch_width.
void solve_fixed_horizon(SolveContext& ctx, std::vector<double>& restart_best,
                         std::int32_t& horizon, std::int32_t& ii);
void solve_rcs(SolveContext& ctx, std::vector<double>& restart_best, std::int32_t& horizon);

}  // namespace gaus::detail
