// The priorities of iterative modulo scheduling at a candidate II (modulo_search.hpp): Rau's
// height, the mobility (slack) at II, recurrence-first and blocking-first orders.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>
#include <vector>

#include "graphs/components.hpp"
#include "host/heuristics/modulo_search.hpp"

namespace gaus {

namespace {

constexpr std::int64_t kUnset = std::numeric_limits<std::int64_t>::min() / 4;

/// Longest paths at `ii` over all edges (edge e weighs lambda_e - delta_e * ii), by passes in
/// topological order of the distance-0 edges until nothing changes (or n passes). `forward`:
/// from the sources (every op starts at 0: its earliest start at ii); otherwise to the sinks
/// (0 at an op without successors: Rau's HeightR).
std::vector<std::int64_t> longest_at_ii(const Problem& p, std::int32_t ii, bool forward) {
  const op_id n = p.num_ops();
  std::vector<std::int64_t> d(static_cast<std::size_t>(n), 0);
  for (op_id pass = 0; pass < std::max<op_id>(n, 1); ++pass) {
    bool changed = false;
    for (op_id k = 0; k < n; ++k) {
      const op_id i = p.topo_order[forward ? k : n - 1 - k];
      std::int64_t best = d[i];
      if (forward) {
        for (edge_id q = p.pred_offsets[i]; q < p.pred_offsets[i + 1]; ++q) {
          const edge_id e = p.pred_edges[q];
          best = std::max(best, d[p.edge_src[e]] + p.edge_delay[e] -
                                    std::int64_t{p.edge_distance[e]} * ii);
        }
      } else {
        for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
          best = std::max(best, d[p.edge_dst[e]] + p.edge_delay[e] -
                                    std::int64_t{p.edge_distance[e]} * ii);
      }
      if (best != d[i]) {
        d[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return d;
}

/// Ranks 0..n-1 of the ops sorted by `key` (ties by op index), as priorities.
template <typename Key>
std::vector<double> ranks(op_id n, Key&& key) {
  std::vector<op_id> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](op_id a, op_id b) { return key(a) < key(b); });
  std::vector<double> out(static_cast<std::size_t>(n));
  for (op_id r = 0; r < n; ++r) out[order[r]] = r;
  return out;
}

}  // namespace

const char* modulo_priority_name(ModuloPriority kind) {
  switch (kind) {
    case ModuloPriority::alap: return "alap";
    case ModuloPriority::height: return "height";
    case ModuloPriority::slack: return "slack";
    case ModuloPriority::recurrence: return "recurrence";
    case ModuloPriority::blocking: return "blocking";
  }
  return "?";
}

std::vector<double> modulo_priority(const Problem& p, ModuloPriority kind, std::int32_t ii) {
  const op_id n = p.num_ops();
  if (kind == ModuloPriority::alap || n == 0) return {};
  const std::vector<std::int64_t> height = longest_at_ii(p, ii, false);
  if (kind == ModuloPriority::height)
    return ranks(n, [&](op_id i) { return -height[i]; });
  const std::vector<std::int64_t> asap = longest_at_ii(p, ii, true);
  std::int64_t span = kUnset;
  for (op_id i = 0; i < n; ++i) span = std::max(span, asap[i] + height[i]);
  const auto slack = [&](op_id i) { return span - asap[i] - height[i]; };
  if (kind == ModuloPriority::slack)
    return ranks(n, [&](op_id i) { return std::pair(slack(i), asap[i]); });
  if (kind == ModuloPriority::recurrence) {
    const std::vector<char> cyc = ops_on_cycles(p);
    return ranks(n, [&](op_id i) { return std::tuple(!cyc[i], slack(i), asap[i]); });
  }
  return ranks(n, [&](op_id i) {
    const std::int32_t k = p.op_resource[i];
    const bool limited = k != kNoResource && p.resources[k].limit >= 0 && p.blocking[i] > 1;
    return std::tuple(limited ? -std::int64_t{p.blocking[i]} : 0, slack(i), asap[i]);
  });
}

}  // namespace gaus
