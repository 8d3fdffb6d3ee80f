// The CUDA loss backend against the CPU backend (double) and the dense reference.
//
// Tolerances (float on the device, double on the host): term values within 2e-4 relative (plus
// 1e-6 absolute); each gradient entry within 2e-3 of the largest gradient magnitude of that
// evaluation plus 1e-3 relative. Deterministic mode: repeated evaluations are bitwise equal.
// Never equality of atomically summed floats across backends.
#include <doctest/doctest.h>

#include <cmath>

#include "host/loss/cpu/cpu_backend.hpp"
#include "host/loss/cuda/cuda_backend.hpp"
#include "tests/cpu/loss/loss_reference.hpp"

using namespace gaus;
using namespace gaus::test;

namespace {

struct Eval {
  LossResult result;
  std::vector<double> mu, sigma;
};

Eval run(LossEngine& eng, const std::vector<double>& mu, const std::vector<double>& sigma) {
  eng.set_params(mu, sigma);
  Eval e{eng.evaluate(true), std::vector<double>(mu.size()), std::vector<double>(mu.size())};
  eng.get_grads(e.mu, e.sigma);
  return e;
}

void compare(const Eval& gpu, const Eval& cpu, const std::string& what) {
  for (int t = 0; t < kNumTerms; ++t) {
    INFO(what, " / ", std::string(term_name(static_cast<Term>(t))));
    CHECK(gpu.result.computed[t] == cpu.result.computed[t]);
    CHECK(std::fabs(gpu.result.value[t] - cpu.result.value[t]) <=
          2e-4 * std::fabs(cpu.result.value[t]) + 1e-6);
    CHECK(std::fabs(gpu.result.augmented[t] - cpu.result.augmented[t]) <=
          2e-4 * std::fabs(cpu.result.augmented[t]) + 1e-6);
  }
  double scale = 0.0;
  for (std::size_t i = 0; i < cpu.mu.size(); ++i)
    scale = std::max({scale, std::fabs(cpu.mu[i]), std::fabs(cpu.sigma[i])});
  int bad = 0;
  for (std::size_t i = 0; i < cpu.mu.size() && bad < 10; ++i) {
    const bool ok_mu =
        std::fabs(gpu.mu[i] - cpu.mu[i]) <= 2e-3 * scale + 1e-3 * std::fabs(cpu.mu[i]);
    const bool ok_sg =
        std::fabs(gpu.sigma[i] - cpu.sigma[i]) <= 2e-3 * scale + 1e-3 * std::fabs(cpu.sigma[i]);
    if (ok_mu && ok_sg) continue;
    ++bad;
    INFO(what, ": op ", i, " mu ", gpu.mu[i], " vs ", cpu.mu[i], ", sigma ", gpu.sigma[i], " vs ",
         cpu.sigma[i]);
    CHECK((ok_mu && ok_sg));
  }
}

/// A layered random graph of `ops` ops (fan-in 4, 3 limited classes, loop-carried edges) at
/// D = critical path + 5, II 7, with penalties on the constraint terms.
LossFixture random_fixture(std::int64_t ops, std::uint64_t seed) {
  GenerateOptions g;
  g.ops = ops;
  g.max_fan_in = 4;
  g.num_classes = 3;
  g.class_limit = 4;
  g.max_latency = 3;
  g.loop_carried = 0.02;
  g.seed = seed;
  LossFixture f{"random", generate_layered(g), {}, {}, {}};
  f.config = fixture_config(critical_path(f.problem) + 5, 7, 5.0);
  f.config.penalty = {1.0, 1.0, 1.0, 0.5, 0, 0, 0, 0};
  fixture_params(f, 17, 3.0);
  return f;
}

}  // namespace

TEST_CASE("loss gpu: every term and gradient matches the CPU backend on the fixtures") {
  for (bool det : {true, false}) {
    for (auto& f : loss_fixtures(5.0)) {
      f.config.deterministic = det;
      auto gpu = make_loss_engine(f.problem, f.config, Backend::Cuda);
      auto cpu = make_cpu_loss_engine(f.problem, f.config);
      compare(run(*gpu, f.mu, f.sigma), run(*cpu, f.mu, f.sigma),
              std::string(f.name) + (det ? " (deterministic)" : " (atomics)"));
      const auto ref = dense_loss(f.problem, f.config, f.mu, f.sigma);
      const LossResult r = gpu->evaluate(false);
      for (int t = 0; t < kNumTerms; ++t)
        if (r.computed[t]) CHECK(std::fabs(r.value[t] - ref[t]) <= 2e-4 * std::fabs(ref[t]) + 1e-6);
    }
  }
}

TEST_CASE("loss gpu: each term alone, closed form, weighted capacity") {
  auto f = std::move(loss_fixtures(5.0)[0]);
  for (int t = 0; t < kNumTerms + 2; ++t) {
    LossConfig c = f.config;
    if (t < kNumTerms) {
      c.terms = 1u << t;
    } else if (t == kNumTerms) {
      c.closed_form_dependency = true;
    } else {
      c.weighted_capacity = true;
    }
    auto gpu = make_loss_engine(f.problem, c, Backend::Cuda);
    auto cpu = make_cpu_loss_engine(f.problem, c);
    compare(run(*gpu, f.mu, f.sigma), run(*cpu, f.mu, f.sigma), "variant " + std::to_string(t));
  }
  // One engine reconfigured back and forth (the solver's pattern): the capacity weights follow.
  auto gpu = make_loss_engine(f.problem, f.config, Backend::Cuda);
  for (bool weighted : {true, false, true}) {
    LossConfig c = f.config;
    c.weighted_capacity = weighted;
    c.tau = weighted ? 0.2 : 0.05;
    gpu->set_config(c);
    auto cpu = make_cpu_loss_engine(f.problem, c);
    compare(run(*gpu, f.mu, f.sigma), run(*cpu, f.mu, f.sigma),
            std::string("reconfigured, weighted ") + (weighted ? "on" : "off"));
  }
}

TEST_CASE("loss gpu: memory split (one-thread producers beside balanced ones)") {
  // split 1 and 3 mix both paths on the fixtures; 1 << 20 puts every producer on the one-thread
  // path. The one-thread path is core's memory_forward / memory_backward, like the CPU backend.
  for (std::int32_t split : {1, 3, 1 << 20}) {
    for (bool det : {true, false}) {
      for (auto& f : loss_fixtures(5.0)) {
        f.config.deterministic = det;
        f.config.memory_split = split;
        auto gpu = make_loss_engine(f.problem, f.config, Backend::Cuda);
        auto cpu = make_cpu_loss_engine(f.problem, f.config);
        compare(run(*gpu, f.mu, f.sigma), run(*cpu, f.mu, f.sigma),
                std::string(f.name) + " split " + std::to_string(split) +
                    (det ? " (deterministic)" : " (atomics)"));
      }
    }
  }
  LossFixture f = random_fixture(40000, 7);
  auto cpu = make_cpu_loss_engine(f.problem, f.config);
  const Eval ref = run(*cpu, f.mu, f.sigma);
  for (std::int32_t split : {2, 4}) {
    f.config.memory_split = split;
    auto gpu = make_loss_engine(f.problem, f.config, Backend::Cuda);
    const Eval a = run(*gpu, f.mu, f.sigma);
    compare(a, ref, "random 40000 split " + std::to_string(split));
    const Eval b = run(*gpu, f.mu, f.sigma);
    for (int t = 0; t < kNumTerms; ++t) CHECK(a.result.value[t] == b.result.value[t]);
    CHECK(a.mu == b.mu);
    CHECK(a.sigma == b.sigma);
    LossConfig other = f.config;
    other.memory_split = split + 1;
    CHECK_THROWS_AS(gpu->set_config(other), Error);
  }
}

TEST_CASE("loss gpu: larger random graphs, deterministic repeat, multipliers") {
  for (std::int64_t ops : {2000, 40000}) {
    LossFixture f = random_fixture(ops, static_cast<std::uint64_t>(ops));
    auto gpu = make_loss_engine(f.problem, f.config, Backend::Cuda);
    auto cpu = make_cpu_loss_engine(f.problem, f.config);
    const Eval a = run(*gpu, f.mu, f.sigma);
    compare(a, run(*cpu, f.mu, f.sigma), "random " + std::to_string(ops));
    const Eval b = run(*gpu, f.mu, f.sigma);
    for (int t = 0; t < kNumTerms; ++t) CHECK(a.result.value[t] == b.result.value[t]);
    CHECK(a.mu == b.mu);
    CHECK(a.sigma == b.sigma);
    // Multipliers: same update on both backends, then the same augmented objective.
    gpu->update_multipliers();
    cpu->update_multipliers();
    for (Term t : {Term::Dependency, Term::Recurrence, Term::Horizon, Term::Capacity}) {
      const auto lg = gpu->multipliers(t), lc = cpu->multipliers(t);
      REQUIRE(lg.size() == lc.size());
      double scale = 0.0, err = 0.0;
      for (std::size_t c = 0; c < lg.size(); ++c) {
        scale = std::max(scale, std::fabs(lc[c]));
        err = std::max(err, std::fabs(lg[c] - lc[c]));
      }
      INFO(std::string(term_name(t)));
      CHECK(err <= 1e-3 * scale + 1e-6);
    }
    compare(run(*gpu, f.mu, f.sigma), run(*cpu, f.mu, f.sigma), "after multiplier update");
  }
}

TEST_CASE("loss gpu: more than a million edges, every term, against the CPU backend") {
  GenerateOptions g;
  g.ops = 400000;
  g.layers = 400;
  g.max_fan_in = 5;
  g.num_classes = 4;
  g.class_limit = 64;
  g.max_latency = 3;
  g.loop_carried = 0.01;
  g.seed = 99;
  LossFixture f{"million-edges", generate_layered(g), {}, {}, {}};
  REQUIRE(f.problem.num_edges() > 1000000);
  f.config = fixture_config(critical_path(f.problem) + 20, 9, 5.0);
  f.config.penalty = {1.0, 1.0, 1.0, 0.5, 0, 0, 0, 0};
  fixture_params(f, 5, 3.0);
  auto gpu = make_loss_engine(f.problem, f.config, Backend::Cuda);
  auto cpu = make_cpu_loss_engine(f.problem, f.config);
  compare(run(*gpu, f.mu, f.sigma), run(*cpu, f.mu, f.sigma), "million edges");
}

TEST_CASE("loss gpu: extreme sigma stays finite") {
  for (double s : {1e-3, 400.0}) {
    auto f = std::move(loss_fixtures(5.0)[5]);
    std::vector<double> sigma(f.sigma.size(), s);
    auto gpu = make_loss_engine(f.problem, f.config, Backend::Cuda);
    const Eval e = run(*gpu, f.mu, sigma);
    CHECK(std::isfinite(e.result.objective));
    for (std::size_t i = 0; i < e.mu.size(); ++i) {
      CHECK(std::isfinite(e.mu[i]));
      CHECK(std::isfinite(e.sigma[i]));
    }
  }
}

#ifdef GAUS_HAS_CUDA
#include <cuda_runtime.h>

TEST_CASE("loss gpu: parameters written and gradients read on the device") {
  auto f = std::move(loss_fixtures(5.0)[1]);
  auto eng = make_cuda_loss_engine(f.problem, f.config);
  const std::size_t n = f.mu.size();
  const Eval host = run(*eng, f.mu, f.sigma);
  const std::vector<float> mu(f.mu.begin(), f.mu.end()), sigma(f.sigma.begin(), f.sigma.end());
  auto stream = static_cast<cudaStream_t>(eng->stream());
  REQUIRE(cudaMemcpyAsync(eng->device_mu(), mu.data(), n * sizeof(float), cudaMemcpyHostToDevice,
                          stream) == cudaSuccess);
  REQUIRE(cudaMemcpyAsync(eng->device_sigma(), sigma.data(), n * sizeof(float),
                          cudaMemcpyHostToDevice, stream) == cudaSuccess);
  const LossResult r = eng->evaluate(true);
  std::vector<float> gm(n), gs(n);
  REQUIRE(cudaMemcpyAsync(gm.data(), eng->device_grad_mu(), n * sizeof(float),
                          cudaMemcpyDeviceToHost, stream) == cudaSuccess);
  REQUIRE(cudaMemcpyAsync(gs.data(), eng->device_grad_sigma(), n * sizeof(float),
                          cudaMemcpyDeviceToHost, stream) == cudaSuccess);
  REQUIRE(cudaStreamSynchronize(stream) == cudaSuccess);
  CHECK(r.objective == host.result.objective);  // same float inputs, deterministic mode
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(gm[i] == static_cast<float>(host.mu[i]));
    CHECK(gs[i] == static_cast<float>(host.sigma[i]));
  }
}
#endif
