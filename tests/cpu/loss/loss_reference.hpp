// A dense, window-free evaluation of every loss term straight from docs/design.md section 3, for
// small graphs: every op over every step of a wide range, exact Phi, no truncation, no tricks. The
// engines must match it (tests/cpu/loss/test_loss_values.cpp, tests/gpu/test_loss_gpu.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "core/gaussian.hpp"
#include "core/problem.hpp"
#include "core/timing.hpp"
#include "graphs/builder.hpp"
#include "graphs/generate.hpp"
#include "host/loss/loss.hpp"

namespace gaus::test {

inline double ref_soft_max(const std::vector<double>& x, double tau) {
  double mx = -1e300;
  for (double v : x) mx = std::max(mx, v);
  double s = 0.0;
  for (double v : x) s += std::exp((v - mx) / tau);
  return mx + tau * std::log(s);
}

/// Every term's value, dense. `mu`, `sigma` per op.
inline std::array<double, kNumTerms> dense_loss(const Problem& p, const LossConfig& c,
                                                const std::vector<double>& mu,
                                                const std::vector<double>& sigma) {
  const int n = p.num_ops();
  const long horizon = c.horizon, ii = c.ii;
  long lo = 0, hi = horizon;
  for (int i = 0; i < n; ++i) {
    lo = std::min(lo, static_cast<long>(std::floor(mu[i] - 14 * sigma[i])) - 2);
    hi = std::max(hi, static_cast<long>(std::ceil(mu[i] + 14 * sigma[i])) + 2);
  }
  long max_dist = 0;
  for (auto d : p.edge_distance) max_dist = std::max<long>(max_dist, d);
  hi += max_dist * ii + 2;
  const auto F = [&](int i, long d) { return normal_cdf((d + 0.5 - mu[i]) / sigma[i]); };
  const auto P = [&](int i, long d) { return F(i, d) - F(i, d - 1); };
  std::array<double, kNumTerms> v{};
  const auto at = [&](Term t) -> double& { return v[static_cast<int>(t)]; };
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    const int i = p.edge_src[e], j = p.edge_dst[e];
    const long dist = p.edge_distance[e];
    if (dist > 0 && ii == 0) continue;
    const long lambda = p.edge_delay[e] - dist * ii;
    double s = 0.0;
    for (long d = lo; d <= hi; ++d) s += P(i, d) * F(j, d + lambda - 1);
    at(dist == 0 ? Term::Dependency : Term::Recurrence) += s;
    if (dist == 0 && p.edge_weight[e] != 0.0) {
      double cm = 0.0;
      for (long d = lo; d <= hi; ++d) cm += F(i, d) * (1.0 - F(j, d));
      at(Term::Communication) += p.edge_weight[e] * cm;
    }
  }
  for (int i = 0; i < n; ++i)
    at(Term::Horizon) += F(i, -1) + 1.0 - F(i, horizon - std::max(p.latency[i], 1));
  // expected use and capacity
  const long cap_steps = ii > 0 ? ii : horizon;
  for (std::size_t r = 0; r < p.resources.size(); ++r) {
    if (p.resources[r].limit < 0) continue;
    std::vector<double> u(static_cast<std::size_t>(cap_steps), 0.0);
    for (int i = 0; i < n; ++i) {
      if (p.op_resource[i] != static_cast<int>(r)) continue;
      const double ui = c.weighted_capacity ? p.weight[i] : 1.0;
      for (long d = 0; d < horizon; ++d)
        for (long t = 0; t < p.blocking[i]; ++t) u[d % cap_steps] += ui * P(i, d - t);
    }
    for (double x : u) at(Term::Capacity) += std::pow(std::max(0.0, x - p.resources[r].limit), 2);
  }
  // peak use
  double sum_w = 0.0;
  for (int i = 0; i < n; ++i) sum_w += p.weight[i];
  std::vector<double> w(static_cast<std::size_t>(horizon), 0.0);
  for (long d = 0; d < horizon; ++d)
    for (int i = 0; i < n; ++i) w[d] += p.weight[i] * P(i, d);
  at(Term::PeakUse) = ref_soft_max(w, c.tau * (sum_w > 0 ? sum_w / horizon : 1.0));
  // live memory (distance-0 consumers) and modulo memory (all consumers, shifted by delta*II)
  for (int mode = 0; mode < (ii > 0 ? 2 : 1); ++mode) {
    const long range = mode == 0 ? horizon : horizon + max_dist * ii;
    const long steps = mode == 0 ? horizon : ii;
    std::vector<double> m(static_cast<std::size_t>(steps), 0.0);
    double sum_b = 0.0;
    for (int i = 0; i < n; ++i) {
      std::set<std::pair<int, long>> cons;
      for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
        if (mode == 1 || p.edge_distance[e] == 0) cons.emplace(p.edge_dst[e], p.edge_distance[e]);
      if (cons.empty()) continue;  // sinks store nothing
      sum_b += p.out_size[i];
      for (long d = 0; d < range; ++d) {
        double prod = 1.0;
        for (const auto& [j, dist] : cons) prod *= F(j, d - (mode == 1 ? dist * ii : 0));
        m[d % steps] += p.out_size[i] * F(i, d) * (1.0 - prod);
      }
    }
    const double tau = c.tau * (sum_b > 0 ? sum_b / steps : 1.0);
    at(mode == 0 ? Term::Memory : Term::ModuloMemory) = ref_soft_max(m, tau);
  }
  return v;
}

/// A small problem with parameters to evaluate it at.
struct LossFixture {
  const char* name;
  Problem problem;
  LossConfig config;
  std::vector<double> mu, sigma;
};

/// Deterministic pseudo-random numbers in [0, 1) for test parameters.
class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  double operator()() {
    s_ = s_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(s_ >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t s_;
};

/// mu near ASAP (so constraints are partly violated), sigma spread from tiny to large, the first
/// op just below step 0 and the last near the horizon's end.
inline void fixture_params(LossFixture& f, std::uint64_t seed, double big_sigma = 6.0) {
  TestRng rng(seed);
  const auto asap = asap_starts(f.problem);
  const int n = f.problem.num_ops();
  f.mu.resize(n);
  f.sigma.resize(n);
  for (int i = 0; i < n; ++i) {
    f.mu[i] = asap[i] + 3.0 * rng() - 1.5;
    const double r = rng();
    f.sigma[i] = r < 0.15 ? 0.05 + 0.05 * rng() : r < 0.9 ? 0.3 + 1.7 * rng() : big_sigma;
  }
  f.mu[0] = -0.4;
  if (n > 1) f.mu[n - 1] = f.config.horizon - 0.7;
}

inline LossConfig fixture_config(std::int32_t horizon, std::int32_t ii, double window) {
  LossConfig c;
  c.horizon = horizon;
  c.ii = ii;
  c.window = window;
  c.tau = 0.3;
  return c;
}

/// The fixtures of the loss tests: seeded random layered graphs (with and without II), one op,
/// a chain, wide fan-in / fan-out with delay-0 and parallel edges, loop-carried edges.
inline std::vector<LossFixture> loss_fixtures(double window) {
  std::vector<LossFixture> out;
  {
    GenerateOptions g;
    g.ops = 36;
    g.layers = 6;
    g.max_fan_in = 3;
    g.num_classes = 2;
    g.class_limit = 2;
    g.min_latency = 0;
    g.max_latency = 3;
    g.pipelined = false;
    g.loop_carried = 0.15;
    g.seed = 7;
    Problem p = generate_layered(g);
    const std::int32_t d = critical_path(p) + 2;
    out.push_back({"random layered, II=3", p, fixture_config(d, 3, window), {}, {}});
    out.push_back({"random layered, no II", std::move(p), fixture_config(d, 0, window), {}, {}});
  }
  {
    GenerateOptions g;
    g.ops = 30;
    g.layers = 5;
    g.zero_delay = true;
    g.num_classes = 1;
    g.class_limit = 3;
    g.seed = 11;
    Problem p = generate_layered(g);
    out.push_back(
        {"random delay-0 (formulation A)", std::move(p), fixture_config(5, 0, window), {}, {}});
  }
  {
    ProblemBuilder b("one");
    b.add_op("a", "alu");
    b.add_resource("alu", 0);  // limit 0: any use is excess
    out.push_back({"one op", b.build(), fixture_config(3, 0, window), {}, {}});
  }
  {
    ProblemBuilder b("chain");
    for (int i = 0; i < 5; ++i) b.add_op("c" + std::to_string(i), "mul");
    for (int i = 0; i < 4; ++i) b.add_edge({.src = i, .dst = i + 1});
    b.add_resource("mul", 1);
    TypeLibrary lib;
    lib.latency["mul"] = 2;
    lib.pipelined = false;
    out.push_back({"chain", b.build(lib), fixture_config(12, 0, window), {}, {}});
  }
  {
    ProblemBuilder b("fan");
    const op_id hub = b.add_op("hub", "");
    const op_id sink = b.add_op("sink", "");
    for (int i = 0; i < 10; ++i) {
      const op_id x = b.add_op("x" + std::to_string(i), "add");
      b.add_edge({.src = hub, .dst = x, .adds_latency = false, .weight = 1.0});
      b.add_edge({.src = x, .dst = sink, .delay = 0, .adds_latency = i % 2 == 0, .weight = 2.0});
    }
    b.add_edge({.src = hub, .dst = sink, .adds_latency = false});  // parallel paths
    b.add_edge({.src = hub, .dst = sink, .delay = 1, .adds_latency = false});
    b.add_edge({.src = sink, .dst = hub, .distance = 1});  // loop-carried
    b.add_edge({.src = sink, .dst = hub, .distance = 2});
    b.add_resource("add", 2);
    out.push_back({"wide fan-out / fan-in", b.build(), fixture_config(5, 2, window), {}, {}});
  }
  std::uint64_t seed = 1;
  for (auto& f : out) fixture_params(f, seed++);
  return out;
}

}  // namespace gaus::test
