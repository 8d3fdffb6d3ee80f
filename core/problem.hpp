// The scheduling problem model (docs/design.md section 1): ops as structure-of-arrays, edges in
// CSR order (successor rows) with a predecessor index, resources with unit limits.
//
// A Problem is built by ProblemBuilder (graphs/builder.hpp), which validates it and computes a
// topological order over the distance-0 edges. validate() re-checks every invariant; kernels and
// heuristics trust a validated Problem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gaus {

using op_id = std::int32_t;    ///< op index; 32 bits (10^7 ops fit comfortably)
using edge_id = std::int64_t;  ///< edge index; 64 bits so edge counts may pass 2^31

inline constexpr std::int32_t kUnlimited = -1;   ///< resource limit meaning "no limit"
inline constexpr std::int32_t kNoResource = -1;  ///< op uses no resource class

/// Problem::edge_flags bits. An auxiliary edge orders two ops but carries no value: no chaining
/// runs along it. A chain-breaking edge is derived by the builder from the ops' delays and the
/// cycle time (docs/design.md section 1.3); it is auxiliary too, and writers leave it out.
inline constexpr std::uint8_t kEdgeAuxiliary = 1;
inline constexpr std::uint8_t kEdgeChainBreak = 2;

/// A unit class: `limit` units (kUnlimited = -1 for no limit).
struct Resource {
  std::string name;
  std::int32_t limit = kUnlimited;
};

/// Op names stored in one character buffer (a 10^7-op graph must not hold 10^7 std::strings).
class NamePool {
 public:
  void reserve(std::size_t count, std::size_t chars) {
    offsets_.reserve(count + 1);
    chars_.reserve(chars);
  }
  void push_back(std::string_view name) {
    chars_.append(name);
    offsets_.push_back(chars_.size());
  }
  [[nodiscard]] std::string_view operator[](std::size_t i) const {
    return std::string_view(chars_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  [[nodiscard]] std::size_t size() const { return offsets_.size() - 1; }
  void clear() {
    chars_.clear();
    offsets_.assign(1, 0);
  }

 private:
  std::string chars_;
  std::vector<std::uint64_t> offsets_{0};
};

struct Problem {
  std::string source;  ///< where it was read from (for messages), may be empty

  // ---- ops, structure of arrays, each of length num_ops() ----
  NamePool names;                        ///< op names as in the input file
  std::vector<std::int32_t> op_type;     ///< index into type_names
  std::vector<std::int32_t> op_resource; ///< index into resources, or kNoResource
  std::vector<std::int32_t> latency;     ///< L_i >= 0: cycles until the result is ready
  std::vector<std::int32_t> blocking;    ///< B_i >= 0: cycles the op holds its unit
  std::vector<double> weight;            ///< w_i >= 0: resource weight (formulation A)
  std::vector<double> out_size;          ///< b_i >= 0: bits stored (formulations B, C)
  /// Operator chaining (docs/design.md section 1.3): per op, the combinational delay from its
  /// inputs to the first register (incoming) and from the last register to its output
  /// (outgoing), in the unit of cycle_time. Both empty when no op has delays.
  std::vector<double> in_delay, out_delay;

  std::vector<std::string> type_names;   ///< op types as written in the input
  std::vector<Resource> resources;       ///< unit classes

  // ---- edges, sorted by source: edges of op i are [succ_offsets[i], succ_offsets[i+1]) ----
  std::vector<edge_id> succ_offsets;       ///< length num_ops()+1
  std::vector<op_id> edge_src;             ///< i of edge i -> j
  std::vector<op_id> edge_dst;             ///< j of edge i -> j
  std::vector<std::int32_t> edge_delay;    ///< lambda_e: legal iff s_j + delta_e*II >= s_i + lambda_e
  std::vector<std::int32_t> edge_distance; ///< delta_e >= 0; > 0 marks a loop-carried edge
  std::vector<double> edge_weight;         ///< c_e >= 0: communication weight
  std::vector<std::uint8_t> edge_flags;    ///< kEdge* bits per edge; empty when all are 0

  // ---- predecessor index: edges into op j are pred_edges[pred_offsets[j] .. pred_offsets[j+1]) ----
  std::vector<edge_id> pred_offsets;  ///< length num_ops()+1
  std::vector<edge_id> pred_edges;    ///< edge ids grouped by destination

  /// All ops in an order where every distance-0 edge goes forward.
  std::vector<op_id> topo_order;

  std::int32_t horizon = 0;  ///< D from the input; 0 = not given (default: critical path)
  std::int32_t ii = 0;       ///< initiation interval from the input; 0 = not given
  /// Clock period for chaining (same unit as the delays); 0 = none: ops chain without limit.
  double cycle_time = 0;

  [[nodiscard]] op_id num_ops() const { return static_cast<op_id>(latency.size()); }
  [[nodiscard]] edge_id num_edges() const { return static_cast<edge_id>(edge_src.size()); }
  [[nodiscard]] std::string_view name(op_id i) const { return names[static_cast<std::size_t>(i)]; }
  [[nodiscard]] edge_id num_loop_carried() const {
    edge_id n = 0;
    for (auto d : edge_distance) n += d > 0;
    return n;
  }
  /// Whether ops carry chaining delays (then a schedule has a start time in cycle per op).
  [[nodiscard]] bool has_delays() const { return !in_delay.empty(); }
  [[nodiscard]] std::uint8_t flags(edge_id e) const {
    return edge_flags.empty() ? std::uint8_t{0} : edge_flags[static_cast<std::size_t>(e)];
  }
  /// Whether edge e carries a value (not auxiliary, not chain-breaking).
  [[nodiscard]] bool carries_value(edge_id e) const { return (flags(e) & kEdgeAuxiliary) == 0; }
  [[nodiscard]] bool has_unit_limits() const {
    for (const auto& r : resources)
      if (r.limit >= 0) return true;
    return false;
  }
};

/// "'name'": an op's name as messages quote it (names are often bare numbers).
inline std::string quoted_name(const Problem& p, op_id i) {
  const std::string_view name = p.name(i);
  std::string q;
  q.reserve(name.size() + 2);
  q += '\'';
  q += name;
  q += '\'';
  return q;
}

}  // namespace gaus
