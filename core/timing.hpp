// ASAP / ALAP start times and the critical path over distance-0 edges, by one sweep along the
// Problem's topological order. Header-only: used by heuristics, the solver's initialization and
// the analysis report alike.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "core/problem.hpp"

namespace gaus {

/// Cycles op i occupies at the end of the horizon: s_i + max(L_i, 1) <= D.
inline std::int32_t occupancy(const Problem& p, op_id i) { return std::max(p.latency[i], 1); }

/// Earliest starts: s_j = max(0, max_{e=(i->j), delta_e=0} s_i + lambda_e).
inline std::vector<std::int32_t> asap_starts(const Problem& p) {
  std::vector<std::int32_t> s(static_cast<std::size_t>(p.num_ops()), 0);
  for (op_id j : p.topo_order)
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.edge_distance[e] == 0) s[j] = std::max(s[j], s[p.edge_src[e]] + p.edge_delay[e]);
    }
  return s;
}

/// Critical-path length: the ASAP finish max_i (asap_i + max(L_i, 1)); 0 for no ops.
inline std::int32_t critical_path(const Problem& p, const std::vector<std::int32_t>& asap) {
  std::int32_t d = 0;
  for (op_id i = 0; i < p.num_ops(); ++i) d = std::max(d, asap[i] + occupancy(p, i));
  return d;
}
inline std::int32_t critical_path(const Problem& p) { return critical_path(p, asap_starts(p)); }

/// The horizon a time-constrained method uses: `horizon`, or the critical path when it is 0.
/// Throws InputError for a negative horizon (naming `who`) and InfeasibleError when it is
/// shorter than the critical path.
inline std::int32_t resolve_horizon(const Problem& p, std::int32_t horizon, const char* who) {
  if (horizon < 0)
    throw InputError(std::string(who) + ": negative horizon " + std::to_string(horizon));
  const std::int32_t cp = critical_path(p);
  if (horizon == 0) return cp;
  if (horizon < cp)
    throw InfeasibleError(where(p.source, 0) + ": horizon " + std::to_string(horizon) +
                          " is shorter than the critical path " + std::to_string(cp));
  return horizon;
}

/// Latest starts under horizon D: s_i = min(D - max(L_i,1), min_{e=(i->j), delta_e=0} s_j -
/// lambda_e). Some entries are below the ASAP start (even negative) when D is shorter than the
/// critical path.
inline std::vector<std::int32_t> alap_starts(const Problem& p, std::int32_t horizon) {
  std::vector<std::int32_t> s(static_cast<std::size_t>(p.num_ops()));
  for (op_id i = 0; i < p.num_ops(); ++i) s[i] = horizon - occupancy(p, i);
  for (auto it = p.topo_order.rbegin(); it != p.topo_order.rend(); ++it) {
    const op_id i = *it;
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) s[i] = std::min(s[i], s[p.edge_dst[e]] - p.edge_delay[e]);
  }
  return s;
}

}  // namespace gaus
