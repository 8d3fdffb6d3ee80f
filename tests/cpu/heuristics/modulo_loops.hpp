// Tiny random loops and an exhaustive modulo-feasibility search, shared by the tests of the
// minimum-II search (heuristic, bound and prover) against the true minimum.
#pragma once

#include <cstdint>
#include <random>

#include "core/schedule.hpp"
#include "host/verify/verify.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"

namespace gaus::test {

/// 3 or 4 ops, most on one one-unit class, latencies 0..3, blocking 1..latency + 1, forward
/// edges and one to three loop-carried edges back (distance 1 or 2): recurrences and a busy unit
/// that together often push the minimum II above max(ResMII, RecMII).
inline Problem random_loop(std::mt19937& rng) {
  Net net;
  const op_id n = 3 + static_cast<op_id>(rng() % 2);
  for (op_id i = 0; i < n; ++i) {
    const std::int32_t lat = static_cast<std::int32_t>(rng() % 4);
    const std::int32_t blocking = 1 + static_cast<std::int32_t>(rng() % (lat + 1));
    const char* type = rng() % 4 ? "a" : "m";
    net.op(type, lat, blocking);
  }
  for (op_id j = 1; j < n; ++j)
    for (op_id i = 0; i < j; ++i)
      if (rng() % 2 == 0) net.edge(i, j);
  const int back = 1 + static_cast<int>(rng() % 3);
  for (int b = 0; b < back; ++b) {
    const op_id from = static_cast<op_id>(rng() % n);
    const op_id to = static_cast<op_id>(rng() % (from + 1));
    const std::int32_t distance = 1 + static_cast<std::int32_t>(rng() % 2);
    net.edge(from, to, distance);
  }
  net.limit("a", 1);
  net.limit("m", 1);
  return net.build();
}

/// Whether some modulo schedule at `ii` has every start in [0, w).
inline bool exhaustive_feasible(const Problem& p, std::int32_t ii, std::int32_t w) {
  Schedule s;
  s.ii = ii;
  s.start.assign(static_cast<std::size_t>(p.num_ops()), 0);
  const op_id n = p.num_ops();
  while (true) {
    if (verify(p, s, 1).legal) return true;
    op_id i = 0;
    while (i < n && ++s.start[i] == w) s.start[i++] = 0;
    if (i == n) return false;
  }
}

}  // namespace gaus::test
