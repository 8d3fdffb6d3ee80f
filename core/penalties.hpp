// The augmented Lagrangian of the constraint terms (host/loss/loss.hpp) and the capacity
// penalty, value and derivative, for both backends. A constraint c of term t with value V_c
// enters the objective as
//   J_c = weight_t V_c + lambda_c V_c + rho_t/2 V_c^2
// so dJ/dV_c = weight_t + lambda_c + rho_t V_c, and the multiplier update is
// lambda_c += rho_t V_c. The capacity constraint of a limited class k at step (or residue) d is
//   V = max(0, U_k(d) - C_k)^2,  dV/dU = 2 max(0, U_k(d) - C_k).
// Inline templates on the scalar type marked GAUS_HD; the CPU backend instantiates them in
// double, the kernels in double or float (their per-step values are doubles, their multipliers
// floats).
#pragma once

#include "core/macros.hpp"

namespace gaus {

/// dJ/dV of one constraint: weight + lambda + rho V.
template <class T>
GAUS_HD GAUS_FORCEINLINE T augmented_upstream(T weight, T lambda, T rho, T v) {
  return weight + lambda + rho * v;
}

/// The constraint's share of LossResult::augmented: lambda V + rho/2 V^2.
template <class T>
GAUS_HD GAUS_FORCEINLINE T augmented_value(T lambda, T rho, T v) {
  return lambda * v + T(0.5) * rho * v * v;
}

/// The multiplier after one update: lambda + rho V.
template <class T>
GAUS_HD GAUS_FORCEINLINE T updated_multiplier(T lambda, T rho, T v) {
  return lambda + rho * v;
}

/// One capacity constraint: excess = max(0, U - C) (0 where the limit holds; NaN stays NaN)
/// and value = excess^2.
template <class T>
struct CapacityPenalty {
  T excess;
  T value;
};

template <class T>
GAUS_HD GAUS_FORCEINLINE CapacityPenalty<T> capacity_penalty(T use, T limit) {
  const T excess = use - limit;  // U_k(d) - C_k
  if (excess <= T(0)) return CapacityPenalty<T>{T(0), T(0)};
  return CapacityPenalty<T>{excess, excess * excess};
}

/// dJ/dU of a capacity constraint from dJ/dV: dJ/dV * dV/dU, dV/dU = 2 max(0, U - C).
template <class T>
GAUS_HD GAUS_FORCEINLINE T capacity_upstream(T dj_dv, T excess) {
  return dj_dv * T(2) * excess;
}

}  // namespace gaus
