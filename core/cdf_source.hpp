// CDF sources: where the windowed terms of core/loss_terms.hpp and core/loss_steps.hpp read an
// op's step CDF F(d) from. A source is any type with
//   lo(), hi()   the op's CDF window (core/gaussian.hpp)
//   inv()        1 / sigma
//   at(d)        F(d) as step_cdf returns it: exactly 0 below the window, 1 above (density 0)
//   inside(d)    F(d) for lo() <= d <= hi(), without at()'s range checks
// The terms are templates over their sources, so the same arithmetic runs on every backend:
// ComputedCdf (here) evaluates Phi per access (the kernels, and core's own overloads on
// (mu, sigma)); the CPU backend's TableCdf (host/loss/cpu/cdf_table.hpp) reads a table filled
// once per evaluation.
//
// A normal point function (for the terms evaluated without a window, horizon) is any callable
// CdfPoint<T>(T a); ExactPoint is cdf_point.
#pragma once

#include <cstdint>

#include "core/gaussian.hpp"

namespace gaus {

/// F(d) of N(mu, sigma^2) computed on access (an erfc and an exp per call).
template <class T>
struct ComputedCdf {
  T mu;
  T inv_sigma;
  Window w;

  GAUS_HD ComputedCdf(T mu_, T sigma, T k)
      : mu(mu_), inv_sigma(T(1) / sigma), w(cdf_window(mu_, sigma, k)) {}
  GAUS_HD std::int64_t lo() const { return w.lo; }
  GAUS_HD std::int64_t hi() const { return w.hi; }
  GAUS_HD T inv() const { return inv_sigma; }
  GAUS_HD CdfPoint<T> at(std::int64_t d) const { return step_cdf(d, mu, inv_sigma, w); }
  GAUS_HD CdfPoint<T> inside(std::int64_t d) const {
    return cdf_point<T>(((T(d) - mu) + T(0.5)) * inv_sigma);
  }
};

/// cdf_point as a point function.
struct ExactPoint {
  template <class T>
  GAUS_HD CdfPoint<T> operator()(T a) const {
    return cdf_point<T>(a);
  }
};

}  // namespace gaus
