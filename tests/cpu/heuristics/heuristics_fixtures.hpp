// Small problem builders and checks shared by the heuristic scheduler tests.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/schedule.hpp"
#include "graphs/builder.hpp"
#include "host/verify/verify.hpp"

namespace gaus::test {

/// A ProblemBuilder with short helpers: ops with explicit latency and blocking, edges with
/// lambda = L_src + extra delay, unit limits by class name (= type name).
struct Net {
  ProblemBuilder b{"net"};
  op_id op(const std::string& type, std::int32_t latency = 1, std::int32_t blocking = -1) {
    const op_id i = b.add_op("o" + std::to_string(b.num_ops()), type);
    b.set_latency(i, latency);
    if (blocking >= 0) b.set_blocking(i, blocking);
    return i;
  }
  void edge(op_id a, op_id c, std::int32_t distance = 0, std::int32_t extra = 0) {
    b.add_edge({.src = a, .dst = c, .delay = extra, .distance = distance});
  }
  void limit(const std::string& cls, std::int32_t n) { b.add_resource(cls, n); }
  [[nodiscard]] Problem build() const { return b.build(); }
};

/// CHECKs that verify() finds `s` legal, listing the violations when not.
inline void check_legal(const Problem& p, const Schedule& s) {
  const VerifyResult r = verify(p, s);
  std::string msg;
  for (const auto& v : r.violations) msg += v.message + "\n";
  INFO("violations:\n" << msg);
  CHECK(r.legal);
}

/// Most units of class k busy in one step (or residue, when s.ii > 0).
inline std::int32_t peak_use(const Problem& p, const Schedule& s, std::int32_t k) {
  std::vector<std::int32_t> use;
  for (op_id i = 0; i < p.num_ops(); ++i) {
    if (p.op_resource[i] != k) continue;
    for (std::int32_t u = 0; u < p.blocking[i]; ++u) {
      auto d = static_cast<std::size_t>(s.ii > 0 ? (s.start[i] + u) % s.ii : s.start[i] + u);
      if (d >= use.size()) use.resize(d + 1, 0);
      ++use[d];
    }
  }
  return use.empty() ? 0 : *std::max_element(use.begin(), use.end());
}

/// Seeded random DAG: `n` ops of types "add" (latency 1) and "mul" (latency 2, blocking
/// `mul_blocking`), each with up to `fanin` predecessors among the previous `window` ops.
inline Net random_dag(std::uint32_t seed, op_id n, int fanin, op_id window,
                      std::int32_t mul_blocking) {
  std::mt19937 rng(seed);
  Net net;
  for (op_id i = 0; i < n; ++i) {
    const bool mul = rng() % 3 == 0;
    net.op(mul ? "mul" : "add", mul ? 2 : 1, mul ? mul_blocking : 1);
    const int k = i == 0 ? 0 : static_cast<int>(rng() % (fanin + 1));
    for (int e = 0; e < k; ++e) {
      const op_id span = std::min<op_id>(i, window);
      net.edge(i - 1 - static_cast<op_id>(rng() % span), i);
    }
  }
  return net;
}

}  // namespace gaus::test
