// The per-edge and per-op loss terms of docs/design.md section 3, forward and backward side by
// side: dependency / recurrence (precedence violation probability, windowed sum or closed form),
// communication and horizon. Each returns its value and the derivatives w.r.t. the mu and sigma
// of the ops involved. The per-step terms (expected use, peak use, live memory) are in
// core/loss_steps.hpp and core/loss_memory.hpp.
//
// Windowed sums run over the truncated distributions of core/gaussian.hpp (F exactly 0 below an
// op's window, 1 above), so value and gradient are exact for the function actually evaluated
// (finite differences agree) and within Phi(-K) of the untruncated definition.
#pragma once

#include <cstdint>

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

/// Precedence violation of e = (i -> j) with effective delay `lambda` (lambda_e for dependency,
/// lambda_e - delta_e * II for recurrence):
///   V = P(s_j < s_i + lambda) = sum_d P_i(d) F_j(d + lambda - 1).
/// With s = lambda - 1 the sum runs over d in [lo, hi], lo = max(lo_i, lo_j - s),
/// hi = min(hi_i + 1, hi_j - s): below lo a factor is 0, above hi F_j = 1 or P_i = 0, so the
/// rest is exactly sum_{d > hi} P_i(d) = 1 - F_i(hi). Cost O(min of the two windows).
template <class T>
GAUS_HD EdgeGrad<T> precedence_violation(T mu_i, T sigma_i, T mu_j, T sigma_j,
                                         std::int64_t lambda, T k) {
  const Window wi = cdf_window(mu_i, sigma_i, k);
  const Window wj = cdf_window(mu_j, sigma_j, k);
  const T inv_i = T(1) / sigma_i;
  const T inv_j = T(1) / sigma_j;
  const std::int64_t s = lambda - 1;
  const std::int64_t lo = max_of(wi.lo, wj.lo - s);
  const std::int64_t hi = min_of(wi.hi + 1, wj.hi - s);
  EdgeGrad<T> g;
  CdfPoint<T> prev = step_cdf(lo - 1, mu_i, inv_i, wi);  // F_i(d - 1)
  for (std::int64_t d = lo; d <= hi; ++d) {
    const CdfPoint<T> cur = step_cdf(d, mu_i, inv_i, wi);     // F_i(d)
    const CdfPoint<T> fj = step_cdf(d + s, mu_j, inv_j, wj);  // F_j(d + lambda - 1)
    const T p = mass_between(prev, cur);                      // P_i(d)
    g.value += p * fj.cdf;
    // dP_i(d)/dmu_i = -(phi(a_d) - phi(a_{d-1})) / sigma_i
    g.mu_i -= (cur.pdf - prev.pdf) * inv_i * fj.cdf;
    // dP_i(d)/dsigma_i = -(phi(a_d) a_d - phi(a_{d-1}) a_{d-1}) / sigma_i
    g.sigma_i -= (cur.pdf * cur.a - prev.pdf * prev.a) * inv_i * fj.cdf;
    // dF_j(x)/dmu_j = -phi(b_x) / sigma_j
    g.mu_j -= p * fj.pdf * inv_j;
    // dF_j(x)/dsigma_j = -phi(b_x) b_x / sigma_j
    g.sigma_j -= p * fj.pdf * fj.a * inv_j;
    prev = cur;
  }
  const CdfPoint<T> last = lo <= hi ? prev : step_cdf(hi, mu_i, inv_i, wi);  // F_i(hi)
  g.value += last.ccdf;
  // d(1 - F_i(hi))/dmu_i = phi(a_hi) / sigma_i
  g.mu_i += last.pdf * inv_i;
  // d(1 - F_i(hi))/dsigma_i = phi(a_hi) a_hi / sigma_i
  g.sigma_i += last.pdf * last.a * inv_i;
  return g;
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

/// Expected communication distance of e = (i -> j), without its weight c_e:
///   E = sum_d F_i(d) (1 - F_j(d)) = E[(s_j - s_i)^+].
/// Terms vanish below lo_i (F_i = 0) and above hi_j (F_j = 1); on the gap between the windows
/// (F_i = 1, F_j = 0) every term is 1 and is counted in closed form. Cost O(both windows).
template <class T>
GAUS_HD EdgeGrad<T> communication_distance(T mu_i, T sigma_i, T mu_j, T sigma_j, T k) {
  const Window wi = cdf_window(mu_i, sigma_i, k);
  const Window wj = cdf_window(mu_j, sigma_j, k);
  const T inv_i = T(1) / sigma_i;
  const T inv_j = T(1) / sigma_j;
  EdgeGrad<T> g;
  std::int64_t d = wi.lo;
  while (d <= wj.hi) {
    if (d > wi.hi && d < wj.lo) {  // both factors are exactly 1 on [d, lo_j - 1]
      g.value += T(wj.lo - d);
      d = wj.lo;
      continue;
    }
    const CdfPoint<T> fi = step_cdf(d, mu_i, inv_i, wi);
    const CdfPoint<T> fj = step_cdf(d, mu_j, inv_j, wj);
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

/// Horizon violation of one op whose latest legal start is `last_start` = D - max(L, 1):
///   V = P(s < 0) + P(s > last_start) = Phi(a_{-1}) + 1 - Phi(a_{last_start}).
/// Exact (no window): two erfc evaluations.
template <class T>
GAUS_HD OpGrad<T> horizon_violation(T mu, T sigma, std::int64_t last_start) {
  const T inv = T(1) / sigma;
  const CdfPoint<T> below = cdf_point<T>((T(-0.5) - mu) * inv);
  const CdfPoint<T> above = cdf_point<T>(((T(last_start) - mu) + T(0.5)) * inv);
  OpGrad<T> g;
  g.value = below.cdf + above.ccdf;
  // dPhi(a)/dmu = -phi(a)/sigma;  d(1 - Phi(b))/dmu = phi(b)/sigma
  g.mu = (above.pdf - below.pdf) * inv;
  // dPhi(a)/dsigma = -phi(a) a/sigma;  d(1 - Phi(b))/dsigma = phi(b) b/sigma
  g.sigma = (above.pdf * above.a - below.pdf * below.a) * inv;
  return g;
}

}  // namespace gaus
