// The per-step use sweep of core/loss_steps.hpp (an op's R(d) = F(d) - F(d - hold) and its
// derivatives: use_range, use_step) for the CPU backend, reading F from the per-evaluation
// CdfTable: branch-free runs over the table rows, in stack chunks, so the capacity and peak-use
// passes vectorize. The math is core's; this file only lays the loop out.
#pragma once

#include <cstdint>
#include <type_traits>

#include "core/gaussian.hpp"
#include "core/loss_steps.hpp"
#include "host/loss/cpu/cdf_table.hpp"

namespace gaus {

/// Steps per chunk of use_sweep_chunks (its buffers live on the stack).
inline constexpr std::int64_t kSweepChunk = 256;

/// use_sweep's values for steps from..to (inside [max(lo, d_begin), hi + hold]) into
/// r, r_mu, r_sigma[d - from]. Tabulated rows go branch-free in at most three runs (the low
/// point below the window, both inside, the current one above: at()'s constants there), which
/// vectorize; the values are exactly the per-step ones of at().
template <class T>
void use_rows(const CdfTable<T>& tab, const typename CdfTable<T>::OpInfo& o, std::int32_t hold,
              std::int64_t from, std::int64_t to, T* r, T* r_mu, T* r_sigma) {
  const T inv = o.inv;
  using Tab = CdfTable<T>;
  typename Tab::Row row;
  if (hold >= (std::int32_t(1) << 29) || !tab.row_view(o, row)) {
    for (std::int64_t d = from; d <= to; ++d) {
      const UseStep<T> u = use_step(tab.at(o, d - hold), tab.at(o, d), inv);
      r[d - from] = u.r;
      r_mu[d - from] = u.r_mu;
      r_sigma[d - from] = u.r_sigma;
    }
    return;
  }
  const auto run = [&](auto cur_in, auto low_in, std::int32_t x, std::int32_t y) {
    const auto f = static_cast<std::int32_t>(from);
#pragma omp simd
    for (std::int32_t d = x; d <= y; ++d) {
      CdfPoint<T> cur{T(0), T(1), T(0), T(0)};  // above the window
      CdfPoint<T> low{T(0), T(0), T(1), T(0)};  // below it
      if constexpr (decltype(cur_in)::value) cur = Tab::point(row, d);
      if constexpr (decltype(low_in)::value) low = Tab::point(row, d - hold);
      const UseStep<T> u = use_step(low, cur, inv);
      r[d - f] = u.r;
      r_mu[d - f] = u.r_mu;
      r_sigma[d - f] = u.r_sigma;
    }
  };
  using Y = std::true_type;
  using N = std::false_type;
  const std::int64_t low_from = o.lo + hold, cur_past = o.hi + 1;
  for (std::int64_t x = from; x <= to;) {
    std::int64_t next = to + 1;
    if (low_from > x) next = min_of(next, low_from);
    if (cur_past > x) next = min_of(next, cur_past);
    const auto a = static_cast<std::int32_t>(x), b = static_cast<std::int32_t>(next - 1);
    const bool ci = x <= o.hi, li = x >= low_from;
    if (ci && li) run(Y{}, Y{}, a, b);
    else if (ci) run(Y{}, N{}, a, b);
    else if (li) run(N{}, Y{}, a, b);
    else run(N{}, N{}, a, b);
    x = next;
  }
}

/// use_sweep of core/loss_steps.hpp with F from the table, in chunks: chunk(first, n, r, r_mu,
/// r_sigma) for the n steps first.. of each chunk (arrays indexed from 0).
template <class T, class Chunk>
void use_sweep_chunks(const CdfTable<T>& tab, std::int64_t i, std::int32_t hold,
                      std::int64_t d_begin, std::int64_t d_end, Chunk&& chunk) {
  if (hold <= 0) return;
  const auto& o = tab.op(i);
  const StepRange range = use_range(o.lo, o.hi, hold, d_begin, d_end);
  alignas(64) T r[kSweepChunk], r_mu[kSweepChunk], r_sigma[kSweepChunk];
  for (std::int64_t from = range.first; from <= range.last; from += kSweepChunk) {
    const std::int64_t to = min_of(range.last, from + kSweepChunk - 1);
    use_rows(tab, o, hold, from, to, r, r_mu, r_sigma);
    chunk(from, to - from + 1, static_cast<const T*>(r), static_cast<const T*>(r_mu),
          static_cast<const T*>(r_sigma));
  }
}

/// use_sweep of core/loss_steps.hpp with F from the table.
template <class T, class Visit>
void use_sweep_tab(const CdfTable<T>& tab, std::int64_t i, std::int32_t hold,
                   std::int64_t d_begin, std::int64_t d_end, Visit&& visit) {
  use_sweep_chunks(tab, i, hold, d_begin, d_end,
                   [&](std::int64_t first, std::int64_t n, const T* r, const T* r_mu,
                       const T* r_sigma) {
                     for (std::int64_t k = 0; k < n; ++k)
                       visit(first + k, r[k], r_mu[k], r_sigma[k]);
                   });
}

}  // namespace gaus
