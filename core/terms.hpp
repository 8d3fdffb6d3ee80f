// The loss terms of docs/design.md section 3 by name, shared by the host (LossConfig, the CPU
// backend, the solver) and the kernels: Term indexes every per-term array (weights, penalties,
// values), term_index() turns a Term into that index on host and device alike, term_bit() into its
// bit in LossConfig::terms. Formulation names the solver's four problem formulations (which terms
// each one turns on is host/solver/formulations.cpp's business).
#pragma once

#include "core/macros.hpp"

namespace gaus {

enum class Term : int {
  Dependency = 0,    ///< sum over distance-0 edges of P(s_j < s_i + lambda_e)         (per edge)
  Recurrence = 1,    ///< sum over distance>0 edges of P(s_j + delta_e II < s_i + lambda_e)
  Horizon = 2,       ///< sum over ops of P(s_i < 0) + P(s_i > D - max(L_i, 1))       (per op)
  Capacity = 3,      ///< sum over limited classes k, steps d of max(0, U_k(d) - C_k)^2
  PeakUse = 4,       ///< tau log sum_d exp(W(d)/tau), W(d) = sum_i w_i P_i(d)
  Communication = 5, ///< sum over distance-0 edges of c_e E[(s_j - s_i)^+]
  Memory = 6,        ///< tau log sum_d exp(M(d)/tau), live memory over distance-0 consumers
  ModuloMemory = 7,  ///< the same with M folded onto d mod II (loop-carried consumers included)
};
inline constexpr int kNumTerms = 8;

/// The index of a term in the per-term arrays (LossConfig::weight, LossKernelParams::weight...).
GAUS_HD constexpr int term_index(Term t) { return static_cast<int>(t); }
constexpr unsigned term_bit(Term t) { return 1u << term_index(t); }
inline constexpr unsigned kAllTerms = (1u << kNumTerms) - 1u;
/// Dependency, recurrence, horizon and capacity have per-constraint values and multipliers.
constexpr bool is_constraint(Term t) {
  return t == Term::Dependency || t == Term::Recurrence || t == Term::Horizon ||
         t == Term::Capacity;
}

/// The solver's formulations (docs/design.md section 4; host/solver/solver.hpp describes each): A
/// peak weighted use + communication, B peak live memory, C peak modulo live memory at an II, Rcs
/// minimum latency under unit limits.
enum class Formulation { A, B, C, Rcs };

}  // namespace gaus
