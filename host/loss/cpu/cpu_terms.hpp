// The CPU backend's loops around the windowed terms of core/loss_terms.hpp and
// core/loss_steps.hpp, F read from the per-evaluation CdfTable (host/loss/cpu/cdf_table.hpp, a
// CDF source of core/cdf_source.hpp). Precedence is core's precedence_violation with a bulk step
// that runs its inner steps in vector lanes over the table rows (core's precedence_terms per
// step). The memory terms run core's per-step pieces (memory_ranges, consumer_product_step,
// producer_grad_terms, consumer_grad_terms) consumer by consumer over whole rows (vectorized),
// once per evaluation: the forward pass leaves G and 1 - G for the backward pass (MemSpan
// ranges), and each consumer's gradient is summed over its steps in double before its 1/sigma;
// core's memory_forward / memory_backward run the same pieces step by step and agree to
// rounding (tests/cpu/loss/test_loss_table.cpp). See core for the derivations.
#pragma once

#include <cstdint>
#include <vector>

#include "core/loss_steps.hpp"
#include "core/loss_terms.hpp"
#include "host/loss/cpu/cdf_table.hpp"
#include "host/loss/cpu/cpu_use_sweep.hpp"

namespace gaus {

/// precedence_violation's bulk step (core/loss_terms.hpp) over two tabulated rows: the steps
/// whose F_i(d - 1), F_i(d) and F_j(d + s) are all inside their windows, branch-free with vector
/// partial sums (the same terms as the per-step loop, summed in another order). Declines (false)
/// where a row is not tabulated or a step would not fit in 32 bits.
template <class T>
struct RowPrecedenceRun {
  const CdfTable<T>& tab;
  const typename CdfTable<T>::OpInfo& oi;
  const typename CdfTable<T>::OpInfo& oj;

  bool operator()(std::int64_t first, std::int64_t last, std::int64_t s,
                  PrecedenceSums<T>& part) const {
    using Tab = CdfTable<T>;
    typename Tab::Row ri, rj;
    if (!(s > -(std::int64_t(1) << 30) && s < (std::int64_t(1) << 30) && tab.row_view(oi, ri) &&
          tab.row_view(oj, rj)))
      return false;
    const auto s32 = static_cast<std::int32_t>(s);
    T v = T(0), mi = T(0), si = T(0), mj = T(0), sj = T(0);
    // F(d) spelled out from the rows' fields (Tab::point's values) rather than read through
    // point(): GCC's loop splitting (-O3) cuts this loop in two at a comparison with a split
    // point, and each part is vectorized with its own partial sums. Spelled out, GCC 12 cuts at
    // F_i(d - 1)'s split; through point(), at F_j's, which sums the steps in other lanes
    // (results differing in the last bits).
    const T* ti = ri.tail;
    const T* pi = ri.pdf;
    const T* tj = rj.tail + s32;  // entries of step d + s at [d]
    const T* pdj = rj.pdf + s32;
    const T mu_i = ri.mu, h_i = ri.inv, mu_j = rj.mu, h_j = rj.inv;
    const std::int32_t sp_i = ri.split, sp_j = rj.split - s32;
    const auto d0 = static_cast<std::int32_t>(first), d1 = static_cast<std::int32_t>(last);
#pragma omp simd reduction(+ : v, mi, si, mj, sj)
    for (std::int32_t d = d0; d <= d1; ++d) {
      const T t0 = ti[d - 1], t1 = ti[d], tq = tj[d];
      const T u0 = T(1) - t0, u1 = T(1) - t1, uq = T(1) - tq;
      const bool n0 = d - 1 < sp_i, n1 = d < sp_i, nq = d < sp_j;
      const CdfPoint<T> pv{((T(d - 1) - mu_i) + T(0.5)) * h_i, n0 ? t0 : u0, n0 ? u0 : t0,
                           pi[d - 1]};
      const CdfPoint<T> cur{((T(d) - mu_i) + T(0.5)) * h_i, n1 ? t1 : u1, n1 ? u1 : t1, pi[d]};
      const CdfPoint<T> fj{((T(d + s32) - mu_j) + T(0.5)) * h_j, nq ? tq : uq, nq ? uq : tq,
                           pdj[d]};
      T cur_apdf;
      const PrecedenceSums<T> t = precedence_terms(pv, FormedApdf{}, cur, fj, cur_apdf);
      v += t.value;
      mi += t.mu_i;
      si += t.sigma_i;
      mj += t.mu_j;
      sj += t.sigma_j;
    }
    part.value = v;
    part.mu_i = mi;
    part.sigma_i = si;
    part.mu_j = mj;
    part.sigma_j = sj;
    return true;
  }
};

/// precedence_violation of core/loss_terms.hpp with F from the table, its inner steps in vector
/// lanes where both rows are tabulated.
template <class T>
EdgeGrad<T> precedence_violation_tab(const CdfTable<T>& tab, std::int64_t i, std::int64_t j,
                                     std::int64_t lambda) {
  return precedence_violation<T>(tab.source(i), tab.source(j), lambda,
                                 RowPrecedenceRun<T>{tab, tab.op(i), tab.op(j)});
}

/// One memory consumer: its op and the shift of its start in the producer's frame.
struct TabConsumer {
  std::int64_t op;
  std::int64_t shift;
};

/// The span of op i's consumers from their table windows (consumer_span_of, core/loss_steps.hpp).
template <class T, class Consumer>
ConsumerSpan consumer_span_tab(const CdfTable<T>& tab, std::int64_t count, Consumer&& consumer) {
  TabConsumer c;
  return consumer_span_of(count, [&](std::int64_t q, Window& w, std::int64_t& shift) {
    if (!consumer(q, c)) return false;
    const auto& oq = tab.op(c.op);
    w = Window{oq.lo, oq.hi};
    shift = c.shift;
    return true;
  });
}

/// G(d) and 1 - G(d) for d in [from, to] (from >= the span's first step) into g[d - from] and
/// q[d - from]: core's consumer_product_step, consumer by consumer over the steps (each step sees
/// the consumers in the same order as core's consumer_product). Consumers past their window
/// (F = 1) change nothing.
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
    if (o.off < 0) {
      for (std::int64_t d = from; d <= end; ++d) {
        const CdfPoint<T> f = tab.inside(o, d - c.shift);
        consumer_product_step(g[d - from], q[d - from], f.cdf, f.ccdf);
      }
      continue;
    }
    // Below the op's split the tail is Phi, from it on 1 - Phi: two branch-free loops that
    // vectorize.
    const T* tail = tab.row(o) - (o.lo + c.shift);  // tail[d] = entry of step d - shift
    const std::int64_t mid = min_of(end, o.split + c.shift - 1);
#pragma omp simd
    for (std::int64_t d = from; d <= mid; ++d)
      consumer_product_step(g[d - from], q[d - from], tail[d], T(1) - tail[d]);
#pragma omp simd
    for (std::int64_t d = max_of(from, mid + 1); d <= end; ++d)
      consumer_product_step(g[d - from], q[d - from], T(1) - tail[d], tail[d]);
  }
}

/// memory_ranges of core/loss_steps.hpp for producer i, windows from the table.
template <class T, class Consumer>
MemSpan memory_span_tab(const CdfTable<T>& tab, std::int64_t i, T b, std::int64_t count,
                        std::int64_t d_begin, std::int64_t d_end, Consumer&& consumer) {
  const auto& o = tab.op(i);
  return memory_ranges(o.lo, o.hi, consumer_span_tab(tab, count, consumer), b != T(0), d_begin,
                       d_end);
}

/// memory_forward of core/loss_steps.hpp with F from the table, over the ranges of `m`; G and
/// 1 - G are left in g[0, m.len()) and q[0, m.len()) for the backward pass.
template <class T, class Consumer, class Emit, class Flat>
void memory_forward_span(const CdfTable<T>& tab, std::int64_t i, T b, const MemSpan& m,
                         std::int64_t count, Consumer&& consumer, T* g, T* q, Emit&& emit,
                         Flat&& flat) {
  if (!m.any) return;
  const auto& o = tab.op(i);
  for (std::int64_t d = m.a_first; d <= m.a_last; ++d) emit(d, b * tab.at(o, d).cdf);
  if (m.f_first <= m.f_last) flat(m.f_first, m.f_last, b);
  if (m.c_first > m.c_last) return;
  consumer_product_tab(tab, count, m.c_first, m.c_last, consumer, g, q);
  for (std::int64_t d = m.c_first; d <= m.c_last; ++d)
    emit(d, b * tab.at(o, d).cdf * q[d - m.c_first]);
}

/// One consumer's sums of memory_backward_span over its steps x0..x1 (cf[x - x0] its common
/// factor, the consumer's window containing [x0, x1]): sum cf phi/Phi and sum cf (phi/Phi) a,
/// branch-free in vector lanes with Phi/phi from the row (mills_at's direct case; a zero cf adds
/// zero). False, leaving the sums alone, where the row is not tabulated or some Phi is below
/// mills_at's direct range (the caller then takes the per-step path).
template <class T>
bool consumer_grad_rows(const CdfTable<T>& tab, const typename CdfTable<T>::OpInfo& oq,
                        std::int64_t x0, std::int64_t x1, const T* cf, double& s_mu,
                        double& s_sigma) {
  using Tab = CdfTable<T>;
  typename Tab::Row row;
  if (x0 > x1 || !tab.row_view(oq, row)) return x0 > x1;
  const T* c = cf - x0;
  const T* tail = row.tail;
  const T* pdf = row.pdf;
  const T mu = row.mu, inv = row.inv;
  const std::int32_t split = row.split;
  double a_mu = 0.0, a_sigma = 0.0;
  T lowest = T(1);  // the smallest Phi (a reduction of the loop's own type, so it vectorizes)
#pragma omp simd reduction(+ : a_mu, a_sigma) reduction(min : lowest)
  for (auto x = static_cast<std::int32_t>(x0); x <= static_cast<std::int32_t>(x1); ++x) {
    const T a = ((T(x) - mu) + T(0.5)) * inv;
    const T t = tail[x], u = T(1) - t;
    const T cdf = x < split ? t : u;
    lowest = cdf < lowest ? cdf : lowest;
    const ConsumerTerms<T> ct = consumer_grad_terms(c[x], pdf[x] / cdf, a);
    a_mu += static_cast<double>(ct.mu);
    a_sigma += static_cast<double>(ct.sigma);
  }
  if (!(lowest > Tab::kMillsDirectMin)) return false;
  s_mu = a_mu;
  s_sigma = a_sigma;
  return true;
}

/// memory_backward of core/loss_steps.hpp with F from the table, given the G (in g, overwritten
/// with the consumers' common factor up F_i G per step) and 1 - G (in q) of memory_forward_span.
/// Each consumer's gradient, summed over the steps in double, goes to accumulate(q, mu, sigma)
/// once.
template <class T, class Consumer, class Upstream, class Accumulate>
OpGrad<T> memory_backward_span(const CdfTable<T>& tab, std::int64_t i, T b, const MemSpan& m,
                               std::int64_t count, Consumer&& consumer, T* g, const T* q,
                               Upstream&& upstream, Accumulate&& accumulate) {
  OpGrad<T> grad;
  if (!m.any) return grad;
  const auto& o = tab.op(i);
  const T inv = o.inv;
  for (std::int64_t d = m.a_first; d <= m.a_last; ++d) {
    const OpGrad<T> t = producer_grad_terms(upstream(d) * b, tab.at(o, d), inv);
    grad.mu -= t.mu;
    grad.sigma -= t.sigma;
  }
  if (m.c_first > m.c_last) return grad;
  bool any_coef = false;
  for (std::int64_t d = m.c_first; d <= m.c_last; ++d) {
    T& x = g[d - m.c_first];
    const T up = upstream(d) * b;
    if (up == T(0)) {
      x = T(0);
      continue;
    }
    const CdfPoint<T> fi = tab.at(o, d);
    const OpGrad<T> t = producer_grad_terms(up * q[d - m.c_first], fi, inv);
    grad.mu -= t.mu;
    grad.sigma -= t.sigma;
    x = up * fi.cdf * x;  // coef = up F_i G; 0 = no consumer gradient at d
    any_coef = any_coef || x != T(0);
  }
  if (!any_coef) return grad;
  TabConsumer c;
  for (std::int64_t k = 0; k < count; ++k) {
    if (!consumer(k, c)) continue;
    const auto& oq = tab.op(c.op);
    const T inv_q = oq.inv;
    const std::int64_t end = min_of(m.c_last, oq.hi + c.shift);
    double s_mu = 0.0, s_sigma = 0.0;  // in registers, not through the caller's array
    if (consumer_grad_rows(tab, oq, m.c_first - c.shift, end - c.shift, g, s_mu, s_sigma)) {
      accumulate(k, s_mu * static_cast<double>(inv_q), s_sigma * static_cast<double>(inv_q));
      continue;
    }
    for (std::int64_t d = m.c_first; d <= end; ++d) {
      const T cf = g[d - m.c_first];
      if (cf == T(0)) continue;
      const std::int64_t x = d - c.shift;
      const T a = ((T(x) - oq.mu) + T(0.5)) * inv_q;
      const ConsumerTerms<T> t = consumer_grad_terms(cf, tab.mills_at(oq, x), a);
      s_mu += static_cast<double>(t.mu);
      s_sigma += static_cast<double>(t.sigma);
    }
    accumulate(k, s_mu * static_cast<double>(inv_q), s_sigma * static_cast<double>(inv_q));
  }
  return grad;
}

/// memory_forward of core/loss_steps.hpp with F from the table; `scratch` holds G and 1 - G.
template <class T, class Consumer, class Emit, class Flat>
void memory_forward_tab(const CdfTable<T>& tab, std::int64_t i, T b, std::int64_t count,
                        std::int64_t d_begin, std::int64_t d_end, Consumer&& consumer,
                        std::vector<T>& scratch, Emit&& emit, Flat&& flat) {
  const MemSpan m = memory_span_tab(tab, i, b, count, d_begin, d_end, consumer);
  if (static_cast<std::int64_t>(scratch.size()) < 2 * m.len())
    scratch.resize(static_cast<std::size_t>(2 * m.len()));
  memory_forward_span(tab, i, b, m, count, consumer, scratch.data(), scratch.data() + m.len(),
                      emit, flat);
}

/// memory_backward of core/loss_steps.hpp with F from the table (G and 1 - G recomputed into
/// `scratch`).
template <class T, class Consumer, class Upstream, class Accumulate>
OpGrad<T> memory_backward_tab(const CdfTable<T>& tab, std::int64_t i, T b, std::int64_t count,
                              std::int64_t d_begin, std::int64_t d_end, Consumer&& consumer,
                              std::vector<T>& scratch, Upstream&& upstream,
                              Accumulate&& accumulate) {
  const MemSpan m = memory_span_tab(tab, i, b, count, d_begin, d_end, consumer);
  const std::int64_t len = m.len();
  if (static_cast<std::int64_t>(scratch.size()) < 2 * len)
    scratch.resize(static_cast<std::size_t>(2 * len));
  T* g = scratch.data();
  if (len > 0) consumer_product_tab(tab, count, m.c_first, m.c_last, consumer, g, g + len);
  return memory_backward_span(tab, i, b, m, count, consumer, g, g + len, upstream, accumulate);
}

}  // namespace gaus
