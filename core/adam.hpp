// The solver's element-wise parameter math (docs/design.md sections 2 and 4.2): the softplus map
// from the free parameter rho to sigma = sigma_min + softplus(rho), its derivative and inverse, and
// one Adam step. Inline templates marked GAUS_HD so a CUDA optimizer kernel can call the same code
// as the CPU loop.
#pragma once

#include "core/gaussian.hpp"
#include "core/macros.hpp"

namespace gaus {

/// softplus(x) = log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so neither branch overflows.
template <class T>
GAUS_HD GAUS_FORCEINLINE T softplus(T x) {
  return gm::fmax(x, T(0)) + gm::log1p(gm::exp(-gm::fabs(x)));
}

/// sigmoid(x) = d softplus(x) / dx = 1 / (1 + e^-x), evaluated without overflow for either sign.
template <class T>
GAUS_HD GAUS_FORCEINLINE T sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + gm::exp(-x));
  const T e = gm::exp(x);
  return e / (T(1) + e);
}

/// The inverse of softplus for y > 0: x = log(e^y - 1) = y + log(1 - e^-y) (the second form does
/// not overflow for large y; expm1 keeps small y accurate).
template <class T>
GAUS_HD GAUS_FORCEINLINE T softplus_inverse(T y) {
  return y + gm::log(-gm::expm1(-y));
}

/// sigma = sigma_min + softplus(rho): never below the floor, and d sigma / d rho > 0 everywhere, so
/// the gradient of an op pinned near the floor does not vanish.
template <class T>
GAUS_HD GAUS_FORCEINLINE T sigma_from_rho(T rho, T sigma_min) {
  return sigma_min + softplus(rho);
}

/// The rho giving `sigma` (sigma > sigma_min).
template <class T>
GAUS_HD GAUS_FORCEINLINE T rho_from_sigma(T sigma, T sigma_min) {
  return softplus_inverse(sigma - sigma_min);
}

/// Chain rule through the map: dJ/drho = dJ/dsigma * sigmoid(rho).
template <class T>
GAUS_HD GAUS_FORCEINLINE T grad_rho(T grad_sigma, T rho) {
  return grad_sigma * sigmoid(rho);
}

/// Adam hyper-parameters and the bias corrections of step t (t >= 1): c1 = 1 - beta1^t,
/// c2 = 1 - beta2^t, computed once per step on the host.
template <class T>
struct AdamStep {
  T lr;
  T beta1;
  T beta2;
  T eps;
  T c1;
  T c2;
};

/// One Adam update (Kingma & Ba) of parameter x with moments m, v and gradient g:
///   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2,
///   x -= lr * (m / c1) / (sqrt(v / c2) + eps).
template <class T>
GAUS_HD GAUS_FORCEINLINE void adam_update(T& x, T& m, T& v, T g, const AdamStep<T>& s) {
  m = s.beta1 * m + (T(1) - s.beta1) * g;
  v = s.beta2 * v + (T(1) - s.beta2) * g * g;
  x -= s.lr * (m / s.c1) / (gm::sqrt(v / s.c2) + s.eps);
}

}  // namespace gaus
