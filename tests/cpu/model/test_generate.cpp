// The seeded layered DAG generator (graphs/generate.hpp) used by the loss tests and benchmarks.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/builder.hpp"
#include "graphs/generate.hpp"

using namespace gaus;

TEST_CASE("generate: layered DAG with the requested shape, reproducible by seed") {
  GenerateOptions o;
  o.ops = 2000;
  o.layers = 40;
  o.max_fan_in = 3;
  o.span = 2;
  o.num_classes = 3;
  o.class_limit = 2;
  o.min_latency = 1;
  o.max_latency = 3;
  o.pipelined = false;
  o.loop_carried = 0.05;
  o.max_distance = 3;
  o.seed = 9;
  const Problem p = generate_layered(o);
  validate(p);
  CHECK(p.num_ops() == 2000);
  CHECK(p.name(17) == "n17");
  CHECK(p.resources.size() == 3);
  for (const auto& r : p.resources) CHECK(r.limit == 2);
  const auto layer = [&](op_id i) { return static_cast<std::int64_t>(i) * 40 / 2000; };
  for (op_id i = 0; i < p.num_ops(); ++i) {
    CHECK(p.latency[i] >= 1);
    CHECK(p.latency[i] <= 3);
    CHECK(p.blocking[i] == p.latency[i]);  // non-pipelined
    CHECK(p.op_resource[i] >= 0);
    CHECK(p.weight[i] >= 1.0);
    CHECK(p.out_size[i] <= 4.0);
  }
  std::int64_t back = 0;
  for (op_id j = 0; j < p.num_ops(); ++j) {
    std::set<op_id> preds;
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.edge_distance[e] > 0) continue;
      const op_id i = p.edge_src[e];
      CHECK(preds.insert(i).second);  // distinct predecessors
      CHECK(layer(i) < layer(j));
      CHECK(layer(i) >= layer(j) - 2);  // within the span
      CHECK(p.edge_delay[e] == p.latency[i]);
    }
    CHECK(preds.size() <= 3);
    if (layer(j) > 0) CHECK(!preds.empty());
  }
  for (edge_id e = 0; e < p.num_edges(); ++e)
    if (p.edge_distance[e] > 0) {
      ++back;
      CHECK(p.edge_distance[e] <= 3);
      CHECK(p.edge_src[e] > p.edge_dst[e]);  // later op feeds an earlier one
    }
  CHECK(back == 100);
  // Same seed, same graph; another seed, another graph.
  const Problem again = generate_layered(o);
  CHECK(again.edge_src == p.edge_src);
  CHECK(again.edge_dst == p.edge_dst);
  CHECK(again.latency == p.latency);
  o.seed = 10;
  CHECK(generate_layered(o).edge_src != p.edge_src);
}

TEST_CASE("generate: delay-0 edges, no units, one op, bad options") {
  GenerateOptions o;
  o.ops = 300;
  o.zero_delay = true;
  o.num_classes = 0;
  o.edge_weight_fraction = 1.0;
  const Problem p = generate_layered(o);
  CHECK(p.resources.empty());
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    CHECK(p.edge_delay[e] == 0);
    CHECK(p.edge_weight[e] == 1.0);
  }
  for (op_id i = 0; i < p.num_ops(); ++i) CHECK(p.blocking[i] == 0);
  o.ops = 1;
  CHECK(generate_layered(o).num_ops() == 1);
  o.ops = 0;
  CHECK_THROWS_AS((void)generate_layered(o), InputError);
  o.ops = 10;
  o.max_latency = 0;
  o.min_latency = 1;
  CHECK_THROWS_WITH_AS((void)generate_layered(o), "generate: bad latency range", InputError);
}
