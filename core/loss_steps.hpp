// Per-op sweeps over the steps of the per-step terms (docs/design.md section 3.4): an op's
// contribution to expected use U_k(d) / peak use W(d), and a producer's contribution to live memory
// M(d). Each sweep hands the caller (d, value, derivatives) or asks it for the upstream gradient at
// d, so the CPU backend (per-thread buffers) and the CUDA kernels (atomics) share the math.
#pragma once

#include <cstdint>

#include "core/gaussian.hpp"
#include "core/loss_terms.hpp"

namespace gaus {

/// Unit use of an op holding its unit `hold` = B cycles:
///   R(d) = sum_{t=0}^{B-1} P(d - t) = F(d) - F(d - B) = P(d - B < s <= d),
/// nonzero on [lo, hi + B] of the op's window, visited within [d_begin, d_end). B = 1 gives the
/// step mass P(d) (peak use). Calls visit(d, R, dR/dmu, dR/dsigma) for every covered step.
template <class T, class Visit>
GAUS_HD void use_sweep(T mu, T sigma, T k, std::int32_t hold, std::int64_t d_begin,
                       std::int64_t d_end, Visit&& visit) {
  if (hold <= 0) return;
  const Window w = cdf_window(mu, sigma, k);
  const T inv = T(1) / sigma;
  const std::int64_t first = max_of(w.lo, d_begin);
  const std::int64_t last = min_of(w.hi + hold, d_end - 1);
  if (first > last) return;
  CdfPoint<T> prev = step_cdf(first - 1, mu, inv, w);
  for (std::int64_t d = first; d <= last; ++d) {
    const CdfPoint<T> cur = step_cdf(d, mu, inv, w);                            // F(d)
    const CdfPoint<T> low = hold == 1 ? prev : step_cdf(d - hold, mu, inv, w);  // F(d - B)
    const T r = mass_between(low, cur);
    // dR/dmu = -(phi(a_d) - phi(a_{d-B})) / sigma
    const T r_mu = -(cur.pdf - low.pdf) * inv;
    // dR/dsigma = -(phi(a_d) a_d - phi(a_{d-B}) a_{d-B}) / sigma
    const T r_sigma = -(cur.pdf * cur.a - low.pdf * low.a) * inv;
    visit(d, r, r_mu, r_sigma);
    prev = cur;
  }
}

/// use_sweep over the steps first + offset, first + offset + stride, ...: the lanes of a warp
/// share one op's window. F(d - B) is computed at each step instead of carried over from the
/// previous one, which gives the same values.
template <class T, class Visit>
GAUS_HD void use_sweep_strided(T mu, T sigma, T k, std::int32_t hold, std::int64_t d_begin,
                               std::int64_t d_end, int offset, int stride, Visit&& visit) {
  if (hold <= 0) return;
  const Window w = cdf_window(mu, sigma, k);
  const T inv = T(1) / sigma;
  const std::int64_t first = max_of(w.lo, d_begin);
  const std::int64_t last = min_of(w.hi + hold, d_end - 1);
  for (std::int64_t d = first + offset; d <= last; d += stride) {
    const CdfPoint<T> cur = step_cdf(d, mu, inv, w);
    const CdfPoint<T> low = step_cdf(d - hold, mu, inv, w);
    visit(d, mass_between(low, cur), -(cur.pdf - low.pdf) * inv,
          -(cur.pdf * cur.a - low.pdf * low.a) * inv);
  }
}

/// One consumer of a stored value: its parameters and the shift of its start in the producer's
/// iteration frame (delta_e * II for a loop-carried edge in modulo mode, else 0).
template <class T>
struct MemConsumer {
  T mu;
  T sigma;
  std::int64_t shift;
};

/// Where a producer's consumer product G(d) = prod_q F_q(d - shift_q) is not constant: G = 0
/// for d < first (some consumer surely has not started), G = 1 for d > last.
struct ConsumerSpan {
  std::int64_t first;
  std::int64_t last;
  bool any;  ///< false for a sink (no consumer counted): it stores nothing
};

/// `consumer(q, c)` fills consumer q (0 <= q < count) and returns false to skip it.
template <class T, class Consumer>
GAUS_HD ConsumerSpan consumer_span(std::int64_t count, T k, Consumer&& consumer) {
  ConsumerSpan span{0, 0, false};
  MemConsumer<T> c;
  for (std::int64_t q = 0; q < count; ++q) {
    if (!consumer(q, c)) continue;
    const Window w = cdf_window(c.mu, c.sigma, k);
    if (!span.any) {
      span = ConsumerSpan{w.lo + c.shift, w.hi + c.shift, true};
    } else {
      span.first = max_of(span.first, w.lo + c.shift);
      span.last = max_of(span.last, w.hi + c.shift);
    }
  }
  return span;
}

/// log G(d) = sum_q log F_q(d - shift_q) for d >= span.first (every consumer at or past its
/// window start; consumers past their window contribute log 1 = 0).
template <class T, class Consumer>
GAUS_HD T log_consumer_product(std::int64_t d, std::int64_t count, T k, Consumer&& consumer) {
  T s = T(0);
  MemConsumer<T> c;
  for (std::int64_t q = 0; q < count; ++q) {
    if (!consumer(q, c)) continue;
    const Window w = cdf_window(c.mu, c.sigma, k);
    const std::int64_t x = d - c.shift;
    if (x > w.hi) continue;
    s += log_normal_cdf<T>(((T(x) - c.mu) + T(0.5)) * (T(1) / c.sigma));
  }
  return s;
}

/// Forward of a producer's live memory m(d) = b F_i(d) (1 - G(d)) over [d_begin, d_end):
///  - d < span.first, d in the producer's window: m = b F_i(d)      -> emit(d, m)
///  - d < span.first, d past the producer's window: m = b (flat, no gradient) -> flat(from, to, b)
///  - span.first <= d <= span.last: m = b F_i(d) (1 - exp(log G(d))) -> emit(d, m)
/// The product is formed in the log domain (log Phi via erfcx), 1 - G as -expm1(log G).
template <class T, class Consumer, class Emit, class Flat>
GAUS_HD void memory_forward(T mu, T sigma, T b, T k, std::int64_t count, std::int64_t d_begin,
                            std::int64_t d_end, Consumer&& consumer, Emit&& emit, Flat&& flat) {
  const ConsumerSpan span = consumer_span<T>(count, k, consumer);
  if (!span.any || b == T(0)) return;
  const Window w = cdf_window(mu, sigma, k);
  const T inv = T(1) / sigma;
  const std::int64_t a_last = min_of(min_of(span.first - 1, w.hi), d_end - 1);
  for (std::int64_t d = max_of(w.lo, d_begin); d <= a_last; ++d)
    emit(d, b * step_cdf(d, mu, inv, w).cdf);
  const std::int64_t f_first = max_of(w.hi + 1, d_begin);
  const std::int64_t f_last = min_of(span.first - 1, d_end - 1);
  if (f_first <= f_last) flat(f_first, f_last, b);
  const std::int64_t c_last = min_of(span.last, d_end - 1);
  for (std::int64_t d = max_of(max_of(span.first, w.lo), d_begin); d <= c_last; ++d) {
    const T log_g = log_consumer_product<T>(d, count, k, consumer);
    emit(d, b * step_cdf(d, mu, inv, w).cdf * -gm::expm1(log_g));
  }
}

/// Backward of memory_forward. `upstream(d)` is dObjective/dM(d). Returns the producer's own
/// gradient; each consumer's gradient goes to accumulate(q, d/dmu_q, d/dsigma_q).
template <class T, class Consumer, class Upstream, class Accumulate>
GAUS_HD OpGrad<T> memory_backward(T mu, T sigma, T b, T k, std::int64_t count,
                                  std::int64_t d_begin, std::int64_t d_end, Consumer&& consumer,
                                  Upstream&& upstream, Accumulate&& accumulate) {
  OpGrad<T> g;
  const ConsumerSpan span = consumer_span<T>(count, k, consumer);
  if (!span.any || b == T(0)) return g;
  const Window w = cdf_window(mu, sigma, k);
  const T inv = T(1) / sigma;
  const std::int64_t a_last = min_of(min_of(span.first - 1, w.hi), d_end - 1);
  for (std::int64_t d = max_of(w.lo, d_begin); d <= a_last; ++d) {
    const T up = upstream(d) * b;
    const CdfPoint<T> fi = step_cdf(d, mu, inv, w);
    // d(b F_i(d))/dmu = -b phi(a_d)/sigma;  d/dsigma = -b phi(a_d) a_d/sigma
    g.mu -= up * fi.pdf * inv;
    g.sigma -= up * fi.pdf * fi.a * inv;
  }
  const std::int64_t c_last = min_of(span.last, d_end - 1);
  MemConsumer<T> c;
  for (std::int64_t d = max_of(max_of(span.first, w.lo), d_begin); d <= c_last; ++d) {
    const T up = upstream(d) * b;
    if (up == T(0)) continue;
    const T log_g = log_consumer_product<T>(d, count, k, consumer);
    const T prod = gm::exp(log_g);       // G(d)
    const T one_minus = -gm::expm1(log_g);  // 1 - G(d)
    const CdfPoint<T> fi = step_cdf(d, mu, inv, w);
    // dm/dmu_i = b (1 - G) dF_i/dmu = -b (1 - G) phi(a_d)/sigma_i (and a_d phi(a_d)/sigma_i)
    g.mu -= up * one_minus * fi.pdf * inv;
    g.sigma -= up * one_minus * fi.pdf * fi.a * inv;
    // dm/dmu_q = -b F_i G dlogF_q/dmu_q, with dlogF_q/dmu_q = -h(a_x)/sigma_q and
    // dlogF_q/dsigma_q = -h(a_x) a_x/sigma_q (h = phi/Phi, the inverse Mills ratio)
    const T coef = up * fi.cdf * prod;
    if (coef == T(0)) continue;
    for (std::int64_t q = 0; q < count; ++q) {
      if (!consumer(q, c)) continue;
      const Window wq = cdf_window(c.mu, c.sigma, k);
      const std::int64_t x = d - c.shift;
      if (x > wq.hi) continue;
      const T inv_q = T(1) / c.sigma;
      const T a = ((T(x) - c.mu) + T(0.5)) * inv_q;
      const T h = log_cdf<T>(a).mills;
      accumulate(q, coef * h * inv_q, coef * h * a * inv_q);
    }
  }
  return g;
}

}  // namespace gaus
