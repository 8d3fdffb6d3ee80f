// The soft maximum of the per-step terms (peak use, live memory, modulo memory; docs/design.md
// section 3), stable for any temperature:
//   S = tau log sum_r exp(x_r / tau) = m + tau log sum_r exp((x_r - m) / tau),  m = max_r x_r
//   dS/dx_r = exp((x_r - S) / tau)   (the softmax weights, summing to 1)
// The pieces are inline templates marked GAUS_HD: soft_max() runs them serially (the CPU
// backend), the single-block finisher of kernels/loss_finish.cu runs the same pieces over its
// threads (block-wide max and sum).
#pragma once

#include <cstdint>

#include "core/gaussian.hpp"

namespace gaus {

/// One shifted term exp((x - m) / tau) of the sum.
template <class T>
GAUS_HD GAUS_FORCEINLINE T soft_max_term(T x, T top, T tau) {
  return gm::exp((x - top) / tau);
}

/// S from the maximum m and the sum of the shifted terms: m + tau log sum.
template <class T>
GAUS_HD GAUS_FORCEINLINE T soft_max_value(T top, T sum, T tau) {
  return top + tau * gm::log(sum);
}

/// dS/dx = exp((x - S) / tau).
template <class T>
GAUS_HD GAUS_FORCEINLINE T soft_max_weight(T x, T s, T tau) {
  return gm::exp((x - s) / tau);
}

/// S of x[0..n) with grad[r] = weight * dS/dx_r; n = 0 gives 0 (grad untouched). Cost O(n),
/// three passes.
template <class T>
GAUS_HD T soft_max(const T* x, std::int64_t n, T tau, T weight, T* grad) {
  if (n <= 0) return T(0);
  T top = x[0];
  for (std::int64_t r = 1; r < n; ++r)
    if (top < x[r]) top = x[r];
  T sum = T(0);
  for (std::int64_t r = 0; r < n; ++r) sum += soft_max_term(x[r], top, tau);
  const T s = soft_max_value(top, sum, tau);
  for (std::int64_t r = 0; r < n; ++r) grad[r] = weight * soft_max_weight(x[r], s, tau);
  return s;
}

}  // namespace gaus
