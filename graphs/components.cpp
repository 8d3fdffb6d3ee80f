#include "graphs/components.hpp"

#include <algorithm>
#include <utility>

namespace gaus {

std::vector<std::int32_t> strong_components(const Problem& p, std::int32_t* count) {
  const op_id n = p.num_ops();
  std::vector<op_id> index(static_cast<std::size_t>(n), -1), low(static_cast<std::size_t>(n), 0);
  std::vector<std::int32_t> comp(static_cast<std::size_t>(n), -1);
  std::vector<char> stacked(static_cast<std::size_t>(n), 0);
  std::vector<op_id> stack;
  std::vector<std::pair<op_id, edge_id>> call;  // (op, its next successor edge)
  op_id next = 0;
  std::int32_t comps = 0;
  for (op_id root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    index[root] = low[root] = next++;
    stack.push_back(root);
    stacked[root] = 1;
    call.emplace_back(root, p.succ_offsets[root]);
    while (!call.empty()) {
      auto& [v, e] = call.back();
      if (e < p.succ_offsets[v + 1]) {
        const op_id w = p.edge_dst[e++];
        if (index[w] < 0) {
          index[w] = low[w] = next++;
          stack.push_back(w);
          stacked[w] = 1;
          call.emplace_back(w, p.succ_offsets[w]);
        } else if (stacked[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const op_id done = v;
      call.pop_back();
      if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[done]);
      if (low[done] != index[done]) continue;
      op_id w;
      do {
        w = stack.back();
        stack.pop_back();
        stacked[w] = 0;
        comp[w] = comps;
      } while (w != done);
      ++comps;
    }
  }
  if (count) *count = comps;
  return comp;
}

std::vector<char> ops_on_cycles(const Problem& p) {
  std::int32_t count = 0;
  const std::vector<std::int32_t> comp = strong_components(p, &count);
  std::vector<op_id> size(static_cast<std::size_t>(count), 0);
  for (const std::int32_t c : comp) ++size[c];
  std::vector<char> out(comp.size(), 0);
  for (op_id i = 0; i < p.num_ops(); ++i) out[i] = size[comp[i]] > 1;
  for (edge_id e = 0; e < p.num_edges(); ++e)
    if (p.edge_src[e] == p.edge_dst[e]) out[p.edge_src[e]] = 1;
  return out;
}

}  // namespace gaus
