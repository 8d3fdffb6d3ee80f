// The device-resident Adam step against the host one, and the solver end to end on the GPU.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/timing.hpp"
#include "graphs/generate.hpp"
#include "host/loss/cuda/cuda_backend.hpp"
#include "host/optimizer/optimizer.hpp"
#include "host/solver/solver.hpp"
#include "tests/cpu/loss/loss_reference.hpp"

using namespace gaus;
using namespace gaus::test;

TEST_CASE("optimizer gpu: device Adam follows the host Adam on the same engine type") {
  GenerateOptions g;
  g.ops = 3000;
  g.max_fan_in = 3;
  g.num_classes = 2;
  g.class_limit = 3;
  g.seed = 11;
  LossFixture f{"random", generate_layered(g), {}, {}, {}};
  f.config = fixture_config(critical_path(f.problem) + 6, 0, 5.0);
  fixture_params(f, 3, 3.0);
  const double sigma_min = 0.2;
  std::vector<double> rho(f.sigma.size());
  for (std::size_t i = 0; i < rho.size(); ++i)
    rho[i] = rho_from_sigma(std::max(f.sigma[i], 2 * sigma_min), sigma_min);
  auto dev_engine = make_loss_engine(f.problem, f.config, Backend::Cuda);
  auto host_engine = make_loss_engine(f.problem, f.config, Backend::Cuda);
  auto dev = make_param_optimizer(*dev_engine, sigma_min);
  auto host = make_host_param_optimizer(*host_engine, sigma_min);
  dev->reset(f.mu, rho);
  host->reset(f.mu, rho);
  const StepBounds bounds{-50.0, 500.0, 5.0};
  for (int it = 1; it <= 20; ++it) {
    dev->push();
    host->push();
    const double a = dev_engine->evaluate(true).objective;
    const double b = host_engine->evaluate(true).objective;
    CHECK(std::isfinite(a));
    CHECK(std::fabs(a - b) <= 1e-3 * std::fabs(b) + 1e-6);
    const AdamStep<double> s{0.05, 0.9, 0.999, 1e-8, 1 - std::pow(0.9, it),
                             1 - std::pow(0.999, it)};
    REQUIRE(dev->step(s, bounds));
    REQUIRE(host->step(s, bounds));
  }
  CHECK_FALSE(dev->saw_nonfinite());
  std::vector<double> mu_d, rho_d, mu_h, rho_h;
  dev->read(mu_d, rho_d);
  host->read(mu_h, rho_h);
  double worst = 0;
  for (std::size_t i = 0; i < mu_d.size(); ++i)
    worst = std::max({worst, std::fabs(mu_d[i] - mu_h[i]), std::fabs(rho_d[i] - rho_h[i])});
  CHECK(worst < 1e-3);  // 20 steps of lr 0.05 from float gradients of the same function
}

TEST_CASE("optimizer gpu: the solver on the CUDA backend is legal and repeats exactly") {
  GenerateOptions g;
  g.ops = 400;
  g.max_fan_in = 3;
  g.num_classes = 2;
  g.class_limit = 2;
  g.seed = 5;
  const Problem p = generate_layered(g);
  for (Formulation f : {Formulation::Rcs, Formulation::B}) {
    SolveOptions o;
    o.formulation = f;
    o.backend = SolverBackend::Cuda;
    o.time_limit_s = std::numeric_limits<double>::infinity();
    o.max_iterations = 300;
    o.rcs_iterations = 100;
    o.restarts = 2;
    const SolveResult a = solve(p, o), b = solve(p, o);
    INFO(to_string(f));
    CHECK(a.backend == "cuda");
    CHECK(a.legal);
    CHECK(a.schedule.start == b.schedule.start);
    CHECK(a.objective == b.objective);
  }
}
