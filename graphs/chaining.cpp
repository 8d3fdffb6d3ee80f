// Chain-breaking edges and start times in cycle (graphs/chaining.hpp), after CIRCT's chaining
// support: one pass in topological order carries, per combinational op, the accumulated delay of
// the longest chain from each origin that reaches it.
#include "graphs/chaining.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/error.hpp"
#include "graphs/builder.hpp"

namespace gaus {

namespace {

constexpr std::size_t kMaxChainEntries = std::size_t{1} << 26;

std::string delay_text(double d) {
  std::string s = std::to_string(d);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

bool chains_along(const Problem& p, edge_id e) {
  return p.carries_value(e) && p.edge_distance[e] == 0 &&
         p.edge_delay[e] == p.latency[p.edge_src[e]];
}

std::vector<std::pair<op_id, op_id>> chain_breaking_pairs(const Problem& p) {
  std::vector<std::pair<op_id, op_id>> out;
  if (!p.has_delays() || !(p.cycle_time > 0)) return out;
  const double cycle = p.cycle_time;
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (p.in_delay[i] > cycle || p.out_delay[i] > cycle)
      throw InputError(where(p.source, 0) + ": op " + quoted_name(p, i) + ": its delays (" +
                       delay_text(p.in_delay[i]) + " in, " + delay_text(p.out_delay[i]) +
                       " out) exceed the cycle time " + delay_text(cycle));

  // chains[j]: origin -> accumulated delay arriving at j; kept for combinational ops only
  // (only they pass chains on).
  std::vector<std::unordered_map<op_id, double>> chains(static_cast<std::size_t>(p.num_ops()));
  std::size_t entries = 0;
  std::unordered_map<op_id, double> in;
  for (const op_id j : p.topo_order) {
    in.clear();
    in[j] = 0.0;
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (!chains_along(p, e)) continue;
      const op_id i = p.edge_src[e];
      if (p.latency[i] > 0) {
        double& d = in[i];
        d = std::max(d, p.out_delay[i]);
        continue;
      }
      for (const auto& [origin, delay] : chains[i]) {
        double& d = in[origin];
        d = std::max(d, delay + p.out_delay[i]);
      }
    }
    for (auto it = in.begin(); it != in.end();) {
      if (it->first != j && it->second + p.in_delay[j] > cycle) {
        out.emplace_back(it->first, j);
        it = in.erase(it);
      } else {
        ++it;
      }
    }
    if (p.latency[j] == 0) {
      entries += in.size();
      if (entries > kMaxChainEntries)
        input_error(p.source, 0,
                    "chaining: the chains of combinational ops are too many to analyse (more "
                    "than 2^26 origin/op pairs)");
      chains[j] = in;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void add_chain_breaking_edges(Problem& p) {
  const auto pairs = chain_breaking_pairs(p);
  if (pairs.empty()) return;
  const op_id n = p.num_ops();
  const edge_id m0 = p.num_edges();
  const auto m = m0 + static_cast<edge_id>(pairs.size());
  std::vector<edge_id> offsets(static_cast<std::size_t>(n) + 1, 0);
  for (edge_id e = 0; e < m0; ++e) ++offsets[p.edge_src[e] + 1];
  for (const auto& pr : pairs) ++offsets[pr.first + 1];
  for (op_id i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
  std::vector<op_id> src(m), dst(m);
  std::vector<std::int32_t> delay(m), distance(m);
  std::vector<double> weight(m);
  std::vector<std::uint8_t> flags(m, 0);
  std::vector<edge_id> fill(offsets.begin(), offsets.end() - 1);
  auto put = [&](op_id i, op_id j, std::int32_t d, std::int32_t dist, double w, std::uint8_t f) {
    const edge_id k = fill[i]++;
    src[k] = i;
    dst[k] = j;
    delay[k] = d;
    distance[k] = dist;
    weight[k] = w;
    flags[k] = f;
  };
  for (edge_id e = 0; e < m0; ++e)
    put(p.edge_src[e], p.edge_dst[e], p.edge_delay[e], p.edge_distance[e], p.edge_weight[e],
        p.flags(e));
  for (const auto& [i, j] : pairs)
    put(i, j, p.latency[i] + 1, 0, 0.0, kEdgeAuxiliary | kEdgeChainBreak);
  p.succ_offsets = std::move(offsets);
  p.edge_src = std::move(src);
  p.edge_dst = std::move(dst);
  p.edge_delay = std::move(delay);
  p.edge_distance = std::move(distance);
  p.edge_weight = std::move(weight);
  p.edge_flags = std::move(flags);
  index_predecessors(p);  // the topological order stays valid: each pair follows a chain
}

std::vector<double> start_times_in_cycle(const Problem& p, const Schedule& s) {
  std::vector<double> z(static_cast<std::size_t>(p.num_ops()), 0.0);
  if (!p.has_delays() || s.start.size() != z.size()) return z;
  for (const op_id j : p.topo_order)
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (!chains_along(p, e)) continue;
      const op_id i = p.edge_src[e];
      if (std::int64_t{s.start[i]} + p.latency[i] != s.start[j]) continue;
      const double arrival = (p.latency[i] == 0 ? z[i] : 0.0) + p.out_delay[i];
      z[j] = std::max(z[j], arrival);
    }
  return z;
}

void set_start_times_in_cycle(const Problem& p, Schedule& s) {
  if (p.has_delays())
    s.z = start_times_in_cycle(p, s);
  else
    s.z.clear();
}

}  // namespace gaus
