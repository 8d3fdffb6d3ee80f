// Gradients of the CPU loss backend against central finite differences in double, term by term
// and with augmented-Lagrangian multipliers; float against double; bitwise determinism across
// thread counts.
#include <doctest/doctest.h>

#include <cmath>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "host/loss/cpu/cpu_backend.hpp"
#include "tests/cpu/loss/loss_reference.hpp"

using namespace gaus;
using namespace gaus::test;

namespace {

struct Grads {
  std::vector<double> mu, sigma;
};

Grads analytic(LossEngine& eng, const std::vector<double>& mu, const std::vector<double>& sigma) {
  eng.set_params(mu, sigma);
  (void)eng.evaluate(true);
  Grads g{std::vector<double>(mu.size()), std::vector<double>(mu.size())};
  eng.get_grads(g.mu, g.sigma);
  return g;
}

/// Checks dJ/dmu_i and dJ/dsigma_i by central differences (step 1e-4 sigma_i; the window K = 10
/// makes truncation jumps invisible) for every op of small graphs and 14 spread ops (first and
/// last included) of larger ones. Returns the largest |gradient| seen.
double check_fd(LossEngine& eng, std::vector<double> mu, std::vector<double> sigma,
                const std::string& what) {
  const Grads g = analytic(eng, mu, sigma);
  const auto objective = [&] {
    eng.set_params(mu, sigma);
    return eng.evaluate(false).objective;
  };
  double largest = 0.0;
  const std::size_t n = mu.size(), stride = n > 14 ? (n + 12) / 13 : 1;
  for (std::size_t i = 0; i < n; i = (i + stride < n || i == n - 1) ? i + stride : n - 1) {
    for (std::size_t k = 0; k < n; ++k)  // the largest gradient over all ops
      largest = std::max({largest, std::fabs(g.mu[k]), std::fabs(g.sigma[k])});
    for (int which = 0; which < 2; ++which) {
      double& x = which == 0 ? mu[i] : sigma[i];
      const double x0 = x, h = 1e-4 * sigma[i];
      x = x0 + h;
      const double up = objective();
      x = x0 - h;
      const double down = objective();
      x = x0;
      const double fd = (up - down) / (2 * h);
      const double an = which == 0 ? g.mu[i] : g.sigma[i];
      const std::string param = which == 0 ? " mu" : " sigma";
      INFO(what, ": op ", i, param, " analytic ", an, " fd ", fd);
      CHECK(std::fabs(fd - an) <= 1e-6 + 2e-5 * std::max(std::fabs(fd), std::fabs(an)));
    }
  }
  return largest;
}

}  // namespace

TEST_CASE("loss grad: every term matches central differences on every fixture") {
  for (auto& f : loss_fixtures(10.0)) {
    for (int t = 0; t < kNumTerms; ++t) {
      LossConfig c = f.config;
      c.terms = 1u << t;
      c.weight[t] = 1.7;
      auto eng = make_cpu_loss_engine(f.problem, c);
      const double largest = check_fd(*eng, f.mu, f.sigma,
                                      std::string(f.name) + " / " + term_name(Term(t)));
      // Each fixture is built so that every applicable term has a nonzero gradient.
      const bool applicable = c.ii > 0 || (t != int(Term::Recurrence) &&
                                           t != int(Term::ModuloMemory));
      const bool has_edges = f.problem.num_edges() > 0;
      const bool has_cap = f.problem.has_unit_limits();
      bool expect = applicable;
      if (t == int(Term::Dependency) || t == int(Term::Communication) || t == int(Term::Memory))
        expect = expect && has_edges;
      if (t == int(Term::Recurrence) || t == int(Term::ModuloMemory))
        expect = expect && f.problem.num_loop_carried() > 0;
      if (t == int(Term::Capacity)) expect = expect && has_cap;
      bool weighted_edge = false;
      for (double c_e : f.problem.edge_weight) weighted_edge = weighted_edge || c_e > 0;
      if (t == int(Term::Communication)) expect = expect && weighted_edge;
      const std::string label = std::string(f.name) + " / " + term_name(Term(t));
      INFO(label);
      if (expect) CHECK(largest > 1e-6);
      if (!applicable) CHECK(largest == 0.0);
    }
  }
}

TEST_CASE("loss grad: closed-form dependency and recurrence match central differences") {
  auto f = std::move(loss_fixtures(10.0)[0]);
  f.config.closed_form_dependency = true;
  f.config.terms = term_bit(Term::Dependency) | term_bit(Term::Recurrence);
  auto eng = make_cpu_loss_engine(f.problem, f.config);
  CHECK(check_fd(*eng, f.mu, f.sigma, "closed form") > 1e-3);
}

TEST_CASE("loss grad: augmented Lagrangian multipliers and penalties") {
  for (std::size_t which : {0u, 5u}) {
    auto f = std::move(loss_fixtures(10.0)[which]);
    LossConfig& c = f.config;
    c.penalty = {2.0, 1.5, 3.0, 0.7, 0, 0, 0, 0};
    c.weight = {0.5, 0, 1, 0.2, 0.1, 0.3, 0.4, 0.6};
    auto eng = make_cpu_loss_engine(f.problem, c);
    TestRng rng(99);
    for (Term t : {Term::Dependency, Term::Recurrence, Term::Horizon, Term::Capacity}) {
      auto lam = eng->multipliers(t);
      for (double& x : lam) x = rng();
      eng->set_multipliers(t, lam);
    }
    check_fd(*eng, f.mu, f.sigma, std::string("augmented / ") + f.name);
    // lambda_c += rho_t V_c, and the objective counts lambda V + rho/2 V^2.
    eng->set_params(f.mu, f.sigma);
    const LossResult r = eng->evaluate(false);
    const Term all[] = {Term::Dependency, Term::Recurrence, Term::Horizon, Term::Capacity};
    std::vector<std::vector<double>> saved;
    for (Term t : all) saved.push_back(eng->multipliers(t));
    for (Term t : {Term::Dependency, Term::Horizon, Term::Capacity}) {
      const auto before = eng->multipliers(t);
      const auto v = eng->constraint_values(t);
      double aug = 0.0;
      for (std::size_t k = 0; k < v.size(); ++k)
        aug += before[k] * v[k] + 0.5 * c.penalty[int(t)] * v[k] * v[k];
      CHECK(r.augmented[int(t)] == doctest::Approx(aug).epsilon(1e-12));
      eng->update_multipliers();
      const auto after = eng->multipliers(t);
      for (std::size_t k = 0; k < v.size(); ++k)
        CHECK(after[k] == doctest::Approx(before[k] + c.penalty[int(t)] * v[k]));
      for (int k = 0; k < 4; ++k) eng->set_multipliers(all[k], saved[k]);
    }
  }
}

TEST_CASE("loss grad: float backend agrees with double") {
  for (auto& f : loss_fixtures(5.0)) {
    auto dbl = make_cpu_loss_engine(f.problem, f.config, Precision::Double);
    auto flt = make_cpu_loss_engine(f.problem, f.config, Precision::Float);
    const Grads gd = analytic(*dbl, f.mu, f.sigma);
    const Grads gf = analytic(*flt, f.mu, f.sigma);
    double scale = 0.0;
    for (std::size_t i = 0; i < gd.mu.size(); ++i)
      scale = std::max({scale, std::fabs(gd.mu[i]), std::fabs(gd.sigma[i])});
    for (std::size_t i = 0; i < gd.mu.size(); ++i) {
      INFO(std::string(f.name), ": op ", i);
      CHECK(std::fabs(gd.mu[i] - gf.mu[i]) <= 1e-3 * scale);
      CHECK(std::fabs(gd.sigma[i] - gf.sigma[i]) <= 1e-3 * scale);
    }
  }
}

TEST_CASE("loss grad: bitwise identical results whatever the thread count") {
#ifdef _OPENMP
  GenerateOptions g;
  g.ops = 3000;
  g.loop_carried = 0.05;
  g.seed = 5;
  LossFixture f{"big", generate_layered(g), {}, {}, {}};
  f.config = fixture_config(critical_path(f.problem) + 4, 5, 5.0);
  fixture_params(f, 3);
  const int saved = omp_get_max_threads();
  std::vector<LossResult> results;
  std::vector<Grads> grads;
  for (int threads : {1, 3}) {
    omp_set_num_threads(threads);
    auto eng = make_cpu_loss_engine(f.problem, f.config);
    grads.push_back(analytic(*eng, f.mu, f.sigma));
    results.push_back(eng->evaluate(false));
  }
  // A 3-thread engine evaluated inside another parallel region runs on a team of one (nested
  // regions are off): the buffers of the threads that do not run must not keep stale sums.
  omp_set_num_threads(3);
  auto nested = make_cpu_loss_engine(f.problem, f.config);
  auto shifted = f.mu;
  for (double& x : shifted) x += 1.0;
  (void)analytic(*nested, shifted, f.sigma);  // fills every thread's buffers
  Grads inside;
  LossResult inside_result;
#pragma omp parallel num_threads(2)
  {
#pragma omp single
    {
      inside = analytic(*nested, f.mu, f.sigma);
      inside_result = nested->evaluate(false);
    }
  }
  omp_set_num_threads(saved);
  for (int t = 0; t < kNumTerms; ++t) CHECK(results[0].value[t] == results[1].value[t]);
  for (int t = 0; t < kNumTerms; ++t) CHECK(results[0].value[t] == inside_result.value[t]);
  CHECK(grads[0].mu == grads[1].mu);
  CHECK(grads[0].sigma == grads[1].sigma);
  CHECK(grads[0].mu == inside.mu);
  CHECK(grads[0].sigma == inside.sigma);
#else
  MESSAGE("built without OpenMP: single-threaded, nothing to compare");
#endif
}
