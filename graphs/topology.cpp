// Topological order over distance-0 edges (Boost.Graph depth-first search) and the structural
// validation of a Problem.
#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <cmath>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "graphs/builder.hpp"

namespace gaus {

namespace {

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                               boost::no_property, boost::no_property,
                                               std::uint32_t, std::uint64_t>;
using Vertex = boost::graph_traits<Csr>::vertex_descriptor;

struct BackEdge {
  Vertex from, to;
};

/// Records finish order and DFS-tree parents; stops at the first back edge (a cycle).
class TopoVisitor : public boost::default_dfs_visitor {
 public:
  TopoVisitor(std::vector<op_id>* finish, std::vector<op_id>* parent)
      : finish_(finish), parent_(parent) {}
  void tree_edge(boost::graph_traits<Csr>::edge_descriptor e, const Csr& g) const {
    (*parent_)[boost::target(e, g)] = static_cast<op_id>(boost::source(e, g));
  }
  void back_edge(boost::graph_traits<Csr>::edge_descriptor e, const Csr& g) const {
    throw BackEdge{boost::source(e, g), boost::target(e, g)};
  }
  void finish_vertex(Vertex v, const Csr&) const { finish_->push_back(static_cast<op_id>(v)); }

 private:
  std::vector<op_id>* finish_;
  std::vector<op_id>* parent_;
};

}  // namespace

void compute_topological_order(Problem& p) {
  const op_id n = p.num_ops();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  pairs.reserve(static_cast<std::size_t>(p.num_edges()));
  for (edge_id k = 0; k < p.num_edges(); ++k)
    if (p.edge_distance[k] == 0)
      pairs.emplace_back(static_cast<std::uint32_t>(p.edge_src[k]),
                         static_cast<std::uint32_t>(p.edge_dst[k]));
  // Edges are already sorted by source (CSR order), so the sorted-input constructor applies.
  Csr g(boost::edges_are_sorted, pairs.begin(), pairs.end(), static_cast<std::uint32_t>(n));
  pairs = {};

  std::vector<op_id> finish;
  finish.reserve(static_cast<std::size_t>(n));
  std::vector<op_id> parent(static_cast<std::size_t>(n), -1);
  std::vector<boost::default_color_type> color(static_cast<std::size_t>(n));
  try {
    boost::depth_first_search(
        g, boost::visitor(TopoVisitor(&finish, &parent))
               .color_map(boost::make_iterator_property_map(color.begin(),
                                                            boost::get(boost::vertex_index, g))));
  } catch (const BackEdge& b) {
    // The cycle is to -> ... -> from (tree path) -> to (the back edge).
    std::vector<op_id> cycle;
    for (op_id v = static_cast<op_id>(b.from); v != static_cast<op_id>(b.to); v = parent[v])
      cycle.push_back(v);
    cycle.push_back(static_cast<op_id>(b.to));
    std::reverse(cycle.begin(), cycle.end());
    std::string msg = "dependence cycle over distance-0 edges: ";
    const std::size_t shown = std::min<std::size_t>(cycle.size(), 12);
    for (std::size_t i = 0; i < shown; ++i) msg += "'" + std::string(p.name(cycle[i])) + "' -> ";
    if (shown < cycle.size())
      msg += "... (" + std::to_string(cycle.size() - shown) + " more) -> ";
    msg += "'" + std::string(p.name(cycle[0])) + "'";
    input_error(p.source, 0, msg);
  }
  std::reverse(finish.begin(), finish.end());
  p.topo_order = std::move(finish);
}

void index_predecessors(Problem& p) {
  const op_id n = p.num_ops();
  const edge_id m = p.num_edges();
  p.pred_offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  for (edge_id k = 0; k < m; ++k) ++p.pred_offsets[p.edge_dst[k] + 1];
  for (op_id i = 0; i < n; ++i) p.pred_offsets[i + 1] += p.pred_offsets[i];
  p.pred_edges.resize(static_cast<std::size_t>(m));
  std::vector<edge_id> fill(p.pred_offsets.begin(), p.pred_offsets.end() - 1);
  for (edge_id k = 0; k < m; ++k) p.pred_edges[fill[p.edge_dst[k]]++] = k;
}

void validate(const Problem& p) {
  const op_id n = p.num_ops();
  const edge_id m = p.num_edges();
  auto fail = [&](const std::string& what) { input_error(p.source, 0, "invalid model: " + what); };
  auto sized = [&](std::size_t got, std::size_t want, const char* what) {
    if (got != want)
      fail(std::string(what) + " has " + std::to_string(got) + " entries, expected " +
           std::to_string(want));
  };
  const auto un = static_cast<std::size_t>(n);
  const auto um = static_cast<std::size_t>(m);
  sized(p.names.size(), un, "names");
  sized(p.op_type.size(), un, "op_type");
  sized(p.op_resource.size(), un, "op_resource");
  sized(p.blocking.size(), un, "blocking");
  sized(p.weight.size(), un, "weight");
  sized(p.out_size.size(), un, "out_size");
  sized(p.edge_dst.size(), um, "edge_dst");
  sized(p.edge_delay.size(), um, "edge_delay");
  sized(p.edge_distance.size(), um, "edge_distance");
  sized(p.edge_weight.size(), um, "edge_weight");
  sized(p.succ_offsets.size(), un + 1, "succ_offsets");
  sized(p.pred_offsets.size(), un + 1, "pred_offsets");
  sized(p.pred_edges.size(), um, "pred_edges");
  sized(p.topo_order.size(), un, "topo_order");
  if (!p.edge_flags.empty()) sized(p.edge_flags.size(), um, "edge_flags");
  if (!p.in_delay.empty() || !p.out_delay.empty()) {
    sized(p.in_delay.size(), un, "in_delay");
    sized(p.out_delay.size(), un, "out_delay");
  }
  if (!(p.cycle_time >= 0) || !std::isfinite(p.cycle_time)) fail("bad cycle time");
  if (p.horizon < 0) fail("negative horizon");
  if (p.ii < 0) fail("negative II");

  for (op_id i = 0; i < n; ++i) {
    const std::string op = "op '" + std::string(p.name(i)) + "'";
    if (p.op_type[i] < -1 || p.op_type[i] >= static_cast<std::int32_t>(p.type_names.size()))
      fail(op + ": type index out of range");
    if (p.op_resource[i] < -1 || p.op_resource[i] >= static_cast<std::int32_t>(p.resources.size()))
      fail(op + ": resource index out of range");
    if (p.latency[i] < 0) fail(op + ": negative latency");
    if (p.blocking[i] < 0) fail(op + ": negative blocking time");
    if (!(p.weight[i] >= 0) || !std::isfinite(p.weight[i])) fail(op + ": bad weight");
    if (!(p.out_size[i] >= 0) || !std::isfinite(p.out_size[i])) fail(op + ": bad output size");
    if (p.has_delays() && (!(p.in_delay[i] >= 0) || !std::isfinite(p.in_delay[i]) ||
                           !(p.out_delay[i] >= 0) || !std::isfinite(p.out_delay[i])))
      fail(op + ": bad delay");
  }
  for (const auto& r : p.resources)
    if (r.limit < kUnlimited) fail("resource '" + r.name + "': negative limit");

  auto check_offsets = [&](const std::vector<edge_id>& off, const char* what) {
    if (off[0] != 0 || off[un] != m) fail(std::string(what) + ": offsets do not span the edges");
    for (std::size_t i = 0; i < un; ++i)
      if (off[i + 1] < off[i]) fail(std::string(what) + ": offsets decrease");
  };
  check_offsets(p.succ_offsets, "succ_offsets");
  check_offsets(p.pred_offsets, "pred_offsets");
  for (op_id i = 0; i < n; ++i)
    for (edge_id k = p.succ_offsets[i]; k < p.succ_offsets[i + 1]; ++k) {
      if (p.edge_src[k] != i) fail("edge " + std::to_string(k) + " is in the wrong CSR row");
      if (p.edge_dst[k] < 0 || p.edge_dst[k] >= n)
        fail("edge " + std::to_string(k) + ": destination out of range");
      if (p.edge_delay[k] < 0 || p.edge_distance[k] < 0)
        fail("edge " + std::to_string(k) + ": negative delay or distance");
      if (!(p.edge_weight[k] >= 0) || !std::isfinite(p.edge_weight[k]))
        fail("edge " + std::to_string(k) + ": bad weight");
      if (p.flags(k) > (kEdgeAuxiliary | kEdgeChainBreak) ||
          p.flags(k) == kEdgeChainBreak)  // a chain-breaking edge is auxiliary too
        fail("edge " + std::to_string(k) + ": bad flags");
    }
  std::vector<char> seen(um, 0);
  for (op_id j = 0; j < n; ++j)
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id k = p.pred_edges[q];
      if (k < 0 || k >= m || p.edge_dst[k] != j || seen[k])
        fail("predecessor index entry " + std::to_string(q) + " is wrong");
      seen[k] = 1;
    }
  std::vector<op_id> pos(un, -1);
  for (std::size_t t = 0; t < un; ++t) {
    const op_id v = p.topo_order[t];
    if (v < 0 || v >= n || pos[v] != -1) fail("topo_order is not a permutation of the ops");
    pos[v] = static_cast<op_id>(t);
  }
  for (edge_id k = 0; k < m; ++k)
    if (p.edge_distance[k] == 0 && pos[p.edge_src[k]] >= pos[p.edge_dst[k]])
      fail("topo_order puts '" + std::string(p.name(p.edge_dst[k])) + "' before its predecessor '" +
           std::string(p.name(p.edge_src[k])) + "'");
}

}  // namespace gaus
