// generate_loop (graphs/generate.hpp): seeded modulo-scheduling loop bodies.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "graphs/analysis.hpp"
#include "graphs/builder.hpp"
#include "graphs/generate.hpp"

using namespace gaus;

namespace {

LoopOptions loop_options(std::int64_t ops, std::uint64_t seed) {
  LoopOptions o;
  o.ops = ops;
  o.seed = seed;
  return o;
}

/// Longest delay sum of a distance-0 path from `from` to `to` (-1 when none); ops are listed in
/// a topological order of the distance-0 edges, so one forward pass suffices.
std::int64_t longest_path(const Problem& p, op_id from, op_id to) {
  std::vector<std::int64_t> dist(static_cast<std::size_t>(p.num_ops()), -1);
  dist[from] = 0;
  for (op_id i = from; i <= to; ++i) {
    if (dist[i] < 0) continue;
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0 && p.edge_dst[e] != i)
        dist[p.edge_dst[e]] = std::max(dist[p.edge_dst[e]], dist[i] + p.edge_delay[e]);
  }
  return dist[to];
}

}  // namespace

TEST_CASE("generate_loop: the same seed gives the same loop, another seed another") {
  const Problem a = generate_loop(loop_options(700, 4));
  const Problem b = generate_loop(loop_options(700, 4));
  const Problem c = generate_loop(loop_options(700, 5));
  REQUIRE(a.num_ops() == b.num_ops());
  REQUIRE(a.num_edges() == b.num_edges());
  CHECK(a.latency == b.latency);
  CHECK(a.blocking == b.blocking);
  CHECK(a.op_resource == b.op_resource);
  CHECK(a.edge_src == b.edge_src);
  CHECK(a.edge_dst == b.edge_dst);
  CHECK(a.edge_distance == b.edge_distance);
  for (std::size_t k = 0; k < a.resources.size(); ++k)
    CHECK(a.resources[k].limit == b.resources[k].limit);
  CHECK((a.edge_src != c.edge_src || a.op_resource != c.op_resource));
}

TEST_CASE("generate_loop: tight limits, non-pipelined classes and recurrences within the target") {
  for (const std::int64_t ops : {500, 1000, 1500}) {
    LoopOptions o = loop_options(ops, 11);
    const Problem p = generate_loop(o);
    validate(p);
    const std::int64_t target = ops / 20;
    CHECK(p.num_ops() == ops);
    REQUIRE(p.resources.size() == 5);
    std::vector<std::int64_t> busy(5, 0), latency(5, -1), blocking(5, -1);
    std::int64_t free_ops = 0;
    for (op_id i = 0; i < p.num_ops(); ++i) {
      const std::int32_t k = p.op_resource[i];
      if (k == kNoResource) {
        ++free_ops;
        CHECK(p.latency[i] == 1);
        continue;
      }
      if (latency[k] < 0) latency[k] = p.latency[i], blocking[k] = p.blocking[i];
      CHECK(p.latency[i] == latency[k]);  // one latency and blocking time per class
      CHECK(p.blocking[i] == blocking[k]);
      busy[k] += p.blocking[i];
    }
    CHECK(free_ops > ops / 8);
    CHECK(free_ops < ops * 3 / 8);
    for (std::int32_t k = 0; k < 5; ++k) {
      CHECK(latency[k] >= 1);
      CHECK(latency[k] <= 8);
      if (k < 3) CHECK(blocking[k] == 1);
      else CHECK((blocking[k] >= 2 && blocking[k] <= latency[k]));
      // The fewest units that keep the class's busy cycles within the target II.
      const std::int64_t c = p.resources[k].limit;
      CHECK(busy[k] <= c * target);
      if (c > 1) CHECK(busy[k] > (c - 1) * target);
    }
    const std::int32_t res = compute_res_mii(p);
    CHECK(res <= target);
    CHECK(res >= target * 3 / 4);
    std::int64_t circuits = 0;
    for (edge_id e = 0; e < p.num_edges(); ++e) {
      if (p.edge_distance[e] == 0) {
        CHECK(p.edge_src[e] < p.edge_dst[e]);  // listed in topological order
        continue;
      }
      ++circuits;
      const op_id src = p.edge_src[e], dst = p.edge_dst[e];
      CHECK(p.edge_delay[e] == p.latency[src]);
      CHECK(p.edge_distance[e] <= 3);
      // The edge closes a path whose delay sum stays within distance * target.
      const std::int64_t path = longest_path(p, dst, src);
      REQUIRE(path >= 0);
      if (src != dst) CHECK(path > 0);
      CHECK(path + p.edge_delay[e] > 0);
    }
    CHECK(circuits >= ops / 100 / 2);
    CHECK(circuits <= ops / 100);
    CHECK(compute_rec_mii(p) > 0);
  }
}

TEST_CASE("generate_loop: a recurrence's own delay sum stays within its distance times the target") {
  // One recurrence: the only cycles are its own, so RecMII is its delay sum over its distance.
  LoopOptions o = loop_options(400, 3);
  o.recurrences = 1;
  o.target_ii = 30;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    o.seed = seed;
    const Problem p = generate_loop(o);
    CHECK(compute_rec_mii(p) <= 30);
  }
}

TEST_CASE("generate_loop: bad options throw InputError") {
  const auto throws = [](auto edit) {
    LoopOptions o = loop_options(100, 1);
    edit(o);
    CHECK_THROWS_AS((void)generate_loop(o), InputError);
  };
  throws([](LoopOptions& o) { o.ops = 1; });
  throws([](LoopOptions& o) { o.num_classes = 0; });
  throws([](LoopOptions& o) { o.non_pipelined = 6; });
  throws([](LoopOptions& o) { o.max_latency = 1; });
  throws([](LoopOptions& o) { o.min_latency = 0; });
  throws([](LoopOptions& o) { o.target_ii = -1; });
  throws([](LoopOptions& o) { o.recurrences = 101; });
  throws([](LoopOptions& o) { o.max_distance = 0; });
  throws([](LoopOptions& o) { o.free_fraction = 1.0; });
}
