// generate_loop (graphs/generate.hpp): seeded modulo-scheduling loop bodies with tight unit
// limits, non-pipelined units and recurrences, for the II search's benchmark suite and tests.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "graphs/generate.hpp"
#include "graphs/splitmix.hpp"

namespace gaus {

namespace {

[[noreturn]] void bad(const std::string& m) { throw InputError("generate loop: " + m); }

void check(const LoopOptions& o) {
  if (o.ops < 2 || o.ops > 100000) bad("ops must be in [2, 10^5], got " + std::to_string(o.ops));
  if (o.num_classes < 1 || o.num_classes > 64)
    bad("classes must be in [1, 64], got " + std::to_string(o.num_classes));
  if (o.non_pipelined < 0 || o.non_pipelined > o.num_classes)
    bad("non-pipelined classes must be in [0, classes], got " + std::to_string(o.non_pipelined));
  if (o.min_latency < 1 || o.max_latency < o.min_latency || o.max_latency > 1000)
    bad("latency range must satisfy 1 <= min <= max <= 1000, got " +
        std::to_string(o.min_latency) + "-" + std::to_string(o.max_latency));
  if (o.non_pipelined > 0 && o.max_latency < 2)
    bad("non-pipelined classes need a latency of at least 2 (max latency is " +
        std::to_string(o.max_latency) + ")");
  if (o.target_ii < 0 || o.target_ii > 1000000)
    bad("target II must be in [0, 10^6] (0: max(4, ops / 20)), got " +
        std::to_string(o.target_ii));
  if (o.recurrences < 0 || o.recurrences > o.ops)
    bad("recurrences must be in [0, ops] (0: max(2, ops / 100)), got " +
        std::to_string(o.recurrences));
  if (o.max_distance < 1 || o.max_distance > 64)
    bad("max distance must be in [1, 64], got " + std::to_string(o.max_distance));
  if (o.max_fan_in < 1 || o.max_fan_in > 64)
    bad("fan-in must be in [1, 64], got " + std::to_string(o.max_fan_in));
  if (!(o.free_fraction >= 0.0 && o.free_fraction < 1.0))
    bad("free fraction must be in [0, 1)");
}

struct UnitClass {
  std::string name;
  std::int32_t latency = 1;
  std::int32_t blocking = 1;
  std::int64_t ops = 0;
};

}  // namespace

Problem generate_loop(const LoopOptions& o) {
  check(o);
  const std::int64_t n = o.ops;
  const std::int64_t target = o.target_ii > 0 ? o.target_ii : std::max<std::int64_t>(4, n / 20);
  const std::int64_t circuits =
      o.recurrences > 0 ? o.recurrences : std::max<std::int64_t>(2, n / 100);
  const std::int64_t layers = std::clamp<std::int64_t>(std::llround(std::sqrt(double(n))), 2, n);
  SplitMix64 rng(o.seed);
  const auto uniform = [&](std::int32_t lo, std::int32_t hi) {
    return lo + static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(hi - lo + 1)));
  };

  // Classes: the first K - non_pipelined pipelined (B = 1, drawn 3 times as often), the rest
  // holding their unit B in [2, L] cycles.
  const std::int32_t k_count = o.num_classes;
  const std::int32_t pipelined = k_count - o.non_pipelined;
  std::vector<UnitClass> cls(static_cast<std::size_t>(k_count));
  for (std::int32_t k = 0; k < k_count; ++k) {
    UnitClass& c = cls[k];
    c.name.assign(1, 'u');
    c.name += std::to_string(k);
    if (k < pipelined) {
      c.latency = uniform(o.min_latency, o.max_latency);
    } else {
      c.latency = uniform(std::max(2, o.min_latency), o.max_latency);
      c.blocking = uniform(2, c.latency);
    }
  }
  const std::int64_t total_weight = 3 * pipelined + o.non_pipelined;
  std::vector<std::int32_t> op_class(static_cast<std::size_t>(n), -1);
  for (std::int64_t i = 0; i < n; ++i) {
    if (rng.unit() < o.free_fraction) continue;
    auto w = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total_weight)));
    const std::int32_t k = w < 3 * pipelined ? static_cast<std::int32_t>(w / 3)
                                             : pipelined + static_cast<std::int32_t>(w - 3 * pipelined);
    op_class[i] = k;
    ++cls[k].ops;
  }

  ProblemBuilder b("generated-loop", /*index_names=*/false);
  for (const UnitClass& c : cls) {
    const std::int64_t busy = c.ops * c.blocking;
    b.add_resource(c.name, static_cast<std::int32_t>(std::max<std::int64_t>(
                               1, (busy + target - 1) / target)));
  }
  std::vector<std::int32_t> latency(static_cast<std::size_t>(n), 1);
  std::string name;
  for (std::int64_t i = 0; i < n; ++i) {
    name.assign(1, 'n');
    name += std::to_string(i);
    const std::int32_t k = op_class[i];
    const op_id op = b.add_op(name, k < 0 ? std::string_view() : std::string_view(cls[k].name));
    if (k >= 0) {
      latency[i] = cls[k].latency;
      b.set_blocking(op, cls[k].blocking);
    }
    b.set_latency(op, latency[i]);
    b.set_weight(op, 1.0 + 3.0 * rng.unit());
    b.set_out_size(op, 1.0 + 3.0 * rng.unit());
  }

  // Distance-0 edges: each op past layer 0 takes 1..fan-in distinct predecessors from the three
  // layers before its own.
  const auto first = [&](std::int64_t layer) { return layer * n / layers; };
  std::vector<std::vector<op_id>> succ(static_cast<std::size_t>(n));
  std::set<std::pair<op_id, op_id>> edges;
  const auto add_edge = [&](op_id src, op_id dst, std::int32_t distance) {
    if (!edges.emplace(src, dst).second) return false;
    EdgeSpec e;
    e.src = src;
    e.dst = dst;
    e.distance = distance;
    b.add_edge(e);
    if (distance == 0) succ[src].push_back(dst);
    return true;
  };
  for (std::int64_t layer = 1; layer < layers; ++layer) {
    const std::int64_t lo = first(std::max<std::int64_t>(0, layer - 3));
    const std::int64_t hi = first(layer);
    for (std::int64_t j = hi; j < first(layer + 1); ++j) {
      const std::int32_t want = uniform(1, o.max_fan_in);
      for (std::int32_t got = 0, tries = 0; got < want && tries < 2 * want; ++tries)
        if (add_edge(static_cast<op_id>(lo + static_cast<std::int64_t>(
                                                  rng.below(static_cast<std::uint64_t>(hi - lo)))),
                     static_cast<op_id>(j), 0))
          ++got;
    }
  }

  // Recurrences: from an op in the first half, an edge of distance d back from an op v that it
  // reaches over distance-0 edges, v the one whose longest path (delay sum, v's latency
  // included) comes closest to a share in [1/2, 1] of d * target without passing it; or an
  // accumulator (a self-loop of distance 1). Ops are in topological order, so one forward pass
  // from the start gives the longest paths.
  std::vector<std::int64_t> reach(static_cast<std::size_t>(n), -1);
  for (std::int64_t r = 0; r < circuits; ++r) {
    const auto start =
        static_cast<op_id>(rng.below(static_cast<std::uint64_t>(first(layers / 2 + 1))));
    if (rng.below(4) == 0) {
      if (latency[start] <= target) add_edge(start, start, 1);
      continue;
    }
    const std::int32_t d = uniform(1, o.max_distance);
    const auto want = static_cast<std::int64_t>(double(d * target) * (0.5 + 0.5 * rng.unit()));
    std::fill(reach.begin() + start, reach.end(), -1);
    reach[start] = 0;
    op_id last = start;
    for (op_id i = start; i < n; ++i) {
      if (reach[i] < 0) continue;
      const std::int64_t sum = reach[i] + latency[i];
      if (sum <= want && sum > reach[last] + latency[last]) last = i;
      for (const op_id j : succ[i]) reach[j] = std::max(reach[j], sum);
    }
    if (last != start) add_edge(last, start, d);
  }
  return b.build();
}

}  // namespace gaus
