// Maximum s-t flow (Dinic) over a CSR residual graph with integer capacities: the min-cut
// memory bound's one-step reference (host/bounds/memory_cut_bound.cpp, memory_cut_at), against which
// its parametric sweep is tested.
#pragma once

#include <cstdint>
#include <vector>

namespace gaus::detail {

class MaxFlow {
 public:
  /// Adds arc u -> v of capacity cap >= 0 (nodes are numbered from 0; the graph has as many as
  /// the largest id seen plus one).
  void add_arc(std::int32_t u, std::int32_t v, std::int64_t cap);

  /// The value of a maximum flow from s to t over the arcs added since clear() (the minimum
  /// cut), by Dinic's blocking flows.
  std::int64_t run(std::int32_t s, std::int32_t t);

 private:
  bool build_levels(std::int32_t s, std::int32_t t);

  std::vector<std::int32_t> from_, to_;  // the arcs as added
  std::vector<std::int64_t> cap0_;
  std::int32_t nodes_ = 0;
  // CSR residual graph: arcs of node u are [head_[u], head_[u + 1]); rev_[a] is a's reverse.
  std::vector<std::int32_t> head_, adj_, rev_, it_, level_, queue_, path_;
  std::vector<std::int64_t> cap_;
};

}  // namespace gaus::detail
