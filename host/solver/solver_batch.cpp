// How the members of a batch of restarts run side by side: on the CPU backend, small graphs give
// each OpenMP thread whole members (each engine single-threaded), large ones step the members
// one after another with every thread inside the engine. The CUDA backend steps them one after
// another (one batched kernel over the members is future work).
#include <algorithm>
#include <chrono>
#include <exception>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

namespace {

/// Below this many (op, step) pairs, whole members per thread beat the engine's own threads:
/// they avoid its fork/joins (several per evaluation) and run the legalizations in parallel
/// too. Measured on 2 shared cores up to EPFL log2 (32,092 ops x D = 444: 1.4e7, 3.9x faster
/// than the engine's threads; README, "The gradient solver"); above, where one evaluation is
/// long enough for the engine's threads to pay and the working set of a thread's engine
/// outgrows its caches, unmeasured, the engine keeps them.
constexpr double kMemberParallelWork = 3e7;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int batch_threads() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

bool batch_parallel(const SolveContext& ctx, std::int32_t horizon, std::size_t width) {
  if (width < 2 || ctx.backend != Backend::Cpu || batch_threads() < 2) return false;
  return static_cast<double>(ctx.p.num_ops()) * std::max(horizon, 1) <= kMemberParallelWork;
}

std::unique_ptr<LossEngine> make_member_engine(const SolveContext& ctx, const LossConfig& c,
                                               bool parallel) {
#ifdef _OPENMP
  if (parallel) {
    // The engine sizes its per-thread step buffers by omp_get_max_threads() when built; a
    // member runs on one thread, so one set of buffers is enough (this thread's setting is
    // restored at once).
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    try {
      auto engine = make_engine(ctx, c);
      omp_set_num_threads(saved);
      return engine;
    } catch (...) {
      omp_set_num_threads(saved);
      throw;
    }
  }
#endif
  (void)parallel;
  return make_engine(ctx, c);
}

std::int32_t extra_batch_width(const SolveContext& ctx, std::int32_t horizon) {
  if (ctx.o.restarts > 1) return ctx.o.restarts;
  const int threads = batch_threads();
  return threads > 1 && batch_parallel(ctx, horizon, static_cast<std::size_t>(threads)) ? threads
                                                                                        : 1;
}

RoundTime for_each_member(int threads, std::size_t n, const std::function<void(std::size_t)>& f) {
  RoundTime out;
  const auto t0 = std::chrono::steady_clock::now();
#ifdef _OPENMP
  if (threads > 1 && n > 1) {
    if (static_cast<std::size_t>(threads) > n) threads = static_cast<int>(n);
    // An exception must not leave an OpenMP region: each is kept and the first rethrown after.
    std::vector<std::exception_ptr> errors(n);
    std::vector<double> busy(static_cast<std::size_t>(threads), 0.0);
    const auto count = static_cast<std::int64_t>(n);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (std::int64_t k = 0; k < count; ++k) {
      const auto start = std::chrono::steady_clock::now();
      try {
        f(static_cast<std::size_t>(k));
      } catch (...) {
        errors[static_cast<std::size_t>(k)] = std::current_exception();
      }
      busy[static_cast<std::size_t>(omp_get_thread_num())] += seconds_since(start);
    }
    out.wall = seconds_since(t0);
    for (double b : busy) {
      out.busy_max = std::max(out.busy_max, b);
      out.busy_sum += b;
    }
    for (const std::exception_ptr& e : errors)
      if (e) std::rethrow_exception(e);
    return out;
  }
#endif
  (void)threads;
  for (std::size_t k = 0; k < n; ++k) f(k);
  out.wall = out.busy_max = out.busy_sum = seconds_since(t0);
  return out;
}

}  // namespace gaus::detail
