// The time-indexed integer linear programs solved by CBC for `gaus schedule --prove`
// (host/ilp/prove.hpp) and the ILP baseline (bench/baselines/ilp.cpp), built as plain sparse
// matrices so that the model does not depend on the MIP solver.
//
// Variables are "started by" step indicators: z[i,d] = 1 iff s_i <= d, for d in the op's window
// [lo_i, hi_i) (lo = ASAP start, hi = ALAP start at horizon D; z = 0 before lo, 1 from hi on).
// They are the cumulative sums of the classic time-indexed x[i,t] = [s_i = t]
// (x[i,t] = z[i,t] - z[i,t-1]), so the LP relaxation is that of the x model with the strong,
// aggregated precedence form (z[j,d] <= z[i,d - lambda]), while every row has O(1) nonzeros
// per op instead of O(window). Only windows are modelled, never ops x horizon.
//
//   rcs  min makespan = LB + sum_{d >= LB} u[d], u[d] = 1 iff some op is unfinished at step d
//        (u[d] >= 1 - z[i, d - occ_i]); LB = the critical path, or a known lower bound on the
//        latency when larger (host/bounds/latency_bound.hpp); unit rows per (class, step).
//   A    min 100 * P + sum over distance-0 edges with c_e > 0 of (s_j - s_i),
//        P >= sum_i w_i [s_i = d] per step (plus unit rows when a class is limited).
//   B    min M, M >= sum_i b_i y[i,d] per step, y[i,d] >= z[i,d] - z[j,d] per distance-0
//        consumer j (live from the producer's start until its last consumer starts);
//        M >= a known lower bound on the peak when one is given.
// Loop-carried edges are not modelled (a single-iteration schedule, as in cpsat.py).
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "core/schedule.hpp"

namespace gaus::ilp {

enum class Kind { Rcs, A, B };

/// The model would pass the size limit (no schedule is attempted: exit 1, like infeasibility).
class ModelTooLarge : public InfeasibleError {
 public:
  using InfeasibleError::InfeasibleError;
};

/// Building the model passed its deadline (a large model's rows take seconds).
class BuildOutOfTime : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A MIP in row form: min obj . x + obj_offset subject to row_lb <= A x <= row_ub.
struct Model {
  std::vector<double> col_lb, col_ub, obj;
  std::vector<char> is_int;
  double obj_offset = 0;
  bool integral = true;  ///< every objective value is an integer (weights, sizes integral)
  std::vector<double> row_lb, row_ub;
  std::vector<std::int64_t> row_start{0};  ///< CSR over rows
  std::vector<int> row_col;
  std::vector<double> row_val;

  // ---- the schedule encoding ----
  std::vector<std::int32_t> lo, hi;  ///< per op: window [lo, hi]
  std::vector<std::int64_t> z_base;  ///< per op: column of z[i, lo] (the op has hi - lo of them)
  std::int32_t horizon = 0;
  // ---- auxiliary columns (-1: absent) ----
  std::int64_t u_base = -1;           ///< rcs: column of u[u_first]; u[d] for d in [u_first, D)
  std::int32_t u_first = 0;
  int peak_col = -1;                  ///< A: P; B: M
  std::vector<std::int64_t> y_base;   ///< B: per op, column of y[i, lo_i] (y_end[i] - lo_i of them)
  std::vector<std::int32_t> y_end;
  /// The modulo model's residue form (host/ilp/modulo_model.hpp): per op, the column of its
  /// iteration offset k_i and of the first of its II residue indicators (empty otherwise).
  std::vector<int> k_col;
  std::vector<int> r_base;

  [[nodiscard]] int num_cols() const { return static_cast<int>(obj.size()); }
  [[nodiscard]] int num_rows() const { return static_cast<int>(row_lb.size()); }
  [[nodiscard]] std::int64_t num_nonzeros() const { return row_start.back(); }
};

/// Builds the model of `kind` at horizon D (>= the critical path; rows for limited unit
/// classes in every kind). `lower_bound`, when above 0, is a proven lower bound on the objective
/// (rcs: the latency, B: the peak memory; A ignores it) that tightens the model. Throws
/// ModelTooLarge when the model would pass `max_nonzeros` nonzeros (or step variables),
/// InfeasibleError when D is below the critical path, BuildOutOfTime past `deadline`.
Model build_model(const Problem& p, Kind kind, std::int32_t horizon, std::int64_t max_nonzeros,
                  double lower_bound = 0,
                  std::chrono::steady_clock::time_point deadline =
                      std::chrono::steady_clock::time_point::max());

/// Every column's value for the schedule `s` (legal at the model's horizon): a MIP start.
std::vector<double> encode(const Problem& p, const Model& m, Kind kind, const Schedule& s);

/// The starts a column vector encodes (s_i = the first step d with z[i,d] > 0.5, else hi_i).
Schedule decode(const Problem& p, const Model& m, const double* x);

/// The kind's exact objective of `s` (host/verify/objectives.hpp): latency, formulation A's score
/// (100 * peak + binarized communication) or peak live memory.
double exact_objective(const Problem& p, Kind kind, const Schedule& s);

/// "rcs", "A", "B" -> Kind; throws InputError otherwise.
Kind parse_kind(const std::string& name);

}  // namespace gaus::ilp
