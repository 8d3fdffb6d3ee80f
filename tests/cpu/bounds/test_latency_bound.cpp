// The latency lower bounds (host/bounds/latency_bound.hpp): the exact energetic bound equals the
// maximum over every subset of jobs (brute force), the one-threshold sweeps never exceed it, and
// on tiny random problems the bound never exceeds the optimal latency found by exhaustive search,
// while proving more than the critical path on some and the optimum on most, with each
// argument (classes, propagation, time windows) the deciding one on some.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/schedule.hpp"
#include "core/timing.hpp"
#include "host/bounds/latency_bound.hpp"
#include "host/verify/verify.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"

using namespace gaus;
using gaus::test::Net;

namespace {

/// max over non-empty subsets of min head + ceil(sum busy / units) + min tail.
std::int64_t subsets_bound(const std::vector<EnergyJob>& jobs, std::int64_t units) {
  std::int64_t best = std::numeric_limits<std::int64_t>::min();
  for (std::uint32_t mask = 1; mask < (1u << jobs.size()); ++mask) {
    std::int64_t head = std::numeric_limits<std::int64_t>::max(), tail = head, sum = 0;
    for (std::size_t k = 0; k < jobs.size(); ++k)
      if (mask >> k & 1u) {
        head = std::min(head, jobs[k].head);
        tail = std::min(tail, jobs[k].tail);
        sum += jobs[k].busy;
      }
    best = std::max(best, head + (sum + units - 1) / units + tail);
  }
  return best;
}

/// The least latency of any legal schedule, by depth-first search over the starts in
/// topological order (each op from its predecessors' bound up to the latency tried), every
/// schedule found confirmed by verify().
class Exhaustive {
 public:
  explicit Exhaustive(const Problem& p) : p_(p), start_(p.num_ops(), 0) {}

  std::int32_t optimum() {
    for (std::int32_t l = critical_path(p_);; ++l) {
      use_.assign(p_.resources.size(), std::vector<std::int32_t>(static_cast<std::size_t>(l) + 64, 0));
      if (place(0, l)) {
        Schedule s;
        s.start = start_;
        s.horizon = l;
        REQUIRE(verify(p_, s).legal);
        REQUIRE(schedule_latency(p_, s) <= l);
        return l;
      }
    }
  }

 private:
  bool fits(op_id i, std::int32_t s, int add) {
    const std::int32_t k = p_.op_resource[i];
    if (k < 0 || p_.resources[k].limit < 0) return true;
    if (add > 0)
      for (std::int32_t t = s; t < s + p_.blocking[i]; ++t)
        if (use_[k][t] >= p_.resources[k].limit) return false;
    for (std::int32_t t = s; t < s + p_.blocking[i]; ++t) use_[k][t] += add;
    return true;
  }

  bool place(std::size_t pos, std::int32_t latency) {
    if (pos == p_.topo_order.size()) return true;
    const op_id j = p_.topo_order[pos];
    std::int32_t lo = 0;
    for (edge_id q = p_.pred_offsets[j]; q < p_.pred_offsets[j + 1]; ++q) {
      const edge_id e = p_.pred_edges[q];
      if (p_.edge_distance[e] == 0) lo = std::max(lo, start_[p_.edge_src[e]] + p_.edge_delay[e]);
    }
    for (std::int32_t s = lo; s + occupancy(p_, j) <= latency; ++s) {
      if (!fits(j, s, 1)) continue;
      start_[j] = s;
      if (place(pos + 1, latency)) return true;
      fits(j, s, -1);
    }
    return false;
  }

  const Problem& p_;
  std::vector<std::int32_t> start_;
  std::vector<std::vector<std::int32_t>> use_;
};

/// A random tiny problem: classes "a" (1 or 2 units), "m" (1 unit) and unlimited "f"; latencies
/// 0..3, blocking 1..latency + 1 (so sometimes past the result), edges to earlier ops.
Problem random_tiny(std::mt19937& rng, op_id n) {
  Net net;
  const char* types[] = {"a", "m", "f"};
  for (op_id i = 0; i < n; ++i) {
    // one draw per statement: the order of a call's arguments differs between compilers
    const std::int32_t lat = static_cast<std::int32_t>(rng() % 4);
    const std::int32_t blocking = 1 + static_cast<std::int32_t>(rng() % (lat + 1));
    const char* type = types[rng() % 3];
    net.op(type, lat, blocking);
    for (op_id j = 0; j < i; ++j)
      if (rng() % 4 == 0) net.edge(j, i, 0, static_cast<std::int32_t>(rng() % 2));
  }
  net.limit("a", 1 + static_cast<std::int32_t>(rng() % 2));
  net.limit("m", 1);
  return net.build();
}

}  // namespace

TEST_CASE("energy_bound: exact equals the maximum over all subsets, the sweeps stay below") {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = 1 + rng() % 9;
    std::vector<EnergyJob> jobs(n);
    for (EnergyJob& j : jobs) {
      j.head = static_cast<std::int64_t>(rng() % 8);
      j.busy = 1 + static_cast<std::int64_t>(rng() % 4);
      j.tail = static_cast<std::int64_t>(rng() % 8) - 2;
    }
    const std::int64_t units = 1 + static_cast<std::int64_t>(rng() % 3);
    const std::int64_t exact = energy_bound(jobs, units);
    CHECK(exact == subsets_bound(jobs, units));
    const std::int64_t swept = energy_bound(jobs, units, 0);
    CHECK(swept <= exact);
    // Each sweep's subsets are among the exact ones, and all-of-them is one of its subsets.
    std::int64_t head = jobs[0].head, tail = jobs[0].tail, sum = 0;
    for (const EnergyJob& j : jobs) {
      head = std::min(head, j.head);
      tail = std::min(tail, j.tail);
      sum += j.busy;
    }
    CHECK(swept >= head + (sum + units - 1) / units + tail);
  }
}

TEST_CASE("latency_lower_bound: four non-pipelined multiplies on one unit, then a tail") {
  Net net;
  std::vector<op_id> m;
  for (int k = 0; k < 4; ++k) m.push_back(net.op("m", 2, 2));
  const op_id add = net.op("a", 1, 1);
  const op_id out = net.op("a", 3, 1);
  for (const op_id i : m) net.edge(i, add);
  net.edge(add, out);
  net.limit("m", 1);
  const Problem p = net.build();
  const LatencyBound b = latency_lower_bound(p);
  CHECK(b.critical_path == 6);
  // The multiplies hold the unit 8 cycles from 0; the last one's result then needs 1 + 3 more.
  CHECK(b.class_bound == 12);
  CHECK(b.value == 12);
  CHECK(b.kind(p) == "unit class 'm''s busy cycles with release times and tails");
  CHECK(Exhaustive(p).optimum() == 12);
}

TEST_CASE("latency_lower_bound: propagation through ancestors proves what the classes alone miss") {
  // Four multiplies on one unit feed x, which feeds three adds on one unit. Per class, the adds
  // are released at 2 (8 - 3 = 5 with their three cycles) and the multiplies end by 4 with a
  // tail of 2: 6. Through its ancestors x starts at 4 or later, so the adds start at 5 and end
  // by 8, the optimum.
  Net net;
  std::vector<op_id> m;
  for (int k = 0; k < 4; ++k) m.push_back(net.op("m", 1, 1));
  const op_id x = net.op("f", 1, 1);
  for (const op_id i : m) net.edge(i, x);
  for (int k = 0; k < 3; ++k) net.edge(x, net.op("a", 1, 1));
  net.limit("m", 1);
  net.limit("a", 1);
  const Problem p = net.build();
  const LatencyBound b = latency_lower_bound(p);
  REQUIRE(b.propagation_ran);
  CHECK(b.critical_path == 3);
  CHECK(b.class_bound == 6);
  CHECK(b.propagated == 8);
  CHECK(b.value == 8);
  CHECK(b.kind(p) == "release times and tails propagated through the unit classes");
  CHECK(Exhaustive(p).optimum() == 8);
}

TEST_CASE("latency_lower_bound never exceeds the optimum of tiny random problems") {
  std::mt19937 rng(2024);
  int above_cp = 0, tight = 0, propagated_gain = 0, windows_gain = 0;
  const int rounds = 400;
  for (int round = 0; round < rounds; ++round) {
    const Problem p = random_tiny(rng, 2 + static_cast<op_id>(rng() % 6));
    const LatencyBound b = latency_lower_bound(p);
    LatencyBoundOptions sweeps;
    sweeps.exact_max = 0;
    sweeps.propagation_work = 0;
    const LatencyBound cheap = latency_lower_bound(p, sweeps);
    const std::int32_t opt = Exhaustive(p).optimum();
    INFO("round " << round);
    CHECK(b.value <= opt);
    CHECK(b.value >= critical_path(p));
    CHECK(b.critical_path == critical_path(p));
    CHECK(cheap.value <= b.value);
    above_cp += b.value > b.critical_path;
    tight += b.value == opt;
    propagated_gain += b.propagated > std::max(b.critical_path, b.class_bound);
    windows_gain += b.windows > std::max({b.critical_path, b.class_bound, b.propagated});
  }

  // The bound is not the critical path in disguise, and it is usually the optimum.
  CHECK(above_cp > rounds / 10);
  CHECK(tight > rounds / 2);
  CHECK(propagated_gain > 0);
  CHECK(windows_gain > 0);  // the time windows decide some (4 of these 400)
}
