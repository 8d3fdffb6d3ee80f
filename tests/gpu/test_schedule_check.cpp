// The device edge check agrees with the host verifier on random schedules.
#include <doctest/doctest.h>

#include <random>

#include "graphs/builder.hpp"
#include "host/verify/verify.hpp"

#ifdef GAUS_HAS_CUDA
#include "kernels/schedule_check.hpp"

using namespace gaus;

TEST_CASE("gpu: edge violation count matches the verifier") {
  std::mt19937 rng(7);
  for (int n : {1, 10, 1000, 200000}) {
    ProblemBuilder b("random", false);
    for (int i = 0; i < n; ++i) b.add_op(std::to_string(i), "t");
    std::uniform_int_distribution<int> pick(0, n - 1), lat(0, 3), dist(0, 2);
    for (int k = 0; k < 3 * n; ++k) {
      int a = pick(rng), c = pick(rng);
      if (a == c) continue;
      if (a > c) std::swap(a, c);
      const int d = k % 5 == 0 ? dist(rng) : 0;
      b.add_edge({.src = d > 0 ? c : a, .dst = d > 0 ? a : c, .delay = lat(rng),
                  .adds_latency = false, .distance = d});
    }
    const Problem p = b.build();
    Schedule s;
    std::uniform_int_distribution<int> step(0, 50);
    s.start.resize(p.num_ops());
    for (auto& x : s.start) x = step(rng);
    s.ii = 3;
    const VerifyResult v = verify(p, s, 0);
    std::int64_t edge_violations = 0;
    for (edge_id e = 0; e < p.num_edges(); ++e)
      edge_violations += static_cast<std::int64_t>(s.start[p.edge_dst[e]]) +
                             static_cast<std::int64_t>(p.edge_distance[e]) * s.ii <
                         static_cast<std::int64_t>(s.start[p.edge_src[e]]) + p.edge_delay[e];
    CHECK(count_edge_violations_cuda(p, s.start.data(), s.ii) == edge_violations);
    CHECK(v.count == edge_violations);  // no limits, no horizon: only edge rules apply
  }
}
#endif
