// Seeded synthetic graphs: layered random DAGs for tests and the 10^5..10^7-op loss benchmarks
// (graphs/generate.cpp), and modulo-scheduling loop bodies for the II search (generate_loop.cpp).
// Both are reproducible across platforms (their own splitmix64 stream, no std distributions).
#pragma once

#include <cstdint>

#include "core/problem.hpp"

namespace gaus {

struct GenerateOptions {
  std::int64_t ops = 1000;          ///< N >= 1
  std::int32_t layers = 0;          ///< ops are split into this many layers; 0 = about sqrt(N)
  std::int32_t max_fan_in = 2;      ///< an op past layer 0 gets 1..max_fan_in distinct predecessors
  std::int32_t span = 2;            ///< predecessors come from the `span` layers before its own
  std::int32_t num_classes = 2;     ///< unit classes "u0".."u{k-1}"; 0 = ops use no unit
  std::int32_t class_limit = 2;     ///< limit of every class (-1 = unlimited)
  std::int32_t min_latency = 1;     ///< latencies uniform in [min_latency, max_latency]
  std::int32_t max_latency = 2;
  bool pipelined = true;            ///< blocking 1, else blocking = latency
  bool zero_delay = false;          ///< edge delay 0 (formulation A) instead of the source latency
  double edge_weight_fraction = 0.5;///< share of edges with weight 1 (the others 0)
  double max_op_weight = 4.0;       ///< op weights and output sizes uniform in [1, max]
  double loop_carried = 0.0;        ///< extra back edges (later op -> earlier op), per op
  std::int32_t max_distance = 2;    ///< their distances uniform in [1, max_distance]
  std::uint64_t seed = 1;
};

/// Builds the graph (ops named "n<i>", listed layer by layer). Throws InputError on bad options.
Problem generate_layered(const GenerateOptions& options);

/// Options of generate_loop: a loop body for modulo scheduling in the style of the HatScheT
/// benchmark loops (hundreds to thousands of ops, recurrences, non-pipelined units).
struct LoopOptions {
  std::int64_t ops = 1000;            ///< N in [2, 10^5]
  std::int32_t num_classes = 5;       ///< limited unit classes "u0".."u{K-1}", K in [1, 64]
  std::int32_t non_pipelined = 2;     ///< the last this many classes hold a unit B > 1 cycles
  std::int32_t min_latency = 1;       ///< each class's latency uniform in [min, max]
  std::int32_t max_latency = 8;       ///< (a non-pipelined class's at least 2; B in [2, L])
  std::int32_t target_ii = 0;         ///< limits and recurrences sized for it; 0 = max(4, N/20)
  std::int32_t recurrences = 0;       ///< recurrence circuits; 0 = max(2, N/100)
  std::int32_t max_distance = 3;      ///< a circuit's distance uniform in [1, max_distance]
  std::int32_t max_fan_in = 3;        ///< distance-0 predecessors per op past the first layer
  double free_fraction = 0.25;        ///< share of ops on no unit (latency 1)
  std::uint64_t seed = 1;
};

/// Builds a loop body (ops "n<i>" in a topological order of the distance-0 edges, in about
/// sqrt(N) layers). Each limited class has one latency and blocking time; its limit is the
/// fewest units that keep its busy cycles per II within target_ii, so the busiest classes put
/// ResMII at or just under target_ii. Each recurrence is a loop-carried edge of distance d that
/// closes distance-0 paths whose longest delay sum is at most d * target_ii (about a quarter are
/// accumulators: a self-loop of distance 1). A circuit alone stays within target_ii; circuits that share ops
/// may form longer cycles, so RecMII can pass it. Cost O(N + M) per recurrence. Every edge's
/// delay is its source's latency. Throws InputError on bad options.
Problem generate_loop(const LoopOptions& options);

}  // namespace gaus
