// The per-edge and per-op loss terms of docs/design.md section 3, forward and backward side by
// side: dependency / recurrence (precedence violation probability, windowed sum or closed form),
// communication and horizon. Each returns its value and the derivatives w.r.t. the mu and sigma
// of the ops involved. The per-step terms (expected use, peak use, live memory) are in
// core/loss_steps.hpp; penalties and soft maxima in core/penalties.hpp and core/soft_max.hpp.
//
// Windowed sums run over the truncated distributions of core/gaussian.hpp (F exactly 0 below an
// op's window, 1 above), so value and gradient are exact for the function actually evaluated
// (finite differences agree) and within Phi(-K) of the untruncated definition. They are
// templates over CDF sources (core/cdf_source.hpp): the CPU backend reads F from its per-
// evaluation table, the kernels compute it, and both run the arithmetic written here. That
// arithmetic is the CPU backend's fast form (1/sigma applied once at the end, phi(a) a carried
// from one step to the next), so the CPU's results are these functions' to the bit; the horizon
// term takes its normal point function likewise (exact erfc, or the CPU's fast tails).
#pragma once

#include <cstdint>

#include "core/cdf_source.hpp"
#include "core/gaussian.hpp"

namespace gaus {

/// Value of an edge term and its derivatives w.r.t. source (i) and destination (j) parameters.
template <class T>
struct EdgeGrad {
  T value = T(0);
  T mu_i = T(0), sigma_i = T(0), mu_j = T(0), sigma_j = T(0);
};

/// Value of an op term and its derivatives w.r.t. the op's parameters.
template <class T>
struct OpGrad {
  T value = T(0);
  T mu = T(0), sigma = T(0);
};

/// The sums of precedence_violation before their 1/sigma factors (applied once at the end):
///   value   = sum_d P_i(d) F_j(d + s)
///   mu_i    = sum_d (phi(a_d) - phi(a_{d-1})) F_j(d + s)
///   sigma_i = sum_d (phi(a_d) a_d - phi(a_{d-1}) a_{d-1}) F_j(d + s)
///   mu_j    = sum_d P_i(d) phi(b_{d+s})
///   sigma_j = sum_d P_i(d) phi(b_{d+s}) b_{d+s}
template <class T>
struct PrecedenceSums {
  T value = T(0), mu_i = T(0), sigma_i = T(0), mu_j = T(0), sigma_j = T(0);
  GAUS_HD PrecedenceSums& operator+=(const PrecedenceSums& o) {
    value += o.value;
    mu_i += o.mu_i;
    sigma_i += o.sigma_i;
    mu_j += o.mu_j;
    sigma_j += o.sigma_j;
    return *this;
  }
};

/// phi(a) a of F_i(d - 1) for precedence_terms: carried from the previous step (a sweep), or
/// formed from the point (a loop whose steps are independent, e.g. vector lanes).
template <class T>
struct CarriedApdf {
  T value;
  GAUS_HD T operator()(const CdfPoint<T>&) const { return value; }
};
struct FormedApdf {
  template <class T>
  GAUS_HD T operator()(const CdfPoint<T>& f) const {
    return f.pdf * f.a;
  }
};

/// Step d's terms of PrecedenceSums from F_i(d - 1) (`prev`, its phi(a) a from `prev_apdf`, a
/// CarriedApdf or FormedApdf), F_i(d) (`cur`) and F_j(d + s) (`fj`); phi(a_d) a_d goes to
/// `cur_apdf`, which a sweep carries to the next step instead of forming it twice.
/// The statement order is part of the contract, for results to the bit where a * b + c is
/// contracted into an FMA (the CPU's x86-64-v3 clones): phi(a_d) a_d is formed after P_i(d)
/// (a select, a branch in scalar code) and before phi(a_{d-1}) a_{d-1}, next to their
/// subtraction, so the product that fuses is phi(a_d) a_d's in every caller.
template <class T, class PrevApdf>
GAUS_HD GAUS_FORCEINLINE PrecedenceSums<T> precedence_terms(const CdfPoint<T>& prev,
                                                            PrevApdf prev_apdf,
                                                            const CdfPoint<T>& cur,
                                                            const CdfPoint<T>& fj, T& cur_apdf) {
  const T p = mass_between(prev, cur);  // P_i(d)
  cur_apdf = cur.pdf * cur.a;
  const T pj = p * fj.pdf;
  PrecedenceSums<T> t;
  t.value = p * fj.cdf;
  // sigma_i dP_i(d)/dmu_i = -(phi(a_d) - phi(a_{d-1}))
  t.mu_i = (cur.pdf - prev.pdf) * fj.cdf;
  // sigma_i dP_i(d)/dsigma_i = -(phi(a_d) a_d - phi(a_{d-1}) a_{d-1})
  t.sigma_i = (cur_apdf - prev_apdf(prev)) * fj.cdf;
  // sigma_j dF_j(x)/dmu_j = -phi(b_x)
  t.mu_j = pj;
  // sigma_j dF_j(x)/dsigma_j = -phi(b_x) b_x
  t.sigma_j = pj * fj.a;
  return t;
}

/// precedence_violation's optional bulk step: run(d0, d1, s, part) may add the terms of steps
/// d0..d1 (both F_i and F_j read inside their windows, F_i(d0 - 1) too) to `part` and return
/// true, or return false to leave them to the per-step loop. NoRun never takes them.
struct NoRun {
  template <class T>
  GAUS_HD bool operator()(std::int64_t, std::int64_t, std::int64_t, PrecedenceSums<T>&) const {
    return false;
  }
};

/// Precedence violation of e = (i -> j) with effective delay `lambda` (lambda_e for dependency,
/// lambda_e - delta_e * II for recurrence), F_i and F_j from CDF sources (core/cdf_source.hpp):
///   V = P(s_j < s_i + lambda) = sum_d P_i(d) F_j(d + lambda - 1).
/// With s = lambda - 1 the sum runs over d in [lo, hi], lo = max(lo_i, lo_j - s),
/// hi = min(hi_i + 1, hi_j - s): below lo a factor is 0, above hi F_j = 1 or P_i = 0, so the
/// rest is exactly sum_{d > hi} P_i(d) = 1 - F_i(hi). Cost O(min of the two windows).
/// The sums are PrecedenceSums (1/sigma once at the end, phi a carried between steps); `run`
/// may take the steps after the first whose F_i and F_j are both inside (see NoRun).
template <class T, class SrcI, class SrcJ, class Run = NoRun>
GAUS_HD EdgeGrad<T> precedence_violation(const SrcI& fi, const SrcJ& fj, std::int64_t lambda,
                                         Run&& run = Run{}) {
  const std::int64_t s = lambda - 1;
  const std::int64_t lo = max_of(fi.lo(), fj.lo() - s);
  const std::int64_t hi = min_of(fi.hi() + 1, fj.hi() - s);
  PrecedenceSums<T> acc;
  CdfPoint<T> prev = fi.at(lo - 1);  // F_i(d - 1)
  T prev_apdf = prev.pdf * prev.a;
  const auto step = [&](const CdfPoint<T>& cur, const CdfPoint<T>& fx) {
    T cur_apdf;
    acc += precedence_terms(prev, CarriedApdf<T>{prev_apdf}, cur, fx, cur_apdf);
    prev = cur;
    prev_apdf = cur_apdf;
  };
  // lo >= lo_i and hi <= hi_j - s: F_j is read inside its window at every step, F_i at every
  // step but hi_i + 1 (the last one, if the sum reaches it).
  const std::int64_t inner = min_of(hi, fi.hi());
  // The bulk path is its own copy of the first step (decided before it, added after it, so the
  // sums keep their order): there the step's phi(a) a is not carried, and where FMA contraction
  // applies its product fuses into the subtraction, as in the per-step loop's own copy it cannot.
  std::int64_t d = lo;
  PrecedenceSums<T> part;
  if (lo < inner && run(lo + 1, inner, s, part)) {
    step(fi.inside(lo), fj.inside(lo + s));
    acc += part;
    prev = fi.inside(inner);
    prev_apdf = prev.pdf * prev.a;
    d = inner + 1;
  }
  for (; d <= inner; ++d) step(fi.inside(d), fj.inside(d + s));
  if (hi > fi.hi() && hi >= lo) step(fi.at(hi), fj.inside(hi + s));
  const CdfPoint<T> last = lo <= hi ? prev : fi.at(hi);  // F_i(hi)
  const T inv_i = fi.inv(), inv_j = fj.inv();
  EdgeGrad<T> g;
  g.value = acc.value + last.ccdf;
  // dV/dmu_i = (phi(a_hi) - sum_d (phi(a_d) - phi(a_{d-1})) F_j) / sigma_i, the first term
  // from d(1 - F_i(hi))/dmu_i
  g.mu_i = (last.pdf - acc.mu_i) * inv_i;
  // dV/dsigma_i = (phi(a_hi) a_hi - sum_d (phi(a_d) a_d - phi(a_{d-1}) a_{d-1}) F_j) / sigma_i
  g.sigma_i = (last.pdf * last.a - acc.sigma_i) * inv_i;
  // dV/dmu_j = -sum_d P_i(d) phi(b) / sigma_j
  g.mu_j = -acc.mu_j * inv_j;
  // dV/dsigma_j = -sum_d P_i(d) phi(b) b / sigma_j
  g.sigma_j = -acc.sigma_j * inv_j;
  return g;
}

/// precedence_violation with F computed on access (ComputedCdf, window factor k).
template <class T>
GAUS_HD EdgeGrad<T> precedence_violation(T mu_i, T sigma_i, T mu_j, T sigma_j,
                                         std::int64_t lambda, T k) {
  return precedence_violation<T>(ComputedCdf<T>(mu_i, sigma_i, k), ComputedCdf<T>(mu_j, sigma_j, k),
                                 lambda);
}

/// Closed-form precedence violation (the option of docs/design.md section 3.1): s_j - s_i
/// approximated by N(mu_j - mu_i, sigma_i^2 + sigma_j^2) with a continuity correction,
///   V = Phi(z),  z = (lambda - 1/2 - mu_j + mu_i) / S,  S = sqrt(sigma_i^2 + sigma_j^2).
template <class T>
GAUS_HD EdgeGrad<T> precedence_violation_closed(T mu_i, T sigma_i, T mu_j, T sigma_j,
                                                std::int64_t lambda) {
  const T s2 = sigma_i * sigma_i + sigma_j * sigma_j;
  const T inv_s = T(1) / gm::sqrt(s2);
  const T z = ((T(lambda) - T(0.5)) - (mu_j - mu_i)) * inv_s;
  const CdfPoint<T> c = cdf_point(z);
  EdgeGrad<T> g;
  g.value = c.cdf;
  // dV/dmu_i = phi(z) / S
  g.mu_i = c.pdf * inv_s;
  // dV/dmu_j = -phi(z) / S
  g.mu_j = -c.pdf * inv_s;
  // dV/dsigma_i = phi(z) dz/dsigma_i = -phi(z) z sigma_i / S^2
  g.sigma_i = -c.pdf * z * sigma_i * inv_s * inv_s;
  // dV/dsigma_j = -phi(z) z sigma_j / S^2
  g.sigma_j = -c.pdf * z * sigma_j * inv_s * inv_s;
  return g;
}

/// Expected communication distance of e = (i -> j), without its weight c_e, F_i and F_j from
/// CDF sources:
///   E = sum_d F_i(d) (1 - F_j(d)) = E[(s_j - s_i)^+].
/// Terms vanish below lo_i (F_i = 0) and above hi_j (F_j = 1); on the gap between the windows
/// (F_i = 1, F_j = 0) every term is 1 and is counted in closed form. Cost O(both windows).
template <class T, class SrcI, class SrcJ>
GAUS_HD EdgeGrad<T> communication_distance(const SrcI& si, const SrcJ& sj) {
  const T inv_i = si.inv();
  const T inv_j = sj.inv();
  EdgeGrad<T> g;
  std::int64_t d = si.lo();
  while (d <= sj.hi()) {
    if (d > si.hi() && d < sj.lo()) {  // both factors are exactly 1 on [d, lo_j - 1]
      g.value += T(sj.lo() - d);
      d = sj.lo();
      continue;
    }
    const CdfPoint<T> fi = si.at(d);
    const CdfPoint<T> fj = sj.at(d);
    g.value += fi.cdf * fj.ccdf;
    // dF_i(d)/dmu_i = -phi(a_d) / sigma_i
    g.mu_i -= fi.pdf * inv_i * fj.ccdf;
    // dF_i(d)/dsigma_i = -phi(a_d) a_d / sigma_i
    g.sigma_i -= fi.pdf * fi.a * inv_i * fj.ccdf;
    // d(1 - F_j(d))/dmu_j = phi(b_d) / sigma_j
    g.mu_j += fi.cdf * fj.pdf * inv_j;
    // d(1 - F_j(d))/dsigma_j = phi(b_d) b_d / sigma_j
    g.sigma_j += fi.cdf * fj.pdf * fj.a * inv_j;
    ++d;
  }
  return g;
}

/// communication_distance with F computed on access (ComputedCdf, window factor k).
template <class T>
GAUS_HD EdgeGrad<T> communication_distance(T mu_i, T sigma_i, T mu_j, T sigma_j, T k) {
  return communication_distance<T>(ComputedCdf<T>(mu_i, sigma_i, k),
                                   ComputedCdf<T>(mu_j, sigma_j, k));
}

/// Horizon violation of one op whose latest legal start is `last_start` = D - max(L, 1):
///   V = P(s < 0) + P(s > last_start) = Phi(a_{-1}) + 1 - Phi(a_{last_start}).
/// Exact (no window): two evaluations of the point function `point` (core/cdf_source.hpp).
template <class T, class Point = ExactPoint>
GAUS_HD OpGrad<T> horizon_violation(T mu, T sigma, std::int64_t last_start,
                                    const Point& point = Point{}) {
  const T inv = T(1) / sigma;
  const CdfPoint<T> below = point((T(-0.5) - mu) * inv);
  const CdfPoint<T> above = point(((T(last_start) - mu) + T(0.5)) * inv);
  OpGrad<T> g;
  g.value = below.cdf + above.ccdf;
  // dPhi(a)/dmu = -phi(a)/sigma;  d(1 - Phi(b))/dmu = phi(b)/sigma
  g.mu = (above.pdf - below.pdf) * inv;
  // dPhi(a)/dsigma = -phi(a) a/sigma;  d(1 - Phi(b))/dsigma = phi(b) b/sigma
  g.sigma = (above.pdf * above.a - below.pdf * below.a) * inv;
  return g;
}

}  // namespace gaus
