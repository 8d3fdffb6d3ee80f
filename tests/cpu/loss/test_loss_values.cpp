// Loss values of the CPU backend against the dense reference (tests/cpu/loss/loss_reference.hpp),
// per-constraint values, the closed form, and the error paths.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "host/loss/cpu/cpu_backend.hpp"
#include "host/loss/cuda/device.hpp"
#include "tests/cpu/loss/loss_reference.hpp"

using namespace gaus;
using namespace gaus::test;

namespace {

void check_against_dense(double window, double rel) {
  for (auto& f : loss_fixtures(window)) {
    const auto ref = dense_loss(f.problem, f.config, f.mu, f.sigma);
    for (Precision prec : {Precision::Double, Precision::Float}) {
      auto eng = make_loss_engine(f.problem, f.config, Backend::Cpu, prec);
      eng->set_params(f.mu, f.sigma);
      const LossResult r = eng->evaluate(false);
      const double tol = prec == Precision::Double ? rel : 2e-4;
      for (int t = 0; t < kNumTerms; ++t) {
        const bool applicable = f.config.ii > 0 ||
                                (t != static_cast<int>(Term::Recurrence) &&
                                 t != static_cast<int>(Term::ModuloMemory));
        INFO(std::string(f.name), " / ", std::string(term_name(static_cast<Term>(t))), " / ",
             std::string(eng->backend_name()));
        CHECK(r.computed[t] == applicable);
        if (!applicable) continue;
        CHECK(std::fabs(r.value[t] - ref[t]) <= tol * std::fabs(ref[t]) + 1e-9);
      }
    }
  }
}

}  // namespace

TEST_CASE("loss values: every term matches a dense window-free evaluation") {
  check_against_dense(8.0, 1e-9);  // tails below 1e-15: agreement to rounding
  check_against_dense(5.0, 1e-6);  // the default window: within Phi(-5) per op and edge
}

TEST_CASE("loss values: per-constraint values add up to the term values") {
  for (auto& f : loss_fixtures(5.0)) {
    auto eng = make_cpu_loss_engine(f.problem, f.config);
    eng->set_params(f.mu, f.sigma);
    const LossResult r = eng->evaluate(false);
    for (Term t : {Term::Dependency, Term::Recurrence, Term::Horizon, Term::Capacity}) {
      if (!r.computed[static_cast<int>(t)]) continue;
      const auto v = eng->constraint_values(t);
      double s = 0.0;
      for (double x : v) {
        CHECK(x >= 0.0);
        s += x;
      }
      INFO(std::string(f.name), " / ", std::string(term_name(t)));
      CHECK(s == doctest::Approx(r.value[static_cast<int>(t)]).epsilon(1e-12));
    }
    CHECK(eng->constraint_values(Term::Dependency).size() ==
          static_cast<std::size_t>(f.problem.num_edges()));
    CHECK_THROWS_AS((void)eng->constraint_values(Term::PeakUse), Error);
  }
}

TEST_CASE("loss values: inactive terms are neither computed nor counted") {
  auto f = std::move(loss_fixtures(5.0)[0]);
  f.config.terms = term_bit(Term::Horizon) | term_bit(Term::PeakUse);
  f.config.weight[static_cast<int>(Term::PeakUse)] = 3.0;
  auto eng = make_cpu_loss_engine(f.problem, f.config);
  eng->set_params(f.mu, f.sigma);
  const LossResult r = eng->evaluate(false);
  for (int t = 0; t < kNumTerms; ++t) {
    const bool want = t == static_cast<int>(Term::Horizon) || t == static_cast<int>(Term::PeakUse);
    CHECK(r.computed[t] == want);
    if (!want) CHECK(r.value[t] == 0.0);
  }
  CHECK(r.objective == doctest::Approx(r.value[2] + 3.0 * r.value[4]));
  CHECK(r.tau_peak > 0.0);
}

TEST_CASE("loss values: closed-form dependency is Phi of the standardized difference") {
  ProblemBuilder b;
  const op_id a = b.add_op("a", "");
  const op_id c = b.add_op("c", "");
  b.add_edge({.src = a, .dst = c, .delay = 3, .adds_latency = false});
  const Problem p = b.build();
  LossConfig cfg = fixture_config(10, 0, 5.0);
  cfg.terms = term_bit(Term::Dependency);
  const std::vector<double> mu{2.0, 4.5}, sigma{0.8, 1.3};
  const double exact = normal_cdf((3 - 0.5 - 2.5) / std::sqrt(0.64 + 1.69));
  cfg.closed_form_dependency = true;
  auto eng = make_cpu_loss_engine(p, cfg);
  eng->set_params(mu, sigma);
  CHECK(eng->evaluate(false).value[0] == doctest::Approx(exact).epsilon(1e-14));
  // The exact discrete probability differs from the closed form but agrees roughly.
  cfg.closed_form_dependency = false;
  eng->set_config(cfg);
  const double windowed = eng->evaluate(false).value[0];
  CHECK(windowed == doctest::Approx(exact).epsilon(0.05));
  CHECK(windowed == doctest::Approx(dense_loss(p, cfg, mu, sigma)[0]).epsilon(1e-6));
}

TEST_CASE("loss values: bad parameters and configs are clear errors") {
  auto f = std::move(loss_fixtures(5.0)[4]);  // chain c0..c4
  auto eng = make_cpu_loss_engine(f.problem, f.config);
  auto sigma = f.sigma;
  sigma[3] = 0.0;
  CHECK_THROWS_WITH_AS(eng->set_params(f.mu, sigma),
                       "op 'c3': sigma must be in (0, 1e6], got 0.000000", InputError);
  auto mu = f.mu;
  mu[1] = std::nan("");
  CHECK_THROWS_WITH_AS(eng->set_params(mu, f.sigma),
                       doctest::Contains("op 'c1': mu must be finite"), InputError);
  CHECK_THROWS_AS(eng->set_params(std::vector<double>(2, 0.0), f.sigma), InputError);
  LossConfig bad = f.config;
  bad.horizon = 0;
  CHECK_THROWS_WITH_AS((void)make_cpu_loss_engine(f.problem, bad),
                       "loss config: horizon must be at least 1, got 0", InputError);
  bad = f.config;
  bad.tau = -1;
  CHECK_THROWS_AS((void)make_loss_engine(f.problem, bad), InputError);
  bad = f.config;
  bad.horizon += 1;
  CHECK_THROWS_AS(eng->set_config(bad), Error);
  bad = f.config;
  bad.memory_split = -1;
  CHECK_THROWS_WITH_AS((void)make_cpu_loss_engine(f.problem, bad),
                       "loss config: memory_split must be >= 0, got -1", InputError);
  bad = f.config;
  bad.memory_split += 4;  // fixed when the engine is made (the CUDA path lists are built once)
  CHECK_THROWS_AS(eng->set_config(bad), Error);
  std::vector<double> g(5);
  CHECK_THROWS_AS(eng->get_grads(g, g), Error);  // no gradient evaluated yet
  if (!cuda_compiled())
    CHECK_THROWS_WITH_AS((void)make_loss_engine(f.problem, f.config, Backend::Cuda),
                         doctest::Contains("built without CUDA"), Error);
}

TEST_CASE("loss values: long lifetimes, flat runs and folding onto residues") {
  // a feeds b far later (a flat run of live memory) and c in the next iterations.
  ProblemBuilder b("life");
  const op_id a = b.add_op("a", "alu");
  const op_id x = b.add_op("b", "alu");
  const op_id c = b.add_op("c", "alu");
  b.add_edge({.src = a, .dst = x});
  b.add_edge({.src = a, .dst = c, .distance = 2});
  b.add_edge({.src = c, .dst = a, .distance = 1});
  b.add_resource("alu", 1);
  TypeLibrary lib;
  lib.latency["alu"] = 4;
  lib.pipelined = false;
  const Problem p = b.build(lib);
  for (std::int32_t ii : {0, 3, 7}) {
    LossConfig cfg = fixture_config(30, ii, 6.0);
    const std::vector<double> mu{1.2, 21.0, 9.6}, sigma{0.2, 0.3, 1.5};
    auto eng = make_cpu_loss_engine(p, cfg);
    eng->set_params(mu, sigma);
    const LossResult r = eng->evaluate(true);
    const auto ref = dense_loss(p, cfg, mu, sigma);
    for (int t = 0; t < kNumTerms; ++t) {
      if (!r.computed[t]) continue;
      INFO("II ", ii, " / ", std::string(term_name(static_cast<Term>(t))));
      CHECK(r.value[t] == doctest::Approx(ref[t]).epsilon(1e-8));
    }
  }
}

TEST_CASE("loss values: extreme sigma gives finite values and gradients") {
  for (double s : {1e-3, 0.01, 400.0}) {
    for (auto& f : loss_fixtures(5.0)) {
      std::vector<double> sigma(f.sigma.size(), s);
      auto mu = f.mu;
      for (double& m : mu) m = std::round(m) + 0.5;  // on a step boundary: steepest for tiny sigma
      auto eng = make_cpu_loss_engine(f.problem, f.config, Precision::Float);
      eng->set_params(mu, sigma);
      const LossResult r = eng->evaluate(true);
      std::vector<double> gm(mu.size()), gs(mu.size());
      eng->get_grads(gm, gs);
      INFO(std::string(f.name), " sigma ", s);
      CHECK(std::isfinite(r.objective));
      for (std::size_t i = 0; i < mu.size(); ++i) {
        CHECK(std::isfinite(gm[i]));
        CHECK(std::isfinite(gs[i]));
      }
    }
  }
}
