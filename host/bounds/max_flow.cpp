// Dinic's algorithm: breadth-first levels from the source, then a blocking flow along level-
// increasing arcs by an iterative depth-first walk (paths can be as long as the graph, so no
// recursion), with current-arc pointers and dead ends cut off.
#include "host/bounds/max_flow.hpp"
#include "host/bounds/residual_rows.hpp"

#include <algorithm>
#include <limits>

#include "core/error.hpp"

namespace gaus::detail {

void MaxFlow::add_arc(std::int32_t u, std::int32_t v, std::int64_t cap) {
  from_.push_back(u);
  to_.push_back(v);
  cap0_.push_back(cap);
  nodes_ = std::max({nodes_, u + 1, v + 1});
}

bool MaxFlow::build_levels(std::int32_t s, std::int32_t t) {
  level_.assign(static_cast<std::size_t>(nodes_), -1);
  queue_.clear();
  level_[s] = 0;
  queue_.push_back(s);
  for (std::size_t q = 0; q < queue_.size(); ++q) {
    const std::int32_t u = queue_[q];
    // Nodes at t's level or beyond lie on no shortest path to t.
    if (level_[t] >= 0 && level_[u] >= level_[t]) break;
    for (std::int32_t a = head_[u]; a < head_[u + 1]; ++a) {
      const std::int32_t v = adj_[a];
      if (cap_[a] > 0 && level_[v] < 0) {
        level_[v] = level_[u] + 1;
        queue_.push_back(v);
      }
    }
  }
  return level_[t] >= 0;
}

std::int64_t MaxFlow::run(std::int32_t s, std::int32_t t) {
  nodes_ = std::max({nodes_, s + 1, t + 1});
  const std::size_t n = static_cast<std::size_t>(nodes_), m = from_.size();
  if (2 * m > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw InputError("max flow: " + std::to_string(m) + " arcs exceed the 32-bit arc index");
  std::vector<std::int32_t> fwd;
  build_residual_rows(n, from_, to_, cap0_, head_, adj_, rev_, cap_, fwd);
  std::int64_t flow = 0;
  while (build_levels(s, t)) {
    it_.assign(head_.begin(), head_.end() - 1);
    path_.clear();
    std::int32_t u = s;
    for (;;) {
      if (u == t) {
        std::int64_t f = std::numeric_limits<std::int64_t>::max();
        for (const std::int32_t a : path_) f = std::min(f, cap_[a]);
        std::size_t first_full = path_.size();
        for (std::size_t k = 0; k < path_.size(); ++k) {
          const std::int32_t a = path_[k];
          cap_[a] -= f;
          cap_[rev_[a]] += f;
          if (cap_[a] == 0 && first_full == path_.size()) first_full = k;
        }
        flow += f;
        u = adj_[rev_[path_[first_full]]];  // the saturated arc's tail
        path_.resize(first_full);
        continue;
      }
      std::int32_t& a = it_[u];
      while (a < head_[u + 1] && !(cap_[a] > 0 && level_[adj_[a]] == level_[u] + 1)) ++a;
      if (a < head_[u + 1]) {
        path_.push_back(a);
        u = adj_[a];
        continue;
      }
      // Dead end: nothing more reaches t through u in this phase.
      level_[u] = -1;
      if (path_.empty()) break;
      const std::int32_t back = path_.back();
      path_.pop_back();
      u = adj_[rev_[back]];
      ++it_[u];
    }
  }
  return flow;
}

}  // namespace gaus::detail
