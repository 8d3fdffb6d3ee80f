// Seeded synthetic layered random DAGs for tests and the 10^5..10^7-op loss benchmarks. The
// generator is reproducible across platforms (its own splitmix64 stream, no std distributions).
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

}  // namespace gaus
