// Per-op sweeps over the steps of the per-step terms (docs/design.md section 3.4): an op's
// contribution to expected use U_k(d) / peak use W(d), and a producer's contribution to live memory
// M(d). Each sweep hands the caller (d, value, derivatives) or asks it for the upstream gradient at
// d, so the CPU backend (per-thread buffers) and the CUDA kernels (atomics) share the math. The
// per-step pieces (use_range / use_step, memory_ranges, consumer_product_step, producer_grad_terms,
// consumer_grad_terms) are what the CPU backend's vectorized loops (host/loss/cpu/) and the
// kernels' lane-per-step loops (kernels/) call; the sweeps here run them over a CDF source
// (core/cdf_source.hpp). The live-memory product is the CPU's form: running products G and 1 - G
// (no log / exp round trip). The kernels' balanced memory path (kernels/memory_kernels.cu) sums log
// F per entry by atomics instead, the one form a parallel scatter can add up deterministically.
#pragma once

#include <cstdint>

#include "core/cdf_source.hpp"
#include "core/gaussian.hpp"
#include "core/loss_terms.hpp"

namespace gaus {

/// An op's unit use at one step and its derivatives (see use_sweep).
template <class T>
struct UseStep {
  T r, r_mu, r_sigma;
};

/// R(d) = F(d) - F(d - B) from F(d - B) (`low`) and F(d) (`cur`), with its derivatives.
template <class T>
GAUS_HD GAUS_FORCEINLINE UseStep<T> use_step(const CdfPoint<T>& low, const CdfPoint<T>& cur,
                                             T inv_sigma) {
  UseStep<T> u;
  u.r = mass_between(low, cur);
  // dR/dmu = -(phi(a_d) - phi(a_{d-B})) / sigma
  u.r_mu = -(cur.pdf - low.pdf) * inv_sigma;
  // dR/dsigma = -(phi(a_d) a_d - phi(a_{d-B}) a_{d-B}) / sigma
  u.r_sigma = -(cur.pdf * cur.a - low.pdf * low.a) * inv_sigma;
  return u;
}

/// A range of steps [first, last] (empty when first > last).
struct StepRange {
  std::int64_t first;
  std::int64_t last;
};

/// The steps of [d_begin, d_end) where an op with window [lo, hi] holding its unit B cycles
/// may have R(d) != 0: [max(lo, d_begin), min(hi + B, d_end - 1)].
GAUS_HD GAUS_FORCEINLINE StepRange use_range(std::int64_t lo, std::int64_t hi, std::int32_t hold,
                                             std::int64_t d_begin, std::int64_t d_end) {
  return StepRange{max_of(lo, d_begin), min_of(hi + hold, d_end - 1)};
}

/// Unit use of an op holding its unit `hold` = B cycles, F from a CDF source:
///   R(d) = sum_{t=0}^{B-1} P(d - t) = F(d) - F(d - B) = P(d - B < s <= d),
/// nonzero on [lo, hi + B] of the op's window, visited within [d_begin, d_end). B = 1 gives the
/// step mass P(d) (peak use). Calls visit(d, R, dR/dmu, dR/dsigma) for every covered step.
template <class T, class Src, class Visit>
GAUS_HD void use_sweep(const Src& f, std::int32_t hold, std::int64_t d_begin,
                       std::int64_t d_end, Visit&& visit) {
  if (hold <= 0) return;
  const StepRange range = use_range(f.lo(), f.hi(), hold, d_begin, d_end);
  if (range.first > range.last) return;
  CdfPoint<T> prev = f.at(range.first - 1);
  for (std::int64_t d = range.first; d <= range.last; ++d) {
    const CdfPoint<T> cur = f.at(d);                            // F(d)
    const CdfPoint<T> low = hold == 1 ? prev : f.at(d - hold);  // F(d - B)
    const UseStep<T> u = use_step(low, cur, f.inv());
    visit(d, u.r, u.r_mu, u.r_sigma);
    prev = cur;
  }
}

/// use_sweep with F computed on access (ComputedCdf, window factor k).
template <class T, class Visit>
GAUS_HD void use_sweep(T mu, T sigma, T k, std::int32_t hold, std::int64_t d_begin,
                       std::int64_t d_end, Visit&& visit) {
  use_sweep<T>(ComputedCdf<T>(mu, sigma, k), hold, d_begin, d_end, visit);
}

/// use_sweep over the steps first + offset, first + offset + stride, ...: the lanes of a warp
/// share one op's window. F(d - B) is computed at each step instead of carried over from the
/// previous one, which gives the same values.
template <class T, class Visit>
GAUS_HD void use_sweep_strided(T mu, T sigma, T k, std::int32_t hold, std::int64_t d_begin,
                               std::int64_t d_end, int offset, int stride, Visit&& visit) {
  if (hold <= 0) return;
  const ComputedCdf<T> f(mu, sigma, k);
  const StepRange range = use_range(f.lo(), f.hi(), hold, d_begin, d_end);
  for (std::int64_t d = range.first + offset; d <= range.last; d += stride) {
    const UseStep<T> u = use_step(f.at(d - hold), f.at(d), f.inv());
    visit(d, u.r, u.r_mu, u.r_sigma);
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

/// The span of `count` consumers; `window_of(q, w, shift)` gives consumer q's window and shift
/// and returns false to skip it (a CPU table row or a computed window alike).
template <class WindowOf>
GAUS_HD ConsumerSpan consumer_span_of(std::int64_t count, WindowOf&& window_of) {
  ConsumerSpan span{0, 0, false};
  Window w{0, 0};
  std::int64_t shift = 0;
  for (std::int64_t q = 0; q < count; ++q) {
    if (!window_of(q, w, shift)) continue;
    if (!span.any) {
      span = ConsumerSpan{w.lo + shift, w.hi + shift, true};
    } else {
      span.first = max_of(span.first, w.lo + shift);
      span.last = max_of(span.last, w.hi + shift);
    }
  }
  return span;
}

/// consumer_span_of with the windows computed: `consumer(q, c)` fills consumer q
/// (0 <= q < count) and returns false to skip it.
template <class T, class Consumer>
GAUS_HD ConsumerSpan consumer_span(std::int64_t count, T k, Consumer&& consumer) {
  MemConsumer<T> c;
  return consumer_span_of(count, [&](std::int64_t q, Window& w, std::int64_t& shift) {
    if (!consumer(q, c)) return false;
    w = cdf_window(c.mu, c.sigma, k);
    shift = c.shift;
    return true;
  });
}

/// The step ranges of a producer's live memory m(d) = b F_i(d) (1 - G(d)) within
/// [d_begin, d_end), for its window [lo, hi] and its consumers' span:
///  [a_first, a_last]  its own window before the consumers start: m = b F_i(d)
///  [f_first, f_last]  past its window, before the consumers start: m = b (flat, no gradient)
///  [c_first, c_last]  where G varies: m = b F_i(d) (1 - G(d))
/// `any` false: nothing to do (a sink, or b = 0).
struct MemSpan {
  std::int64_t a_first = 0, a_last = -1, f_first = 0, f_last = -1, c_first = 0, c_last = -1;
  bool any = false;
  [[nodiscard]] GAUS_HD std::int64_t len() const {
    return c_last >= c_first ? c_last - c_first + 1 : 0;
  }
};

GAUS_HD GAUS_FORCEINLINE MemSpan memory_ranges(std::int64_t lo, std::int64_t hi,
                                               const ConsumerSpan& span, bool stores,
                                               std::int64_t d_begin, std::int64_t d_end) {
  MemSpan m;
  if (!span.any || !stores) return m;
  m.any = true;
  m.a_first = max_of(lo, d_begin);
  m.a_last = min_of(min_of(span.first - 1, hi), d_end - 1);
  m.f_first = max_of(hi + 1, d_begin);
  m.f_last = min_of(span.first - 1, d_end - 1);
  m.c_first = max_of(max_of(span.first, lo), d_begin);
  m.c_last = min_of(span.last, d_end - 1);
  return m;
}

/// One more consumer F into the running product: G' = G F, 1 - G' = (1 - G) + (1 - F) G.
/// Every term is nonnegative and 1 - F comes from the upper tail, so G and 1 - G both keep full
/// relative precision (an underflowing G loses only what is below the smallest number).
template <class T>
GAUS_HD GAUS_FORCEINLINE void consumer_product_step(T& g, T& one_minus_g, T cdf, T ccdf) {
  one_minus_g += ccdf * g;
  g *= cdf;
}

/// G(d) and 1 - G(d) for d >= span.first (every consumer at or past its window start;
/// consumers past their window have F = 1 and change nothing).
template <class T>
struct ConsumerProduct {
  T g;
  T one_minus_g;
};

template <class T, class Consumer>
GAUS_HD ConsumerProduct<T> consumer_product(std::int64_t d, std::int64_t count, T k,
                                            Consumer&& consumer) {
  ConsumerProduct<T> r{T(1), T(0)};
  MemConsumer<T> c;
  for (std::int64_t q = 0; q < count; ++q) {
    if (!consumer(q, c)) continue;
    const ComputedCdf<T> f(c.mu, c.sigma, k);
    const std::int64_t x = d - c.shift;
    if (x > f.hi()) continue;
    const CdfPoint<T> fq = f.inside(x);
    consumer_product_step(r.g, r.one_minus_g, fq.cdf, fq.ccdf);
  }
  return r;
}

/// The producer's share of the gradient at one step: with `up_x` = dJ/dm(d) b X (X = 1 before
/// the consumers start, 1 - G(d) after), m = b F_i(d) X gives
///   dJ/dmu_i += -up_x phi(a_d) / sigma_i,   dJ/dsigma_i += -up_x phi(a_d) a_d / sigma_i.
/// Returned without the minus signs (the caller subtracts).
template <class T>
GAUS_HD GAUS_FORCEINLINE OpGrad<T> producer_grad_terms(T up_x, const CdfPoint<T>& fi,
                                                       T inv_sigma) {
  OpGrad<T> g;
  g.mu = up_x * fi.pdf * inv_sigma;
  g.sigma = up_x * fi.pdf * fi.a * inv_sigma;
  return g;
}

/// A consumer's share at one step x, before its 1/sigma_q: with coef = dJ/dm(d) b F_i(d) G(d)
/// and h = phi(a_x) / Phi(a_x) (the inverse Mills ratio),
///   dm/dmu_q = -b F_i G dlogF_q/dmu_q,  dlogF_q/dmu_q = -h / sigma_q,
///   dlogF_q/dsigma_q = -h a_x / sigma_q,
/// so sigma_q dJ/dmu_q += coef h and sigma_q dJ/dsigma_q += coef h a_x.
template <class T>
struct ConsumerTerms {
  T mu;
  T sigma;
};

template <class T>
GAUS_HD GAUS_FORCEINLINE ConsumerTerms<T> consumer_grad_terms(T coef, T mills, T a) {
  const T ch = coef * mills;
  return ConsumerTerms<T>{ch, ch * a};
}

/// Forward of a producer's live memory m(d) = b F_i(d) (1 - G(d)) over [d_begin, d_end)
/// (ranges of memory_ranges): emit(d, m) per step of the a and c ranges, flat(from, to, b) for
/// the flat run. G and 1 - G as running products (consumer_product).
template <class T, class Consumer, class Emit, class Flat>
GAUS_HD void memory_forward(T mu, T sigma, T b, T k, std::int64_t count, std::int64_t d_begin,
                            std::int64_t d_end, Consumer&& consumer, Emit&& emit, Flat&& flat) {
  const ComputedCdf<T> fi(mu, sigma, k);
  const MemSpan m = memory_ranges(fi.lo(), fi.hi(), consumer_span<T>(count, k, consumer),
                                  b != T(0), d_begin, d_end);
  if (!m.any) return;
  for (std::int64_t d = m.a_first; d <= m.a_last; ++d) emit(d, b * fi.at(d).cdf);
  if (m.f_first <= m.f_last) flat(m.f_first, m.f_last, b);
  for (std::int64_t d = m.c_first; d <= m.c_last; ++d) {
    const ConsumerProduct<T> g = consumer_product<T>(d, count, k, consumer);
    emit(d, b * fi.at(d).cdf * g.one_minus_g);
  }
}

/// Backward of memory_forward. `upstream(d)` is dObjective/dM(d). Returns the producer's own
/// gradient; each consumer's gradient goes to accumulate(q, d/dmu_q, d/dsigma_q).
template <class T, class Consumer, class Upstream, class Accumulate>
GAUS_HD OpGrad<T> memory_backward(T mu, T sigma, T b, T k, std::int64_t count,
                                  std::int64_t d_begin, std::int64_t d_end, Consumer&& consumer,
                                  Upstream&& upstream, Accumulate&& accumulate) {
  OpGrad<T> g;
  const ComputedCdf<T> fi(mu, sigma, k);
  const MemSpan m = memory_ranges(fi.lo(), fi.hi(), consumer_span<T>(count, k, consumer),
                                  b != T(0), d_begin, d_end);
  if (!m.any) return g;
  const T inv = fi.inv();
  for (std::int64_t d = m.a_first; d <= m.a_last; ++d) {
    const OpGrad<T> t = producer_grad_terms(upstream(d) * b, fi.at(d), inv);
    g.mu -= t.mu;
    g.sigma -= t.sigma;
  }
  MemConsumer<T> c;
  for (std::int64_t d = m.c_first; d <= m.c_last; ++d) {
    const T up = upstream(d) * b;
    if (up == T(0)) continue;
    const ConsumerProduct<T> prod = consumer_product<T>(d, count, k, consumer);
    const CdfPoint<T> f = fi.at(d);
    const OpGrad<T> t = producer_grad_terms(up * prod.one_minus_g, f, inv);
    g.mu -= t.mu;
    g.sigma -= t.sigma;
    const T coef = up * f.cdf * prod.g;
    if (coef == T(0)) continue;
    for (std::int64_t q = 0; q < count; ++q) {
      if (!consumer(q, c)) continue;
      const ComputedCdf<T> fq(c.mu, c.sigma, k);
      const std::int64_t x = d - c.shift;
      if (x > fq.hi()) continue;
      const T a = ((T(x) - c.mu) + T(0.5)) * fq.inv();
      const ConsumerTerms<T> ct = consumer_grad_terms(coef, log_cdf<T>(a).mills, a);
      accumulate(q, ct.mu * fq.inv(), ct.sigma * fq.inv());
    }
  }
  return g;
}

}  // namespace gaus
