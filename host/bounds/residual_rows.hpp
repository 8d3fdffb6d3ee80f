// Compressed rows of a residual graph, shared by the maximum-flow codes (host/bounds/max_flow.cpp,
// host/bounds/parametric_flow.cpp, host/bounds/lagrangian_cut.cpp): each arc of a list becomes a forward slot
// in its tail's row and a reverse slot (capacity 0) in its head's row, the two pointing at each
// other.
#pragma once

#include <cstddef>
#include <vector>

namespace gaus::detail {

/// Arc k (from[k] -> to[k]) gets slot fwd[k] in row from[k] with residual capacity cap0[k], and
/// slot rev[fwd[k]] in row to[k] with capacity 0; row u is [head[u], head[u + 1]) of adj (the
/// other end), rev and cap. Slots keep the arcs' order within each row.
template <class Index, class Cap>
void build_residual_rows(std::size_t nodes, const std::vector<Index>& from,
                         const std::vector<Index>& to, const std::vector<Cap>& cap0,
                         std::vector<Index>& head, std::vector<Index>& adj, std::vector<Index>& rev,
                         std::vector<Cap>& cap, std::vector<Index>& fwd) {
  const std::size_t m = from.size();
  head.assign(nodes + 1, 0);
  for (std::size_t k = 0; k < m; ++k) {
    ++head[static_cast<std::size_t>(from[k]) + 1];
    ++head[static_cast<std::size_t>(to[k]) + 1];
  }
  for (std::size_t u = 0; u < nodes; ++u) head[u + 1] += head[u];
  adj.resize(2 * m);
  rev.resize(2 * m);
  cap.resize(2 * m);
  fwd.resize(m);
  std::vector<Index> next(head.begin(), head.end() - 1);
  for (std::size_t k = 0; k < m; ++k) {
    const Index a = next[static_cast<std::size_t>(from[k])]++;
    const Index b = next[static_cast<std::size_t>(to[k])]++;
    adj[a] = to[k];
    adj[b] = from[k];
    cap[a] = cap0[k];
    cap[b] = Cap(0);
    rev[a] = b;
    rev[b] = a;
    fwd[k] = a;
  }
}

}  // namespace gaus::detail
