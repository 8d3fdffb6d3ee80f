// A discrete schedule: one integer start step per op (and, with chaining, a start time in cycle).
#pragma once

#include <cstdint>
#include <vector>

#include "core/problem.hpp"

namespace gaus {

struct Schedule {
  std::vector<std::int32_t> start;  ///< s_i per op, indexed like Problem ops
  std::int32_t horizon = 0;         ///< D the schedule was made for (0 = none given)
  std::int32_t ii = 0;              ///< initiation interval (0 = not a modulo schedule)
  /// Operator chaining: per op, its start time within its cycle (docs/design.md section 1.3);
  /// empty when the problem has no delays or the schedule does not give them.
  std::vector<double> z;
};

/// Makespan: max_i (s_i + max(L_i, 1)); 0 for an empty problem.
inline std::int32_t schedule_latency(const Problem& p, const Schedule& s) {
  std::int32_t m = 0;
  for (op_id i = 0; i < p.num_ops(); ++i) {
    const std::int32_t l = p.latency[i] > 1 ? p.latency[i] : 1;
    if (s.start[i] + l > m) m = s.start[i] + l;
  }
  return m;
}

}  // namespace gaus
