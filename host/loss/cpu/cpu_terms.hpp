// The windowed loss terms of core/loss_terms.hpp and core/loss_steps.hpp for the CPU backend,
// reading every F(d) from the per-evaluation CdfTable (host/loss/cpu/cdf_table.hpp) instead of
// recomputing it. The terms are the core functions' sums (which the CUDA kernels keep using),
// regrouped for speed and equal to rounding (tests/cpu/loss/test_loss_table.cpp): the precedence sum
// applies 1/sigma once at the end, the memory terms form the consumer product G and 1 - G as
// running products (vectorized) instead of in the log domain, once per evaluation: the forward
// pass leaves them for the backward pass (MemSpan ranges). The core functions cannot be called
// here instead: they evaluate erfc per step, and core/ may only grow additively this session.
// See them for the derivations.
#pragma once

#include <cstdint>
#include <vector>

#include "core/loss_steps.hpp"
#include "core/loss_terms.hpp"
#include "host/loss/cpu/cdf_table.hpp"
#include "host/loss/cpu/cpu_use_sweep.hpp"

namespace gaus {

/// horizon_violation of core/loss_terms.hpp with Phi and phi from fast_cdf_point.
template <class T>
OpGrad<T> horizon_violation_fast(T mu, T sigma, std::int64_t last_start,
                                 const FastErfcx& erfcx) {
  const T inv = T(1) / sigma;
  const CdfPoint<T> below = fast_cdf_point<T>((T(-0.5) - mu) * inv, erfcx);
  const CdfPoint<T> above = fast_cdf_point<T>(((T(last_start) - mu) + T(0.5)) * inv, erfcx);
  OpGrad<T> g;
  g.value = below.cdf + above.ccdf;
  g.mu = (above.pdf - below.pdf) * inv;
  g.sigma = (above.pdf * above.a - below.pdf * below.a) * inv;
  return g;
}

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
  // Sums without the 1/sigma factors (applied once at the end) and with phi(a) a carried from
  // the previous step: the same terms as the core function, about a third fewer operations.
  T value = T(0), s_mu_i = T(0), s_sigma_i = T(0), s_mu_j = T(0), s_sigma_j = T(0);
  CdfPoint<T> prev = tab.at(oi, lo - 1);
  T prev_apdf = prev.pdf * prev.a;
  const auto step = [&](const CdfPoint<T>& cur, const CdfPoint<T>& fj) {
    const T p = mass_between(prev, cur);
    const T cur_apdf = cur.pdf * cur.a;
    const T pj = p * fj.pdf;
    value += p * fj.cdf;
    s_mu_i += (cur.pdf - prev.pdf) * fj.cdf;
    s_sigma_i += (cur_apdf - prev_apdf) * fj.cdf;
    s_mu_j += pj;
    s_sigma_j += pj * fj.a;
    prev = cur;
    prev_apdf = cur_apdf;
  };
  // lo >= lo_i and hi <= hi_j - s: F_j is read inside its window at every step, F_i at every
  // step but hi_i + 1 (the last one, if the sum reaches it).
  const std::int64_t inner = min_of(hi, oi.hi);
  typename CdfTable<T>::Row ri, rj;
  if (lo < inner && s > -(std::int64_t(1) << 30) && s < (std::int64_t(1) << 30) &&
      tab.row_view(oi, ri) && tab.row_view(oj, rj)) {
    // The first step (whose predecessor may lie below the window) as above, then the steps
    // whose predecessor is inside too, branch-free with vector partial sums: the same terms,
    // summed in another order.
    step(tab.inside(oi, lo), tab.inside(oj, lo + s));
    const auto s32 = static_cast<std::int32_t>(s);
    T v = T(0), mi = T(0), si = T(0), mj = T(0), sj = T(0);
    const T* ti = ri.tail;
    const T* pi = ri.pdf;
    const T* tj = rj.tail + s32;  // entries of step d + s at [d]
    const T* pdj = rj.pdf + s32;
    const T mu_i = ri.mu, h_i = ri.inv, mu_j = rj.mu, h_j = rj.inv;
    const std::int32_t sp_i = ri.split, sp_j = rj.split - s32;
    const auto d0 = static_cast<std::int32_t>(lo + 1), d1 = static_cast<std::int32_t>(inner);
#pragma omp simd reduction(+ : v, mi, si, mj, sj)
    for (std::int32_t d = d0; d <= d1; ++d) {
      // pv, cur: F_i at d - 1 and d; F_j at d + s (Tab::point, spelled out for the vectorizer)
      // (Both sides computed, then selected: a conditional subtraction would not be if-converted
      // under -ftrapping-math.)
      const T t0 = ti[d - 1], t1 = ti[d], tq = tj[d];
      const T u0 = T(1) - t0, u1 = T(1) - t1, uq = T(1) - tq;
      const bool n0 = d - 1 < sp_i, n1 = d < sp_i;
      const T pv_cdf = n0 ? t0 : u0, pv_ccdf = n0 ? u0 : t0;
      const T cur_cdf = n1 ? t1 : u1, cur_ccdf = n1 ? u1 : t1;
      const T fj_cdf = d < sp_j ? tq : uq;
      const T pv_a = ((T(d - 1) - mu_i) + T(0.5)) * h_i, cur_a = ((T(d) - mu_i) + T(0.5)) * h_i;
      const T fj_a = ((T(d + s32) - mu_j) + T(0.5)) * h_j;
      const T pv_pdf = pi[d - 1], cur_pdf = pi[d], fj_pdf = pdj[d];
      const T up_mass = pv_ccdf - cur_ccdf, low_mass = cur_cdf - pv_cdf;
      const T p = pv_cdf > T(0.5) ? up_mass : low_mass;  // mass_between
      const T pj = p * fj_pdf;
      v += p * fj_cdf;
      mi += (cur_pdf - pv_pdf) * fj_cdf;
      si += (cur_pdf * cur_a - pv_pdf * pv_a) * fj_cdf;
      mj += pj;
      sj += pj * fj_a;
    }
    value += v;
    s_mu_i += mi;
    s_sigma_i += si;
    s_mu_j += mj;
    s_sigma_j += sj;
    prev = tab.inside(oi, inner);
    prev_apdf = prev.pdf * prev.a;
  } else {
    for (std::int64_t d = lo; d <= inner; ++d) step(tab.inside(oi, d), tab.inside(oj, d + s));
  }
  if (hi > oi.hi && hi >= lo) step(tab.at(oi, hi), tab.inside(oj, hi + s));
  const CdfPoint<T> last = lo <= hi ? prev : tab.at(oi, hi);
  EdgeGrad<T> g;
  g.value = value + last.ccdf;
  g.mu_i = (last.pdf - s_mu_i) * inv_i;
  g.sigma_i = (last.pdf * last.a - s_sigma_i) * inv_i;
  g.mu_j = -s_mu_j * inv_j;
  g.sigma_j = -s_sigma_j * inv_j;
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
    if (o.off < 0) {
      for (std::int64_t d = from; d <= end; ++d) {
        const CdfPoint<T> f = tab.inside(o, d - c.shift);
        T& gd = g[d - from];
        q[d - from] += f.ccdf * gd;
        gd *= f.cdf;
      }
      continue;
    }
    // Below the op's split the tail is Phi, from it on 1 - Phi: two branch-free loops that
    // vectorize.
    const T* tail = tab.row(o) - (o.lo + c.shift);  // tail[d] = entry of step d - shift
    const std::int64_t mid = min_of(end, o.split + c.shift - 1);
#pragma omp simd
    for (std::int64_t d = from; d <= mid; ++d) {
      q[d - from] += (T(1) - tail[d]) * g[d - from];
      g[d - from] *= tail[d];
    }
#pragma omp simd
    for (std::int64_t d = max_of(from, mid + 1); d <= end; ++d) {
      q[d - from] += tail[d] * g[d - from];
      g[d - from] *= T(1) - tail[d];
    }
  }
}

/// The step ranges of a producer's live memory within [d_begin, d_end) (see memory_forward of
/// core/loss_steps.hpp): its own window before the consumers start [a_first, a_last], the flat
/// run past its window [f_first, f_last], and the steps where G varies [c_first, c_last].
/// `any` false: nothing to do (a sink or b = 0).
struct MemSpan {
  std::int64_t a_first = 0, a_last = -1, f_first = 0, f_last = -1, c_first = 0, c_last = -1;
  bool any = false;
  [[nodiscard]] std::int64_t len() const { return c_last >= c_first ? c_last - c_first + 1 : 0; }
};

template <class T, class Consumer>
MemSpan memory_span_tab(const CdfTable<T>& tab, std::int64_t i, T b, std::int64_t count,
                        std::int64_t d_begin, std::int64_t d_end, Consumer&& consumer) {
  MemSpan m;
  const ConsumerSpan span = consumer_span_tab(tab, count, consumer);
  if (!span.any || b == T(0)) return m;
  const auto& o = tab.op(i);
  m.any = true;
  m.a_first = max_of(o.lo, d_begin);
  m.a_last = min_of(min_of(span.first - 1, o.hi), d_end - 1);
  m.f_first = max_of(o.hi + 1, d_begin);
  m.f_last = min_of(span.first - 1, d_end - 1);
  m.c_first = max_of(max_of(span.first, o.lo), d_begin);
  m.c_last = min_of(span.last, d_end - 1);
  return m;
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
    const T ch = c[x] * (pdf[x] / cdf);
    a_mu += static_cast<double>(ch);
    a_sigma += static_cast<double>(ch * a);
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
    const T up = upstream(d) * b;
    const CdfPoint<T> fi = tab.at(o, d);
    grad.mu -= up * fi.pdf * inv;
    grad.sigma -= up * fi.pdf * fi.a * inv;
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
    const T om = q[d - m.c_first];
    const CdfPoint<T> fi = tab.at(o, d);
    grad.mu -= up * om * fi.pdf * inv;
    grad.sigma -= up * om * fi.pdf * fi.a * inv;
    x = up * fi.cdf * x;  // 0 = no consumer gradient at d
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
      const T ch = cf * tab.mills_at(oq, x);
      s_mu += static_cast<double>(ch);
      s_sigma += static_cast<double>(ch * a);
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
