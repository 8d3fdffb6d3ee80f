// Gaussian start times (docs/design.md section 2): Phi via erfc, the pdf, the step CDF F(d), the
// step mass P(d), the K-sigma window and the log-CDF with its inverse Mills ratio. Every function
// is an inline template on the scalar type (float on the GPU, float or double on the CPU) marked
// GAUS_HD, so both backends run the same code.
//
// Notation: an op's start X ~ N(mu, sigma^2) is rounded to the step d with d - 1/2 < X <= d + 1/2.
//   a_d   = (d + 1/2 - mu) / sigma                  standardized upper boundary of step d
//   F(d)  = P(s <= d) = Phi(a_d)                    step CDF
//   P(d)  = F(d) - F(d - 1)                         step mass
//   dF(d)/dmu = -phi(a_d) / sigma,   dF(d)/dsigma = -phi(a_d) a_d / sigma
#pragma once

#include <math.h>

#include <cmath>
#include <cstdint>

#include "core/macros.hpp"

namespace gaus {

inline constexpr double kSqrtHalf = 0.70710678118654752440;    // 1/sqrt(2)
inline constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)
inline constexpr double kSqrt2OverPi = 0.79788456080286535588; // sqrt(2/pi)

/// Generic math: one overload per scalar type, so templates on T call erfcf/erfc etc. on both
/// host and device.
namespace gm {
#define GAUS_GM_UNARY(name, fname, dname)                                      \
  GAUS_HD GAUS_FORCEINLINE float name(float x) { return ::fname(x); }          \
  GAUS_HD GAUS_FORCEINLINE double name(double x) { return ::dname(x); }
GAUS_GM_UNARY(erfc, erfcf, erfc)
GAUS_GM_UNARY(exp, expf, exp)
GAUS_GM_UNARY(expm1, expm1f, expm1)
GAUS_GM_UNARY(log, logf, log)
GAUS_GM_UNARY(log1p, log1pf, log1p)
GAUS_GM_UNARY(sqrt, sqrtf, sqrt)
GAUS_GM_UNARY(floor, floorf, floor)
GAUS_GM_UNARY(ceil, ceilf, ceil)
GAUS_GM_UNARY(fabs, fabsf, fabs)
#undef GAUS_GM_UNARY
GAUS_HD GAUS_FORCEINLINE float fmin(float a, float b) { return ::fminf(a, b); }
GAUS_HD GAUS_FORCEINLINE double fmin(double a, double b) { return ::fmin(a, b); }
GAUS_HD GAUS_FORCEINLINE float fmax(float a, float b) { return ::fmaxf(a, b); }
GAUS_HD GAUS_FORCEINLINE double fmax(double a, double b) { return ::fmax(a, b); }

/// erfcx(x) = exp(x^2) erfc(x) on the host, for any finite x (x < -26.6 overflows to inf; only
/// x >= 0 is used). exp(x^2) erfc(x) is accurate while erfc(x) is a normal double (x < 26), with
/// x^2 split exactly by fma; beyond, the asymptotic series (relative error < 1e-16 there).
inline double erfcx_host(double x) {
  if (x < 26.0) {
    const double x2 = x * x;
    const double x2_err = std::fma(x, x, -x2);  // x*x = x2 + x2_err exactly
    return std::exp(x2) * std::exp(x2_err) * std::erfc(x);
  }
  // erfcx(x) = 1/(x sqrt(pi)) * sum_n (-1)^n (2n-1)!! / (2x^2)^n
  const double inv_2x2 = 0.5 / (x * x);
  double term = 1.0, sum = 1.0;
  for (int n = 1; n <= 8; ++n) {
    term *= -(2.0 * n - 1.0) * inv_2x2;
    sum += term;
  }
  return sum / (x * 1.77245385090551602730);
}

GAUS_HD GAUS_FORCEINLINE double erfcx(double x) {
#if defined(__CUDA_ARCH__)
  return ::erfcx(x);
#else
  return erfcx_host(x);
#endif
}
GAUS_HD GAUS_FORCEINLINE float erfcx(float x) {
#if defined(__CUDA_ARCH__)
  return ::erfcxf(x);
#else
  return static_cast<float>(erfcx_host(static_cast<double>(x)));
#endif
}
}  // namespace gm

template <class T>
GAUS_HD GAUS_FORCEINLINE T min_of(T a, T b) {
  return b < a ? b : a;
}
template <class T>
GAUS_HD GAUS_FORCEINLINE T max_of(T a, T b) {
  return a < b ? b : a;
}

/// Standard normal CDF Phi(a) = erfc(-a/sqrt 2) / 2 (accurate in the lower tail).
template <class T>
GAUS_HD GAUS_FORCEINLINE T normal_cdf(T a) {
  return T(0.5) * gm::erfc(-a * T(kSqrtHalf));
}
/// Standard normal pdf phi(a).
template <class T>
GAUS_HD GAUS_FORCEINLINE T normal_pdf(T a) {
  return T(kInvSqrt2Pi) * gm::exp(T(-0.5) * a * a);
}

/// Phi at one standardized point, with both tails accurate.
template <class T>
struct CdfPoint {
  T a;     ///< the standardized point; 0 where the point is truncated by the window
  T cdf;   ///< Phi(a)
  T ccdf;  ///< 1 - Phi(a), computed directly (accurate in the upper tail)
  T pdf;   ///< phi(a); 0 where truncated (so derivatives there vanish)
};

template <class T>
GAUS_HD GAUS_FORCEINLINE CdfPoint<T> cdf_point(T a) {
  // The tail beyond |a| comes from erfc without cancellation; the other side is 1 - tail.
  const T tail = T(0.5) * gm::erfc(gm::fabs(a) * T(kSqrtHalf));
  CdfPoint<T> c;
  c.a = a;
  c.pdf = normal_pdf(a);
  if (a < T(0)) {
    c.cdf = tail;
    c.ccdf = T(1) - tail;
  } else {
    c.ccdf = tail;
    c.cdf = T(1) - tail;
  }
  return c;
}

/// Phi(hi.a) - Phi(lo.a) for hi.a >= lo.a, from whichever tails avoid cancellation.
template <class T>
GAUS_HD GAUS_FORCEINLINE T mass_between(const CdfPoint<T>& lo, const CdfPoint<T>& hi) {
  // Both differences formed, then one chosen: a select, which vectorizes (a conditional
  // subtraction is not if-converted under -ftrapping-math).
  const T upper = lo.ccdf - hi.ccdf;
  const T lower = hi.cdf - lo.cdf;
  return lo.cdf > T(0.5) ? upper : lower;
}

/// The CDF window [lo, hi] of an op: F(d) is evaluated for lo <= d <= hi and taken as exactly 0
/// below and 1 above. lo = floor(mu - K sigma), hi = ceil(mu + K sigma) - 1, so the step mass
/// P(d) = F(d) - F(d-1) lives on [lo, hi + 1] = [floor(mu - K sigma), ceil(mu + K sigma)]
/// (docs/design.md section 2) and each truncated tail holds less than Phi(-K - 1/(2 sigma)). The
/// truncated distribution keeps total mass 1: the tails are lumped onto steps lo and hi + 1.
/// The bounds are clamped to +-2^31 so garbage parameters (NaN, 1e30) cannot overflow.
struct Window {
  std::int64_t lo;
  std::int64_t hi;
};

template <class T>
GAUS_HD GAUS_FORCEINLINE Window cdf_window(T mu, T sigma, T k) {
  const T lim = T(2147483648.0);
  const T half = k * sigma;
  // fmin/fmax also map NaN to the clamp value.
  const T x_lo = gm::fmax(gm::fmin(mu - half, lim), -lim);
  const T x_hi = gm::fmax(gm::fmin(mu + half, lim), -lim);
  return Window{static_cast<std::int64_t>(gm::floor(x_lo)),
                static_cast<std::int64_t>(gm::ceil(x_hi)) - 1};
}

/// F(d) truncated to the window: exactly 0 below it, 1 above it (pdf 0 there), Phi(a_d) inside.
/// (d - mu) is formed first: d and mu are close, so it is exact in float for large steps.
template <class T>
GAUS_HD GAUS_FORCEINLINE CdfPoint<T> step_cdf(std::int64_t d, T mu, T inv_sigma,
                                                const Window& w) {
  if (d < w.lo) return CdfPoint<T>{T(0), T(0), T(1), T(0)};
  if (d > w.hi) return CdfPoint<T>{T(0), T(1), T(0), T(0)};
  return cdf_point<T>(((T(d) - mu) + T(0.5)) * inv_sigma);
}

/// log Phi(a) and the inverse Mills ratio h(a) = phi(a) / Phi(a), stable for very negative a
/// (where Phi underflows): below `log_cdf_direct_limit` they come from
/// Phi(a) = erfcx(-a/sqrt 2) exp(-a^2/2) / 2; above it Phi(a) itself is a normal number.
template <class T>
struct LogCdf {
  T log_cdf;  ///< log Phi(a)
  T mills;    ///< phi(a) / Phi(a)
};

/// Phi(-9) ~ 1e-19 is far from float underflow, Phi(-20) ~ 3e-89 far from double underflow.
template <class T>
GAUS_HD GAUS_FORCEINLINE T log_cdf_direct_limit() {
  return sizeof(T) == sizeof(float) ? T(-9) : T(-20);
}

/// log Phi(a) alone (no density): the forward pass of the kernels' log-domain memory product.
template <class T>
GAUS_HD GAUS_FORCEINLINE T log_normal_cdf(T a) {
  if (a >= T(0)) return gm::log1p(T(-0.5) * gm::erfc(a * T(kSqrtHalf)));
  if (a >= log_cdf_direct_limit<T>()) return gm::log(normal_cdf(a));
  return gm::log(T(0.5) * gm::erfcx(-a * T(kSqrtHalf))) - T(0.5) * a * a;
}

template <class T>
GAUS_HD GAUS_FORCEINLINE LogCdf<T> log_cdf(T a) {
  LogCdf<T> r;
  if (a >= T(0)) {
    const T q = T(0.5) * gm::erfc(a * T(kSqrtHalf));  // 1 - Phi(a) <= 1/2
    r.log_cdf = gm::log1p(-q);
    r.mills = normal_pdf(a) / (T(1) - q);
  } else if (a >= log_cdf_direct_limit<T>()) {
    const T phi = normal_cdf(a);
    r.log_cdf = gm::log(phi);
    r.mills = normal_pdf(a) / phi;
  } else {
    const T ex = gm::erfcx(-a * T(kSqrtHalf));
    r.log_cdf = gm::log(T(0.5) * ex) - T(0.5) * a * a;
    r.mills = T(kSqrt2OverPi) / ex;
  }
  return r;
}

}  // namespace gaus
