// Maximum preflows of a monotone parametric family (Gallo, Grigoriadis and Tarjan 1989) by
// highest-label push-relabel over CSR arrays: between solves, nodes only join the source side
// for good (make_source) or lose their infinite arc to the sink (drop_sink_arc). Capacities out
// of the source then only grow and into the sink only shrink, so the distance labels of one
// solve stay valid for the next and never decrease, and a whole sweep of parameters costs
// about one max flow. Used by the min-cut memory bound (host/bounds/memory_cut_bound.cpp), one
// parameter per step.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace gaus::detail {

class ParametricFlow {
 public:
  /// An "infinite" capacity: larger than any flow as long as the finite capacities sum below
  /// 2^60.
  static constexpr std::int64_t kInfinite = std::int64_t{1} << 61;

  /// A new graph of `nodes` nodes (ids 0 .. nodes - 1), `sink` among them, no arcs.
  void reset(std::int32_t nodes, std::int32_t sink);
  /// Arc u -> v of capacity cap >= 0, before start().
  void add_arc(std::int32_t u, std::int32_t v, std::int64_t cap);
  /// An infinite arc v -> sink, removable by drop_sink_arc(v) (one per node), before start().
  void add_sink_arc(std::int32_t v);
  /// Lays the arcs out; no flow, no sources.
  void start();

  /// v joins the source side for good: every residual arc out of v is saturated. Call it for
  /// all nodes that join at one parameter before any of their arcs are pushed on: finish_sources
  /// does the saturating (so that infinite arcs between new sources are skipped).
  void make_source(std::int32_t v);
  void finish_sources();
  /// Removes v's infinite arc to the sink; its flow there becomes v's excess.
  void drop_sink_arc(std::int32_t v);

  /// Pushes and relabels until no node below the top label holds excess: then sink_flow() is
  /// the minimum cut of the current graph. Returns false when stop() (polled every few thousand
  /// operations) said to stop; sink_flow() is then the value of a preflow, still at most the
  /// minimum cut.
  bool solve(const std::function<bool()>& stop = {});
  [[nodiscard]] std::int64_t sink_flow() const { return excess_[sink_]; }

 private:
  void push(std::int32_t a, std::int32_t u, std::int64_t f);
  void activate(std::int32_t v);
  void relabel(std::int32_t v);
  void global_relabel();
  void list_insert(std::int32_t v);
  void list_remove(std::int32_t v);

  std::int32_t n_ = 0, sink_ = 0;
  std::vector<std::int32_t> from_, to_;
  std::vector<std::int64_t> cap0_;
  std::vector<std::int32_t> sink_arc_;  ///< per node: its removable arc, or -1
  std::vector<std::int32_t> head_, adj_, rev_, cur_, label_;
  std::vector<std::int64_t> res_, excess_;
  std::vector<char> source_;
  std::vector<std::int32_t> new_sources_;
  // Nodes below the top label n_ that are not sources, in a doubly linked list per label (for
  // the gap rule), and the active ones (excess > 0) in a stack per label, checked when popped.
  std::vector<std::int32_t> first_, next_, prev_, count_;
  std::vector<std::vector<std::int32_t>> active_;
  std::int32_t top_active_ = -1, top_label_ = 0;
  std::vector<std::int32_t> queue_;
  std::int64_t work_ = 0;  ///< arc scans since the last global relabel
};

}  // namespace gaus::detail
