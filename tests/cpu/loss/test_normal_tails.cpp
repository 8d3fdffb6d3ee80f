// The CPU backend's fast normal tails (host/loss/cpu/cpu_gauss.hpp) and the table fill built on them
// (host/loss/cpu/cdf_table.hpp: one exp per kRun steps, a fitted erfcx): accuracy against long double
// references over the whole range, the far tails, wide windows (long recurrences), tiny sigma
// (no recurrence, Mills ratio from erfcx) and the sign split of each row.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/gaussian.hpp"
#include "host/loss/cpu/cdf_table.hpp"
#include "host/loss/cpu/cpu_gauss.hpp"

using namespace gaus;

namespace {

using L = long double;

/// |got - want| relative to |want|, or to `floor` for references below it (values that
/// underflow the type under test, where 0 is the right answer).
double rel_err(L got, L want, L floor = L(1e-300)) {
  return static_cast<double>(std::fabs(got - want) / std::max(std::fabs(want), floor));
}

/// Phi(-|a|) and phi(a) in long double.
L ref_tail(L a) { return L(0.5) * std::erfc(std::fabs(a) / std::sqrt(L(2))); }
L ref_pdf(L a) { return std::exp(-a * a / 2) / std::sqrt(2 * L(3.14159265358979323846264338L)); }

}  // namespace

TEST_CASE("cpu gauss: fitted erfcx within 1e-15 of exp(x^2) erfc(x) on [0, 40]") {
  const FastErfcx& f = FastErfcx::get();
  double worst = 0.0, at = 0.0;
  for (double x = 0.0; x < 40.0; x += 1.7e-3) {
    const L want = x < 100 ? std::exp(L(x) * L(x)) * std::erfc(L(x)) : 0;
    const double e = rel_err(f(x), want);
    if (e > worst) {
      worst = e;
      at = x;
    }
  }
  // The piece boundaries, where an interpolant is least accurate.
  for (int k = 0; k <= FastErfcx::kNear; ++k) {
    const double x = FastErfcx::kNearX * k / FastErfcx::kNear;
    worst = std::max(worst, rel_err(f(x), std::exp(L(x) * L(x)) * std::erfc(L(x))));
  }
  INFO("worst at x = ", at);
  CHECK(worst < 1e-15);
}

TEST_CASE("cpu gauss: tail and density match erfc and exp; far tails are zero, not NaN") {
  const FastErfcx& f = FastErfcx::get();
  double worst_tail = 0.0, worst_pdf = 0.0;
  for (double a = -12.0; a <= 12.0; a += 3.1e-3) {
    const TailPdf tp = fast_tail_pdf(a, f);
    // a is exact; the reference's own rounding of a^2 costs up to ~a^2 ulps, so relative
    // 1e-14 over |a| <= 12 (the windows use |a| <= K + 1/2 sigma, K = 5 by default).
    worst_tail = std::max(worst_tail, rel_err(tp.tail, ref_tail(L(a))));
    worst_pdf = std::max(worst_pdf, rel_err(tp.pdf, ref_pdf(L(a))));
  }
  CHECK(worst_tail < 4e-14);
  CHECK(worst_pdf < 4e-14);
  for (double a : {-40.0, 40.0, 1e3, -1e300, std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()}) {
    const TailPdf tp = fast_tail_pdf(a, f);
    CHECK(tp.tail == 0.0);
    CHECK(tp.pdf == 0.0);
  }
  const CdfPoint<double> c = fast_cdf_point(-1.5, f);
  const CdfPoint<double> want = cdf_point(-1.5);
  CHECK(c.cdf == doctest::Approx(want.cdf).epsilon(1e-15));
  CHECK(c.ccdf == doctest::Approx(want.ccdf).epsilon(1e-15));
  CHECK(c.pdf == doctest::Approx(want.pdf).epsilon(1e-15));
}

namespace {

/// Every entry of every row against long double references at the same a; the sign split.
template <class T>
void check_rows(const std::vector<T>& mu, const std::vector<T>& sigma, T k, double tol) {
  CdfTable<T> tab;
  tab.build(mu, sigma, k, 1, false);
  const L floor = sizeof(T) == sizeof(float) ? L(1e-35) : L(1e-300);
  const auto rel = [floor](L got, L want) { return rel_err(got, want, floor); };
  for (std::size_t i = 0; i < mu.size(); ++i) {
    const auto& o = tab.op(static_cast<std::int64_t>(i));
    REQUIRE(o.off >= 0);
    double worst_cdf = 0.0, worst_ccdf = 0.0, worst_pdf = 0.0, worst_mills = 0.0;
    bool split_ok = true;
    for (std::int64_t d = o.lo; d <= o.hi; ++d) {
      const T a = ((T(d) - o.mu) + T(0.5)) * o.inv;
      const L la = static_cast<L>(a);
      const L tail = ref_tail(la);
      const L cdf = a < T(0) ? tail : 1 - tail;
      const L ccdf = a < T(0) ? 1 - tail : tail;
      const CdfPoint<T> got = tab.inside(o, d);
      worst_cdf = std::max(worst_cdf, rel(got.cdf, cdf));
      worst_ccdf = std::max(worst_ccdf, rel(got.ccdf, ccdf));
      worst_pdf = std::max(worst_pdf, rel(got.pdf, ref_pdf(la)));
      if (cdf > floor) worst_mills = std::max(worst_mills, rel(tab.mills_at(o, d), ref_pdf(la) / cdf));
      split_ok = split_ok && ((d < o.split) == (a < T(0)));
    }
    INFO("op ", i, " mu ", mu[i], " sigma ", sigma[i], " width ", o.hi - o.lo + 1);
    CHECK(split_ok);
    CHECK(worst_cdf < tol);
    CHECK(worst_ccdf < tol);
    CHECK(worst_pdf < tol);
    CHECK(worst_mills < tol);
  }
}

}  // namespace

TEST_CASE("cpu gauss: table rows match the references, wide windows and tiny sigma too") {
  // sigma 900 at K = 8: 14,400 steps, so hundreds of recurrence runs; sigma 0.01: a jumps by
  // 100 per step (no recurrence, the lower tail down to Phi(-50): Mills ratio from erfcx).
  const std::vector<double> mu{3.2, 0.99, 40.0, -5.3, 1000.25, 7.5};
  const std::vector<double> sigma{0.7, 0.01, 1.0, 3.0, 900.0, 4.0};
  check_rows<double>(mu, sigma, 5.0, 5e-14);
  check_rows<double>(mu, sigma, 8.0, 5e-14);
  // Float rows: entries rounded from double, so within a few float ulps of the reference at
  // the float a.
  const std::vector<float> muf{3.2f, 0.99f, 40.0f, -5.3f, 1000.25f, 7.5f};
  const std::vector<float> sigmaf{0.7f, 0.01f, 1.0f, 3.0f, 900.0f, 4.0f};
  check_rows<float>(muf, sigmaf, 5.0f, 5e-7);
}

TEST_CASE("cpu gauss: Mills ratio in the far lower tail, where Phi underflows") {
  // sigma 0.004, K = 300 (window mu +- 1.2): a = (d + 1/2 - mu) / sigma jumps by 250 per step,
  // so the first steps sit at a = -200 and -50, past double underflow of Phi at -200:
  // the Mills ratio comes from erfcx (about -a).
  const std::vector<double> mu{10.3};
  const std::vector<double> sigma{0.004};
  CdfTable<double> tab;
  tab.build(mu, sigma, 300.0, 1, false);
  const auto& o = tab.op(0);
  for (std::int64_t d = o.lo; d <= o.hi; ++d) {
    const double a = ((double(d) - o.mu) + 0.5) * o.inv;
    const double h = tab.mills_at(o, d);
    CHECK(std::isfinite(h));
    CHECK(h == doctest::Approx(log_cdf(a).mills).epsilon(1e-13));
  }
}
