// The windowed loss terms of core/loss_terms.hpp and core/loss_steps.hpp for the CPU backend,
// reading every F(d) from the per-evaluation CdfTable (host/cdf_table.hpp) instead of
// recomputing it. The edge and use terms are the same sums in the same order as the core
// functions (which the CUDA kernels keep using), so they match them to the last bit; the memory
// terms form the consumer product G and 1 - G as running products instead of in the log
// domain (equal to rounding). See the core functions for the derivations.
#pragma once

#include <cstdint>
#include <vector>

#include "core/loss_steps.hpp"
#include "core/loss_terms.hpp"
#include "host/cdf_table.hpp"

namespace gaus {

/// precedence_violation of core/loss_terms.hpp with F from the table.
template <class T>
EdgeGrad<T> precedence_violation_tab(const CdfTable<T>& tab, std::int64_t i, std::int64_t j,
                                     std::int64_t lambda) {
  const auto& oi = tab.op(i);
  const auto& oj = tab.op(j);
  const T inv_i = oi.inv, inv_j = oj.inv;
  const std::int64_t s = lambda - 1;
  const std::int64_t lo = max_of(oi.lo, oj.lo - s);
  const std::int64_t hi = min_of(oi.hi + 1, oj.hi - s);
  EdgeGrad<T> g;
  CdfPoint<T> prev = tab.at(oi, lo - 1);
  const auto step = [&](const CdfPoint<T>& cur, const CdfPoint<T>& fj) {
    const T p = mass_between(prev, cur);
    g.value += p * fj.cdf;
    g.mu_i -= (cur.pdf - prev.pdf) * inv_i * fj.cdf;
    g.sigma_i -= (cur.pdf * cur.a - prev.pdf * prev.a) * inv_i * fj.cdf;
    g.mu_j -= p * fj.pdf * inv_j;
    g.sigma_j -= p * fj.pdf * fj.a * inv_j;
    prev = cur;
  };
  // lo >= lo_i and hi <= hi_j - s: F_j is read inside its window at every step, F_i at every
  // step but hi_i + 1 (the last one, if the sum reaches it).
  const std::int64_t inner = min_of(hi, oi.hi);
  for (std::int64_t d = lo; d <= inner; ++d) step(tab.inside(oi, d), tab.inside(oj, d + s));
  if (hi > oi.hi && hi >= lo) step(tab.at(oi, hi), tab.inside(oj, hi + s));
  const CdfPoint<T> last = lo <= hi ? prev : tab.at(oi, hi);
  g.value += last.ccdf;
  g.mu_i += last.pdf * inv_i;
  g.sigma_i += last.pdf * last.a * inv_i;
  return g;
}

/// communication_distance of core/loss_terms.hpp with F from the table.
template <class T>
EdgeGrad<T> communication_distance_tab(const CdfTable<T>& tab, std::int64_t i, std::int64_t j) {
  const auto& oi = tab.op(i);
  const auto& oj = tab.op(j);
  const T inv_i = oi.inv, inv_j = oj.inv;
  EdgeGrad<T> g;
  std::int64_t d = oi.lo;
  while (d <= oj.hi) {
    if (d > oi.hi && d < oj.lo) {
      g.value += T(oj.lo - d);
      d = oj.lo;
      continue;
    }
    const CdfPoint<T> fi = tab.at(oi, d);
    const CdfPoint<T> fj = tab.at(oj, d);
    g.value += fi.cdf * fj.ccdf;
    g.mu_i -= fi.pdf * inv_i * fj.ccdf;
    g.sigma_i -= fi.pdf * fi.a * inv_i * fj.ccdf;
    g.mu_j += fi.cdf * fj.pdf * inv_j;
    g.sigma_j += fi.cdf * fj.pdf * fj.a * inv_j;
    ++d;
  }
  return g;
}

/// use_sweep of core/loss_steps.hpp with F from the table.
template <class T, class Visit>
void use_sweep_tab(const CdfTable<T>& tab, std::int64_t i, std::int32_t hold,
                   std::int64_t d_begin, std::int64_t d_end, Visit&& visit) {
  if (hold <= 0) return;
  const auto& o = tab.op(i);
  const T inv = o.inv;
  const std::int64_t first = max_of(o.lo, d_begin);
  const std::int64_t last = min_of(o.hi + hold, d_end - 1);
  if (first > last) return;
  CdfPoint<T> prev = tab.at(o, first - 1);
  for (std::int64_t d = first; d <= last; ++d) {
    const CdfPoint<T> cur = tab.at(o, d);
    const CdfPoint<T> low = hold == 1 ? prev : tab.at(o, d - hold);
    const T r = mass_between(low, cur);
    const T r_mu = -(cur.pdf - low.pdf) * inv;
    const T r_sigma = -(cur.pdf * cur.a - low.pdf * low.a) * inv;
    visit(d, r, r_mu, r_sigma);
    prev = cur;
  }
}

/// One memory consumer: its op and the shift of its start in the producer's frame.
struct TabConsumer {
  std::int64_t op;
  std::int64_t shift;
};

/// Where G(d) = prod_q F_q(d - shift_q) is not constant (see consumer_span, core/loss_steps.hpp).
template <class T, class Consumer>
ConsumerSpan consumer_span_tab(const CdfTable<T>& tab, std::int64_t count, Consumer&& consumer) {
  ConsumerSpan span{0, 0, false};
  TabConsumer c;
  for (std::int64_t q = 0; q < count; ++q) {
    if (!consumer(q, c)) continue;
    const auto& oq = tab.op(c.op);
    if (!span.any) {
      span = ConsumerSpan{oq.lo + c.shift, oq.hi + c.shift, true};
    } else {
      span.first = max_of(span.first, oq.lo + c.shift);
      span.last = max_of(span.last, oq.hi + c.shift);
    }
  }
  return span;
}

/// G(d) and 1 - G(d) for d in [from, to] (from >= the span's first step) into g[d - from] and
/// q[d - from], as running products over the consumers: G' = G F, 1 - G' = (1 - G) + (1 - F) G.
/// Every term is nonnegative and 1 - F comes from the upper tail, so both keep full relative
/// precision (no log / exp round trip; an underflowing G only loses what is below the smallest
/// double). Consumers past their window (F = 1) change nothing.
template <class T, class Consumer>
void consumer_product_tab(const CdfTable<T>& tab, std::int64_t count, std::int64_t from,
                          std::int64_t to, Consumer&& consumer, T* g, T* q) {
  for (std::int64_t d = from; d <= to; ++d) {
    g[d - from] = T(1);
    q[d - from] = T(0);
  }
  TabConsumer c;
  for (std::int64_t k = 0; k < count; ++k) {
    if (!consumer(k, c)) continue;
    const auto& o = tab.op(c.op);
    const std::int64_t end = min_of(to, o.hi + c.shift);
    for (std::int64_t d = from; d <= end; ++d) {
      const CdfPoint<T> f = tab.inside(o, d - c.shift);
      T& gd = g[d - from];
      q[d - from] += f.ccdf * gd;
      gd *= f.cdf;
    }
  }
}

/// memory_forward of core/loss_steps.hpp with F from the table; `scratch` holds G and 1 - G.
template <class T, class Consumer, class Emit, class Flat>
void memory_forward_tab(const CdfTable<T>& tab, std::int64_t i, T b, std::int64_t count,
                        std::int64_t d_begin, std::int64_t d_end, Consumer&& consumer,
                        std::vector<T>& scratch, Emit&& emit, Flat&& flat) {
  const ConsumerSpan span = consumer_span_tab(tab, count, consumer);
  if (!span.any || b == T(0)) return;
  const auto& o = tab.op(i);
  const std::int64_t a_last = min_of(min_of(span.first - 1, o.hi), d_end - 1);
  for (std::int64_t d = max_of(o.lo, d_begin); d <= a_last; ++d) emit(d, b * tab.at(o, d).cdf);
  const std::int64_t f_first = max_of(o.hi + 1, d_begin);
  const std::int64_t f_last = min_of(span.first - 1, d_end - 1);
  if (f_first <= f_last) flat(f_first, f_last, b);
  const std::int64_t c_first = max_of(max_of(span.first, o.lo), d_begin);
  const std::int64_t c_last = min_of(span.last, d_end - 1);
  if (c_first > c_last) return;
  const std::int64_t len = c_last - c_first + 1;
  if (static_cast<std::int64_t>(scratch.size()) < 2 * len)
    scratch.resize(static_cast<std::size_t>(2 * len));
  T* g = scratch.data();
  T* q = g + len;
  consumer_product_tab(tab, count, c_first, c_last, consumer, g, q);
  for (std::int64_t d = c_first; d <= c_last; ++d)
    emit(d, b * tab.at(o, d).cdf * q[d - c_first]);
}

/// memory_backward of core/loss_steps.hpp with F from the table. `scratch` holds G, 1 - G and
/// then the consumers' common factor up F_i G per step; each consumer's gradient, summed over
/// the steps in double, goes to accumulate(q, mu, sigma) once.
template <class T, class Consumer, class Upstream, class Accumulate>
OpGrad<T> memory_backward_tab(const CdfTable<T>& tab, std::int64_t i, T b, std::int64_t count,
                              std::int64_t d_begin, std::int64_t d_end, Consumer&& consumer,
                              std::vector<T>& scratch, Upstream&& upstream,
                              Accumulate&& accumulate) {
  OpGrad<T> g;
  const ConsumerSpan span = consumer_span_tab(tab, count, consumer);
  if (!span.any || b == T(0)) return g;
  const auto& o = tab.op(i);
  const T inv = o.inv;
  const std::int64_t a_last = min_of(min_of(span.first - 1, o.hi), d_end - 1);
  for (std::int64_t d = max_of(o.lo, d_begin); d <= a_last; ++d) {
    const T up = upstream(d) * b;
    const CdfPoint<T> fi = tab.at(o, d);
    g.mu -= up * fi.pdf * inv;
    g.sigma -= up * fi.pdf * fi.a * inv;
  }
  const std::int64_t c_first = max_of(max_of(span.first, o.lo), d_begin);
  const std::int64_t c_last = min_of(span.last, d_end - 1);
  if (c_first > c_last) return g;
  const std::int64_t len = c_last - c_first + 1;
  if (static_cast<std::int64_t>(scratch.size()) < 2 * len)
    scratch.resize(static_cast<std::size_t>(2 * len));
  T* coef = scratch.data();  // G, then up F_i G
  T* one_minus = coef + len;
  consumer_product_tab(tab, count, c_first, c_last, consumer, coef, one_minus);
  bool any_coef = false;
  for (std::int64_t d = c_first; d <= c_last; ++d) {
    T& x = coef[d - c_first];
    const T up = upstream(d) * b;
    if (up == T(0)) {
      x = T(0);
      continue;
    }
    const T om = one_minus[d - c_first];
    const CdfPoint<T> fi = tab.at(o, d);
    g.mu -= up * om * fi.pdf * inv;
    g.sigma -= up * om * fi.pdf * fi.a * inv;
    x = up * fi.cdf * x;  // 0 = no consumer gradient at d
    any_coef = any_coef || x != T(0);
  }
  if (!any_coef) return g;
  TabConsumer c;
  for (std::int64_t k = 0; k < count; ++k) {
    if (!consumer(k, c)) continue;
    const auto& oq = tab.op(c.op);
    const T inv_q = oq.inv;
    const std::int64_t end = min_of(c_last, oq.hi + c.shift);
    double s_mu = 0.0, s_sigma = 0.0;  // in registers, not through the caller's array
    for (std::int64_t d = c_first; d <= end; ++d) {
      const T cf = coef[d - c_first];
      if (cf == T(0)) continue;
      const std::int64_t x = d - c.shift;
      const T a = ((T(x) - oq.mu) + T(0.5)) * inv_q;
      const T h = tab.mills_at(oq, x);
      s_mu += static_cast<double>(cf * h * inv_q);
      s_sigma += static_cast<double>(cf * h * a * inv_q);
    }
    accumulate(k, s_mu, s_sigma);
  }
  return g;
}

}  // namespace gaus
