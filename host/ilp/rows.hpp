// Writing the rows of a time-indexed model (host/ilp/model.hpp): the step indicators' constants
// outside each op's window, the size limit and the deadline; and an index of the ops that can
// be busy at each step. Shared by the models of model.cpp and modulo_model.cpp.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "host/ilp/model.hpp"

namespace gaus::ilp {

/// Appends rows to a Model; a "started" term at a step outside the op's window is a constant.
class RowWriter {
 public:
  RowWriter(Model& m, std::int64_t max_nonzeros, std::chrono::steady_clock::time_point deadline)
      : m_(m), max_nz_(max_nonzeros), deadline_(deadline) {}

  int add_col(double lb, double ub, double obj, bool integer) {
    m_.col_lb.push_back(lb);
    m_.col_ub.push_back(ub);
    m_.obj.push_back(obj);
    m_.is_int.push_back(integer ? 1 : 0);
    return m_.num_cols() - 1;
  }
  /// coef * z[i, d] (0 before the window, 1 from its end on).
  void started(op_id i, std::int64_t d, double coef) {
    if (d < m_.lo[i]) return;
    if (d >= m_.hi[i]) {
      constant_ += coef;
      return;
    }
    term(static_cast<int>(m_.z_base[i] + (d - m_.lo[i])), coef);
  }
  void term(int col, double coef) { terms_.emplace_back(col, coef); }
  /// Closes the row lb <= terms + constant <= ub. A row left with constants only is checked.
  void finish(double lb, double ub, const char* what, std::int64_t step) {
    lb -= constant_;
    ub -= constant_;
    constant_ = 0;
    if (terms_.empty()) {
      if (lb > 1e-9 || ub < -1e-9)
        throw InfeasibleError("no schedule at D=" + std::to_string(m_.horizon) + ": " +
                              what + " at step " + std::to_string(step) +
                              " is violated by the ops whose window fixes them there");
      return;
    }
    if ((m_.num_rows() & 4095) == 4095 && std::chrono::steady_clock::now() > deadline_)
      throw BuildOutOfTime("out of time while building the model (" +
                           std::to_string(m_.num_rows()) + " rows so far)");
    if (m_.num_nonzeros() + static_cast<std::int64_t>(terms_.size()) > max_nz_)
      throw ModelTooLarge("the model passes " + std::to_string(max_nz_) +
                          " nonzeros (raise --max-nonzeros, or use a smaller horizon)");
    for (const auto& [c, v] : terms_) {
      m_.row_col.push_back(c);
      m_.row_val.push_back(v);
    }
    m_.row_start.push_back(m_.num_nonzeros() + static_cast<std::int64_t>(terms_.size()));
    m_.row_lb.push_back(lb);
    m_.row_ub.push_back(ub);
    terms_.clear();
  }

 private:
  Model& m_;
  std::int64_t max_nz_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<std::pair<int, double>> terms_;
  double constant_ = 0;
};

/// Steps -> ops whose interval [first_i, last_i] covers them, as CSR over steps [0, span).
struct StepIndex {
  std::vector<std::int64_t> start;
  std::vector<op_id> ops;
};

inline StepIndex index_steps(const std::vector<op_id>& members, const std::vector<std::int32_t>& first,
                      const std::vector<std::int32_t>& last, std::int64_t span) {
  StepIndex x;
  x.start.assign(static_cast<std::size_t>(span + 1), 0);
  for (op_id i : members)
    for (std::int64_t d = std::max(first[i], 0); d <= last[i] && d < span; ++d) ++x.start[d + 1];
  for (std::int64_t d = 0; d < span; ++d) x.start[d + 1] += x.start[d];
  x.ops.resize(static_cast<std::size_t>(x.start[span]));
  std::vector<std::int64_t> fill(x.start.begin(), x.start.end() - 1);
  for (op_id i : members)
    for (std::int64_t d = std::max(first[i], 0); d <= last[i] && d < span; ++d)
      x.ops[fill[d]++] = i;
  return x;
}

/// The step indicators z[i,d], d in [m.lo[i], m.hi[i]), and their order z[i,d] <= z[i,d+1]
/// (m.lo and m.hi set). Throws ModelTooLarge past `max_cols` of them.
inline void add_step_columns(const Problem& p, Model& m, RowWriter& w, std::int64_t max_cols) {
  const op_id n = p.num_ops();
  m.z_base.resize(static_cast<std::size_t>(n));
  std::int64_t cols = 0;
  for (op_id i = 0; i < n; ++i) cols += m.hi[i] - m.lo[i];
  if (cols > max_cols)
    throw ModelTooLarge("the model needs " + std::to_string(cols) +
                        " step variables (over --max-nonzeros " + std::to_string(max_cols) + ")");
  for (op_id i = 0; i < n; ++i) {
    m.z_base[i] = m.num_cols();
    for (std::int32_t d = m.lo[i]; d < m.hi[i]; ++d) w.add_col(0, 1, 0, true);
    for (std::int32_t d = m.lo[i]; d + 1 < m.hi[i]; ++d) {  // z[i,d] <= z[i,d+1]
      w.started(i, d, 1);
      w.started(i, d + 1, -1);
      w.finish(-1e30, 0, "a start order", d);
    }
  }
}

}  // namespace gaus::ilp
