// The solver's annealing runs (formulations A, B and C): one run of a legal schedule, runs side
// by side in threads, each result verified and offered to the tracker. A long run polls the
// progress callback from the calling thread, so a cancellation (Ctrl-C) ends it promptly.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "host/improve/memory_anneal.hpp"
#include "host/solver/solver_detail.hpp"
#include "host/improve/stage_anneal.hpp"

namespace gaus::detail {

namespace {

/// What ends the runs of one call early: the time limit, or the progress callback returning
/// false, which the calling thread (OpenMP's thread 0) asks at most every 0.2 s; the other
/// threads see the cancellation through an atomic flag.
class AnnealWatch {
 public:
  explicit AnnealWatch(const SolveContext& ctx) : ctx_(ctx) {}
  bool operator()() {
    if (cancel_.load(std::memory_order_relaxed) || ctx_.out_of_time()) return true;
    if (!ctx_.o.progress || thread() != 0) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return false;
    last_ = now;
    if (!ctx_.o.progress(progress_of(ctx_, "annealing"))) cancel_.store(true);
    return cancel_.load();
  }
  [[nodiscard]] bool cancelled() const { return cancel_.load(); }

 private:
  static int thread() {
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
  }
  const SolveContext& ctx_;
  std::atomic<bool> cancel_{false};
  /// The last report; the first poll reports at once, so that runs shorter than the interval
  /// (the chains of a small graph's last quarter) still show the clock moving.
  std::chrono::steady_clock::time_point last_{};
};

/// Anneals a legal schedule op by op (B and C: peak memory, host/improve/memory_anneal.cpp; A: the
/// stage score, host/improve/stage_anneal.cpp), seeded o.seed + round; reads ctx only (safe in threads).
/// Its moves grow with the graph (300 per op, at least a million: a tenth of a second on small
/// graphs; at most 3e7, some tens of seconds, so that an infinite time limit stays usable on
/// huge graphs); with a finite time limit one run takes at most a quarter of it, and never more
/// than what is left before ctx.deadline_s; with `rest` > 0, 1 / rest of that, cooling over
/// that time whatever the moves. `equilibrium`: AnnealOptions' (0: the annealer's default).
AnnealResult anneal_run(const SolveContext& ctx, Schedule& s, std::int32_t round, int rest,
                        AnnealWatch& watch, double equilibrium) {
  const SolveOptions& o = ctx.o;
  AnnealOptions a;
  a.moves = std::clamp<std::int64_t>(300 * std::int64_t{ctx.p.num_ops()}, 1'000'000, 30'000'000);
  a.seed = o.seed + static_cast<std::uint64_t>(round);
  a.equilibrium = equilibrium;
  if (std::isfinite(o.time_limit_s))
    a.time_budget_s = std::min(0.25 * o.time_limit_s,
                               std::min(o.time_limit_s, ctx.deadline_s) - ctx.elapsed());
  if (rest > 0 && std::isfinite(o.time_limit_s)) {  // 1 / rest of the time left, any moves
    a.time_budget_s = (std::min(o.time_limit_s, ctx.deadline_s) - ctx.elapsed()) / rest;
    a.moves = std::numeric_limits<std::int64_t>::max() / 2;
  }
  auto stop = [&] { return watch(); };
  return o.formulation == Formulation::A
             ? anneal_stage(ctx.p, s.horizon, s.start, a, stop)
             : anneal_memory(ctx.p, s.horizon, s.ii, s.start, a, stop);
}

/// Counts an annealing run and offers its result when it improved on its start.
void offer_annealed(SolveContext& ctx, Schedule s, const AnnealResult& r, std::int32_t restart) {
  ++ctx.polishes;
  if (!r.improved) return;
  const Candidate c = make_candidate(ctx.p, ctx.o.formulation, std::move(s));
  if (!ctx.tracker.offer(c, ctx.elapsed(), ctx.iterations, restart)) return;
  ++ctx.polish_gains;
  report_progress(ctx, "annealing", restart, ctx.iterations);
}

}  // namespace

bool may_anneal(const SolveContext& ctx, const Schedule& s) {
  return ctx.o.anneal && !s.start.empty() && !stopped(ctx) && !ctx.out_of_time();
}

void anneal_best(SolveContext& ctx, Schedule s, std::int32_t round, std::int32_t restart) {
  if (!may_anneal(ctx, s)) return;
  AnnealWatch watch(ctx);
  const AnnealResult r = anneal_run(ctx, s, round, 0, watch, 0.0);
  offer_annealed(ctx, std::move(s), r, restart);
  if (watch.cancelled()) ctx.cancelled = true;
}

void anneal_side_by_side(SolveContext& ctx, std::vector<Schedule> ss, std::int32_t& round,
                         std::int32_t restart, bool rest, const std::vector<double>& equilibrium) {
  std::vector<AnnealResult> rs(ss.size());
  const std::int32_t first = round;
  const auto n = static_cast<int>(ss.size());
  const int threads = std::clamp(batch_threads(), 1, std::max(n, 1));
  AnnealWatch watch(ctx);
  for_each_member(threads, ss.size(), [&](std::size_t k) {
    // One thread runs them in order: run k shares what is left with the n - k - 1 after it.
    const int share = !rest ? 0 : threads >= n ? 1 : n - static_cast<int>(k);
    const double eq = k < equilibrium.size() ? equilibrium[k] : 0.0;
    rs[k] = anneal_run(ctx, ss[k], first + static_cast<std::int32_t>(k), share, watch, eq);
  });
  round += static_cast<std::int32_t>(ss.size());
  for (std::size_t k = 0; k < ss.size(); ++k) offer_annealed(ctx, std::move(ss[k]), rs[k], restart);
  if (watch.cancelled()) ctx.cancelled = true;
}

void anneal_chains(SolveContext& ctx, std::int32_t chains, std::int32_t& round,
                   std::int32_t restart) {
  if (!ctx.tracker.have_legal() || !may_anneal(ctx, ctx.tracker.best().schedule)) return;
  anneal_side_by_side(
      ctx, std::vector<Schedule>(static_cast<std::size_t>(chains), ctx.tracker.best().schedule),
      round, restart);
}

}  // namespace gaus::detail
