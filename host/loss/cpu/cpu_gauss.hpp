// Fast standard normal tails for the CPU loss backend. The CDF table (host/loss/cpu/cdf_table.hpp) needs
// phi(a) and the tail Phi(-|a|) at every step of every op's window, once per evaluation; with
// libm that is an erfc (which itself calls exp twice beyond 0.84) plus an exp per entry, the
// largest single cost of an evaluation. Here one exp serves both:
//   phi(a)      = exp(-a^2/2) / sqrt(2 pi)
//   Phi(-|a|)   = erfc(x) / 2 = exp(-x^2) erfcx(x) / 2,   x = |a| / sqrt 2,  exp(-x^2) = exp(-a^2/2)
// and erfcx, smooth and bounded on [0, inf), comes from piecewise Chebyshev interpolants fitted
// once at first use against exp(x^2) erfc(x) in long double: uniform pieces in x below 8 (the
// common case, no division), in y = 4 / (4 + x) up to 26 (as in S. G. Johnson's Faddeeva
// package), the asymptotic series of gm::erfcx_host beyond. Relative error of erfcx below 1e-15
// over the whole range (pinned by tests/cpu/loss/test_normal_tails.cpp), so the tail and the density
// match erfc / exp to a few ulps.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

#include "core/gaussian.hpp"

namespace gaus {

class FastErfcx {
 public:
  /// erfcx on [0, kNearX): kNear pieces uniform in x (no division on the common path).
  static constexpr int kNear = 64;
  static constexpr int kNearDegree = 9;
  static constexpr double kNearX = 8.0;
  /// erfcx on [kNearX, kMaxX): kFar pieces uniform in y = 4 / (4 + x).
  static constexpr int kFar = 16;
  static constexpr int kFarDegree = 9;
  static constexpr double kMaxX = 26.0;

  /// The shared, lazily fitted instance (thread-safe static initialization).
  static const FastErfcx& get() {
    static const FastErfcx instance;
    return instance;
  }

  /// erfcx(x) = exp(x^2) erfc(x) for x >= 0.
  [[nodiscard]] double operator()(double x) const {
    if (x < kNearX) {
      const double u = x * kNearInvWidth;
      const int k = static_cast<int>(u);
      return estrin9(near_.data() + k * (kNearDegree + 1), 2.0 * (u - k) - 1.0);
    }
    if (x >= kMaxX) return gm::erfcx_host(x);
    const double y = 4.0 / (4.0 + x);  // in (y(kMaxX), y(kNearX)]
    const double u = (y - kYMin) * kFarInvWidth;
    int k = static_cast<int>(u);
    k = k < kFar ? k : kFar - 1;
    return horner<kFarDegree>(far_.data() + k * (kFarDegree + 1), 2.0 * (u - k) - 1.0);
  }

 private:
  static constexpr double kNearInvWidth = kNear / kNearX;
  static constexpr double kYMin = 4.0 / (4.0 + kMaxX);
  static constexpr double kYMax = 4.0 / (4.0 + kNearX);
  static constexpr double kFarInvWidth = kFar / (kYMax - kYMin);

  /// Degree 9 by Estrin's scheme: a dependency chain of 5 multiply-adds instead of Horner's 9.
  static double estrin9(const double* c, double t) {
    static_assert(kNearDegree == 9);
    const double t2 = t * t;
    const double t4 = t2 * t2;
    const double p03 = (c[0] + c[1] * t) + t2 * (c[2] + c[3] * t);
    const double p47 = (c[4] + c[5] * t) + t2 * (c[6] + c[7] * t);
    return p03 + t4 * (p47 + t4 * (c[8] + c[9] * t));
  }

  template <int D>
  static double horner(const double* c, double t) {
    double s = c[D];
    for (int m = D - 1; m >= 0; --m) s = s * t + c[m];
    return s;
  }

  FastErfcx() {
    fit<kNearDegree>(kNear, 0.0, kNearX, false, near_.data());
    fit<kFarDegree>(kFar, kYMin, kYMax, true, far_.data());
  }

  /// Monomial coefficients in t in [-1, 1] of the Chebyshev interpolant of erfcx on each of
  /// `pieces` equal parts of [v0, v1], v = x or (in_y) v = 4 / (4 + x).
  template <int D>
  static void fit(int pieces, double v0, double v1, bool in_y, double* out) {
    using L = long double;
    const L pi = 3.14159265358979323846264338327950288L;
    const L width = (L(v1) - L(v0)) / L(pieces);
    constexpr int n = D + 1;
    for (int k = 0; k < pieces; ++k) {
      const L lo = L(v0) + width * L(k);
      std::array<L, n> f{}, cheb{};
      for (int j = 0; j < n; ++j) {  // nodes t_j = cos(pi (j + 1/2) / n)
        const L t = std::cos(pi * (L(j) + L(0.5)) / L(n));
        const L v = lo + width * (t + L(1)) / L(2);
        const L x = in_y ? L(4) / v - L(4) : v;
        f[j] = std::exp(x * x) * std::erfc(x);
      }
      for (int m = 0; m < n; ++m) {
        L s = 0;
        for (int j = 0; j < n; ++j) s += f[j] * std::cos(pi * L(m) * (L(j) + L(0.5)) / L(n));
        cheb[m] = s * L(2) / L(n);
      }
      cheb[0] /= L(2);
      // To monomials in t: T_0 = 1, T_1 = t, T_{m+1} = 2 t T_m - T_{m-1}.
      std::array<L, n> mono{}, tm1{}, tm{}, tp{};
      tm1[0] = 1;
      tm[1] = 1;
      mono[0] += cheb[0];
      for (int q = 0; q < n; ++q) mono[q] += cheb[1] * tm[q];
      for (int m = 2; m < n; ++m) {
        for (int q = 0; q < n; ++q) tp[q] = (q > 0 ? L(2) * tm[q - 1] : L(0)) - tm1[q];
        for (int q = 0; q < n; ++q) mono[q] += cheb[m] * tp[q];
        tm1 = tm;
        tm = tp;
      }
      for (int q = 0; q < n; ++q) out[k * n + q] = static_cast<double>(mono[q]);
    }
  }

  std::array<double, kNear*(kNearDegree + 1)> near_{};
  std::array<double, kFar*(kFarDegree + 1)> far_{};
};

/// The tail Phi(-|a|) and the density phi(a) of one standardized point, from one exp.
struct TailPdf {
  double tail;
  double pdf;
};

inline TailPdf fast_tail_pdf(double a, const FastErfcx& erfcx) {
  // Past |a| = 38.6 both are below the smallest double (and exp would take its slow underflow
  // path).
  if (!(a * a < 1490.0)) return TailPdf{0.0, 0.0};
  const double e = std::exp(-0.5 * a * a);
  return TailPdf{0.5 * e * erfcx(std::fabs(a) * kSqrtHalf), kInvSqrt2Pi * e};
}

/// cdf_point of core/gaussian.hpp from fast_tail_pdf (evaluated in double, rounded to T).
template <class T>
CdfPoint<T> fast_cdf_point(T a, const FastErfcx& erfcx) {
  const TailPdf tp = fast_tail_pdf(static_cast<double>(a), erfcx);
  const T tail = static_cast<T>(tp.tail);
  if (a < T(0)) return CdfPoint<T>{a, tail, T(1) - tail, static_cast<T>(tp.pdf)};
  return CdfPoint<T>{a, T(1) - tail, tail, static_cast<T>(tp.pdf)};
}

/// fast_cdf_point as a normal point function (core/cdf_source.hpp), for core's horizon term.
struct FastPoint {
  const FastErfcx& erfcx;
  template <class T>
  CdfPoint<T> operator()(T a) const {
    return fast_cdf_point<T>(a, erfcx);
  }
};

}  // namespace gaus
