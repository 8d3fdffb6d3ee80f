// Gaussian step distributions (core/gaussian.hpp): Phi and its tails, erfcx, log Phi and the
// inverse Mills ratio, windows and the truncated step CDF.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "core/gaussian.hpp"

using namespace gaus;

namespace {
bool rel_close(double a, double b, double tol) {
  return std::fabs(a - b) <= tol * std::max(std::fabs(a), std::fabs(b));
}
}  // namespace

TEST_CASE("gaussian: Phi and both tails match reference values") {
  CHECK(normal_cdf(0.0) == doctest::Approx(0.5));
  CHECK(rel_close(normal_cdf(1.0), 0.8413447460685429, 1e-14));
  CHECK(rel_close(normal_cdf(-5.0), 2.866515718791939e-07, 1e-13));
  CHECK(rel_close(normal_cdf(-30.0), 4.906713927148187e-198, 1e-12));
  const CdfPoint<double> up = cdf_point(10.0);
  CHECK(rel_close(up.ccdf, 7.619853024160527e-24, 1e-12));  // upper tail without cancellation
  CHECK(up.cdf == 1.0);
  const CdfPoint<double> low = cdf_point(-10.0);
  CHECK(rel_close(low.cdf, 7.619853024160527e-24, 1e-12));
  CHECK(rel_close(low.pdf, 7.69459862670642e-23, 1e-12));
  const CdfPoint<float> f = cdf_point(-4.0f);
  CHECK(rel_close(f.cdf, 3.167124183311998e-05, 1e-5));
}

TEST_CASE("gaussian: step masses from either tail and their sum") {
  // P(d) for mu = 100.3, sigma = 0.7: mass far in the upper tail stays accurate.
  const double mu = 100.3, sigma = 0.7;
  const CdfPoint<double> a = cdf_point((103.5 - mu) / sigma), b = cdf_point((104.5 - mu) / sigma);
  const double exact = normal_cdf(-(103.5 - mu) / sigma) - normal_cdf(-(104.5 - mu) / sigma);
  CHECK(rel_close(mass_between(a, b), exact, 1e-12));
  double total = 0.0;
  const Window w = cdf_window(mu, sigma, 5.0);
  CHECK(w.lo == 96);
  CHECK(w.hi == 103);  // ceil(103.8) - 1
  CdfPoint<double> prev = step_cdf(w.lo - 1, mu, 1 / sigma, w);
  for (std::int64_t d = w.lo; d <= w.hi + 1; ++d) {
    const CdfPoint<double> cur = step_cdf(d, mu, 1 / sigma, w);
    total += mass_between(prev, cur);
    prev = cur;
  }
  CHECK(total == doctest::Approx(1.0).epsilon(1e-15));  // tails lumped, mass conserved
  // The true mass outside the window is below Phi(-K).
  CHECK(normal_cdf((w.lo - 0.5 - mu) / sigma) < normal_cdf(-5.0));
  CHECK(1 - normal_cdf((w.hi + 1.5 - mu) / sigma) < normal_cdf(-5.0));
}

TEST_CASE("gaussian: windows of tiny, huge and odd parameters") {
  const Window tiny = cdf_window(3.0, 1e-4, 5.0);
  CHECK(tiny.lo == 2);
  CHECK(tiny.hi == 3);
  const Window huge = cdf_window(0.0, 1e3, 5.0);
  CHECK(huge.lo == -5000);
  CHECK(huge.hi == 4999);
  const Window nan = cdf_window(std::nan(""), 1.0, 5.0);  // clamped, never UB
  CHECK(nan.lo >= -2147483649LL);
  CHECK(nan.hi <= 2147483648LL);
  const Window f = cdf_window(7.25f, 0.5f, 5.0f);
  CHECK(f.lo == 4);
  CHECK(f.hi == 9);
  // Truncated points: exactly 0 / 1 with zero density outside.
  const CdfPoint<double> below = step_cdf(1, 3.0, 1e4, tiny);
  CHECK(below.cdf == 0.0);
  CHECK(below.pdf == 0.0);
  const CdfPoint<double> above = step_cdf(4, 3.0, 1e4, tiny);
  CHECK(above.cdf == 1.0);
  CHECK(above.ccdf == 0.0);
}

TEST_CASE("gaussian: erfcx, log Phi and the inverse Mills ratio are stable in the tails") {
  for (double x : {0.0, 0.3, 1.0, 4.0, 10.0, 25.9}) {
    const double ref = std::exp(x * x) * std::erfc(x);
    CHECK(rel_close(gm::erfcx_host(x), ref, 1e-13));
  }
  // Continuity at the switch to the asymptotic series.
  CHECK(rel_close(gm::erfcx_host(25.999999), gm::erfcx_host(26.000001), 1e-6));
  CHECK(rel_close(gm::erfcx_host(1e4), 1.0 / (1e4 * std::sqrt(M_PI)), 1e-8));
  for (double a : {-30.0, -20.5, -19.5, -8.0, -2.0, -0.1, 0.0, 0.5, 3.0, 8.0}) {
    const LogCdf<double> l = log_cdf(a);
    const double ref = a > 2 ? std::log1p(-normal_cdf(-a)) : std::log(normal_cdf(a));
    CHECK(rel_close(l.log_cdf, ref, 1e-12));
    CHECK(rel_close(l.mills, normal_pdf(a) / normal_cdf(a), 1e-12));
    CHECK(rel_close(log_normal_cdf(a), l.log_cdf, 1e-15));
  }
  // Far below where Phi underflows: log Phi(a) ~ -a^2/2 - log(-a) - log(sqrt(2 pi)).
  const LogCdf<double> far = log_cdf(-100.0);
  CHECK(std::isfinite(far.log_cdf));
  CHECK(rel_close(far.log_cdf, -5000.0 - std::log(100.0) - 0.9189385332046727, 1e-6));
  CHECK(rel_close(far.mills, 100.0, 1e-3));
  const LogCdf<float> ff = log_cdf(-60.0f);
  CHECK(std::isfinite(ff.log_cdf));
  CHECK(rel_close(ff.mills, 60.0166, 1e-4));
  // Float on both sides of its switch to erfcx agrees with double.
  for (float a : {-9.5f, -8.5f, -3.0f}) {
    CHECK(rel_close(log_cdf(a).log_cdf, log_cdf(double(a)).log_cdf, 1e-6));
    CHECK(rel_close(log_cdf(a).mills, log_cdf(double(a)).mills, 1e-5));
    CHECK(rel_close(log_normal_cdf(a), log_cdf(double(a)).log_cdf, 1e-6));
  }
}
