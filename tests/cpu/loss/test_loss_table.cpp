// The CPU backend's per-evaluation CDF table (host/loss/cpu/cdf_table.hpp): every entry matches
// what the core Gaussian functions compute (to 1e-14 in double), inside and outside the windows,
// for tabulated ops and for ops too wide to tabulate (evaluated directly on access); and the
// core terms read through the two CDF sources (core/cdf_source.hpp), the table (with the CPU's
// vector bulk step and running memory products, host/loss/cpu/cpu_terms.hpp) and the computing
// source the kernels use, agree, windows overlapping or far apart.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "core/gaussian.hpp"
#include "core/loss_steps.hpp"
#include "core/loss_terms.hpp"
#include "host/loss/cpu/cdf_table.hpp"
#include "host/loss/cpu/cpu_terms.hpp"

using namespace gaus;

namespace {

template <class T>
void check_table(double eps) {
  // A narrow op, a tiny sigma (deep lower tail, Mills ratio from erfcx), a moderate one, and one
  // whose window (10 * 2.5e5 steps) is past the per-op limit, so it is not tabulated.
  const std::vector<T> mu{T(3.2), T(0.99), T(40.0), T(-5.3)};
  const std::vector<T> sigma{T(0.7), T(0.01), T(2.5e5), T(3.0)};
  const T k = T(5);
  CdfTable<T> tab;
  {
    tab.build(mu, sigma, k, 1, false);
    CHECK(tab.op(2).off < 0);
    CHECK(tab.op(0).off >= 0);
    CHECK(tab.op(3).off >= 0);
    for (std::size_t i = 0; i < mu.size(); ++i) {
      const auto& o = tab.op(static_cast<std::int64_t>(i));
      const Window w = cdf_window(mu[i], sigma[i], k);
      CHECK(o.lo == w.lo);
      CHECK(o.hi == w.hi);
      const T inv = T(1) / sigma[i];
      // Around both window ends (the wide op: a few steps there and around mu).
      std::vector<std::int64_t> steps;
      for (std::int64_t d = w.lo - 3; d <= w.lo + 20 && d <= w.hi + 3; ++d) steps.push_back(d);
      for (std::int64_t d = w.hi - 20; d <= w.hi + 3; ++d) steps.push_back(d);
      for (std::int64_t d = -5; d <= 5; ++d) steps.push_back(static_cast<std::int64_t>(mu[i]) + d);
      for (std::int64_t d : steps) {
        INFO("op ", i, " step ", d);
        const CdfPoint<T> want = step_cdf(d, mu[i], inv, w);
        const CdfPoint<T> got = tab.at(o, d);
        CHECK(got.a == doctest::Approx(want.a).epsilon(eps));
        CHECK(got.cdf == doctest::Approx(want.cdf).epsilon(eps));
        CHECK(got.ccdf == doctest::Approx(want.ccdf).epsilon(eps));
        CHECK(got.pdf == doctest::Approx(want.pdf).epsilon(eps));
        if (d < w.lo || d > w.hi) continue;
        const CdfPoint<T> in = tab.inside(o, d);
        CHECK(in.cdf == doctest::Approx(want.cdf).epsilon(eps));
        CHECK(in.ccdf == doctest::Approx(want.ccdf).epsilon(eps));
        const T a = ((T(d) - mu[i]) + T(0.5)) * inv;
        CHECK(tab.mills_at(o, d) == doctest::Approx(log_cdf<T>(a).mills).epsilon(eps));
      }
    }
  }
}

}  // namespace

TEST_CASE("loss table: entries equal the core Gaussian functions, in double and float") {
  check_table<double>(1e-14);
  check_table<float>(1e-6);
}

namespace {

void check_edge(const EdgeGrad<double>& got, const EdgeGrad<double>& want) {
  const auto eq = [](double a, double b) {
    return doctest::Approx(b).epsilon(1e-12).scale(1.0) == a;
  };
  CHECK(eq(got.value, want.value));
  CHECK(eq(got.mu_i, want.mu_i));
  CHECK(eq(got.sigma_i, want.sigma_i));
  CHECK(eq(got.mu_j, want.mu_j));
  CHECK(eq(got.sigma_j, want.sigma_j));
}

}  // namespace

TEST_CASE("loss table: the terms over the table source equal them over the computing source") {
  // Ops 0..n-1: every (mu, sigma) pair of a grid, so edges between them cover windows that
  // overlap, touch, and lie far apart in either order.
  std::vector<double> mu, sigma;
  for (double m = -6.0; m <= 14.0; m += 2.35)
    for (double sg : {0.05, 0.6, 1.7}) {
      mu.push_back(m);
      sigma.push_back(sg);
    }
  const double k = 5.0;
  CdfTable<double> tab;
  tab.build(mu, sigma, k, 1, false);
  const auto n = static_cast<std::int64_t>(mu.size());
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      INFO("edge ", i, " -> ", j);
      for (std::int64_t lambda : {-3, 0, 1, 4}) {
        check_edge(precedence_violation_tab(tab, i, j, lambda),
                   precedence_violation(mu[i], sigma[i], mu[j], sigma[j], lambda, k));
      }
      check_edge(communication_distance<double>(tab.source(i), tab.source(j)),
                 communication_distance(mu[i], sigma[i], mu[j], sigma[j], k));
    }
    for (std::int32_t hold : {1, 3}) {
      std::vector<double> got, want;
      use_sweep_tab(tab, i, hold, 0, 12, [&](std::int64_t d, double r, double rm, double rs) {
        got.insert(got.end(), {double(d), r, rm, rs});
      });
      const auto ui = static_cast<std::size_t>(i);
      use_sweep(mu[ui], sigma[ui], k, hold, 0, 12,
                [&](std::int64_t d, double r, double rm, double rs) {
                  want.insert(want.end(), {double(d), r, rm, rs});
                });
      REQUIRE(got.size() == want.size());
      for (std::size_t x = 0; x < got.size(); ++x) CHECK(got[x] == doctest::Approx(want[x]));
    }
  }
  // Live memory of op i consumed by ops i+1..i+3 (shifted by 0, 2, 5): running products against
  // core's step-by-step sweep over computed F, forward values and all gradients.
  for (std::int64_t i = 0; i + 3 < n; ++i) {
    INFO("producer ", i);
    const std::int64_t shift[3] = {0, 2, 5};
    const auto tab_consumer = [&](std::int64_t q, TabConsumer& c) {
      c = TabConsumer{i + 1 + q, shift[q]};
      return true;
    };
    const auto core_consumer = [&](std::int64_t q, MemConsumer<double>& c) {
      const auto j = static_cast<std::size_t>(i + 1 + q);
      c = MemConsumer<double>{mu[j], sigma[j], shift[q]};
      return true;
    };
    std::vector<double> fwd_got(40, 0.0), fwd_want(40, 0.0), scratch;
    const auto flat_into = [](std::vector<double>& v) {
      return [&v](std::int64_t from, std::int64_t to, double x) {
        for (std::int64_t d = from; d <= to; ++d) v[static_cast<std::size_t>(d)] += x;
      };
    };
    memory_forward_tab(tab, i, 2.0, 3, 0, 40, tab_consumer, scratch,
                       [&](std::int64_t d, double x) { fwd_got[static_cast<std::size_t>(d)] += x; },
                       flat_into(fwd_got));
    memory_forward(mu[static_cast<std::size_t>(i)], sigma[static_cast<std::size_t>(i)], 2.0, k,
                   std::int64_t(3), 0, 40, core_consumer,
                   [&](std::int64_t d, double x) { fwd_want[static_cast<std::size_t>(d)] += x; },
                   flat_into(fwd_want));
    for (std::size_t d = 0; d < 40; ++d)
      CHECK(fwd_got[d] == doctest::Approx(fwd_want[d]).epsilon(1e-10));
    const auto up = [](std::int64_t d) { return 0.1 + 0.01 * static_cast<double>(d); };
    double cg_got[3][2] = {}, cg_want[3][2] = {};
    const OpGrad<double> g_got = memory_backward_tab(
        tab, i, 2.0, 3, 0, 40, tab_consumer, scratch, up, [&](std::int64_t q, double m, double s) {
          cg_got[q][0] += m;
          cg_got[q][1] += s;
        });
    const OpGrad<double> g_want = memory_backward(
        mu[static_cast<std::size_t>(i)], sigma[static_cast<std::size_t>(i)], 2.0, k,
        std::int64_t(3), 0, 40, core_consumer, up, [&](std::int64_t q, double m, double s) {
          cg_want[q][0] += m;
          cg_want[q][1] += s;
        });
    CHECK(g_got.mu == doctest::Approx(g_want.mu).epsilon(1e-10));
    CHECK(g_got.sigma == doctest::Approx(g_want.sigma).epsilon(1e-10));
    for (int q = 0; q < 3; ++q)
      for (int x = 0; x < 2; ++x)
        CHECK(cg_got[q][x] == doctest::Approx(cg_want[q][x]).epsilon(1e-10));
  }
}
