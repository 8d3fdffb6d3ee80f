// Live memory per step over interval-shaped lifetimes, shared by B's minimum-cut codes
// (host/bounds/memory_cut_bound.cpp: a schedule's memory and the forced memory; host/bounds/lagrangian_cut.cpp:
// the memory of each cut's schedule).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/problem.hpp"

namespace gaus::detail {

/// For every step d of [0, D): the sum of weight(i) over the values live at d, value i being
/// live over [begin[i], max_j end[j]) for its distance-0 consumers j (none: never live). With
/// begin = end = a schedule's starts this is the schedule's live memory M(d) (as
/// host/verify/objectives.cpp's exact peak); with begin = ALAP and end = ASAP starts it is the memory
/// every schedule within D holds.
template <class W, class Weight>
std::vector<W> live_profile(const Problem& p, std::int32_t horizon,
                            const std::vector<std::int32_t>& begin,
                            const std::vector<std::int32_t>& end, Weight weight) {
  std::vector<W> m(static_cast<std::size_t>(horizon) + 1, W(0));  // a difference array first
  for (op_id i = 0; i < p.num_ops(); ++i) {
    std::int32_t last = std::numeric_limits<std::int32_t>::min();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) last = std::max(last, end[p.edge_dst[e]]);
    const std::int32_t lo = std::max(begin[i], 0), hi = std::min(last, horizon);
    const W w = weight(i);
    if (lo >= hi || w == W(0)) continue;
    m[static_cast<std::size_t>(lo)] += w;
    m[static_cast<std::size_t>(hi)] -= w;
  }
  for (std::size_t d = 1; d < m.size(); ++d) m[d] += m[d - 1];
  m.pop_back();
  return m;
}

}  // namespace gaus::detail
