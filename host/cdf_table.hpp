// Per-evaluation table of every op's step CDF for the CPU loss backend. Each op's F(d) (as the
// tail min(Phi, 1 - Phi) and the density phi) and, for the memory terms, the inverse Mills ratio
// phi / Phi are computed once per evaluate() over its CDF window [lo, hi] (core/gaussian.hpp)
// and then read by every edge and step term, forward and backward: without it each F(d) costs an
// erfc and an exp per incident edge, per consumer and per pass. The entries are the very values
// cdf_point / log_cdf return (same expressions on the same inputs), so results are unchanged.
//
// Storage is the sum of the window widths (prefix-summed offsets), never ops x horizon. An op
// whose window is wider than kMaxOpWidth (2^20 steps), or that would take the table past its
// budget (2 GiB), is not tabulated and evaluated directly on access (same values, just slower).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "core/gaussian.hpp"

namespace gaus {

template <class T>
class CdfTable {
 public:
  /// Window and scalars of one op; off < 0: not tabulated.
  struct OpInfo {
    std::int64_t lo, hi, off;
    T mu, inv;
  };

  /// Tabulates ops 0..n-1 (mu, sigma) with window factor k; `with_mills` adds the inverse Mills
  /// ratio. `par`: run the fill with OpenMP on `threads` threads.
  void build(std::span<const T> mu, std::span<const T> sigma, T k, bool with_mills, int threads,
             bool par) {
    const auto n = static_cast<std::int64_t>(mu.size());
    ops_.resize(static_cast<std::size_t>(n));
    with_mills_ = with_mills;
    const std::int64_t budget = kBudgetBytes / (static_cast<std::int64_t>(sizeof(T)) *
                                                (with_mills ? 3 : 2));
#pragma omp parallel for schedule(static) num_threads(threads) if (par)
    for (std::int64_t i = 0; i < n; ++i) {
      const Window w = cdf_window(mu[i], sigma[i], k);
      ops_[static_cast<std::size_t>(i)] = OpInfo{w.lo, w.hi, -1, mu[i], T(1) / sigma[i]};
    }
    std::int64_t total = 0;  // offsets: prefix sum of the widths, in op order
    for (OpInfo& o : ops_) {
      const std::int64_t width = std::max<std::int64_t>(o.hi - o.lo + 1, 0);
      if (width <= kMaxOpWidth && total + width <= budget) {
        o.off = total;
        total += width;
      } else {
        o.off = -1;
      }
    }
    // Grow only: no reallocation once the buffers have reached their working size.
    if (static_cast<std::int64_t>(tail_.size()) < total) {
      tail_.resize(static_cast<std::size_t>(total));
      pdf_.resize(static_cast<std::size_t>(total));
    }
    if (with_mills && static_cast<std::int64_t>(mills_.size()) < total)
      mills_.resize(static_cast<std::size_t>(total));
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads) if (par)
    for (std::int64_t i = 0; i < n; ++i) fill(ops_[static_cast<std::size_t>(i)]);
  }

  [[nodiscard]] const OpInfo& op(std::int64_t i) const { return ops_[static_cast<std::size_t>(i)]; }

  /// F_i(d) as step_cdf returns it: exactly 0 below the window, 1 above (density 0 there).
  [[nodiscard]] CdfPoint<T> at(const OpInfo& o, std::int64_t d) const {
    if (d < o.lo) return CdfPoint<T>{T(0), T(0), T(1), T(0)};
    if (d > o.hi) return CdfPoint<T>{T(0), T(1), T(0), T(0)};
    const T a = ((T(d) - o.mu) + T(0.5)) * o.inv;
    if (o.off < 0) return cdf_point<T>(a);
    const auto x = static_cast<std::size_t>(o.off + (d - o.lo));
    const T tail = tail_[x];
    if (a < T(0)) return CdfPoint<T>{a, tail, T(1) - tail, pdf_[x]};
    return CdfPoint<T>{a, T(1) - tail, tail, pdf_[x]};
  }

  /// F(x) = (cdf, ccdf) for lo <= x <= hi, without the range checks of at().
  [[nodiscard]] CdfPoint<T> inside(const OpInfo& o, std::int64_t x) const {
    const T a = ((T(x) - o.mu) + T(0.5)) * o.inv;
    if (o.off < 0) return cdf_point<T>(a);
    const auto k = static_cast<std::size_t>(o.off + (x - o.lo));
    const T tail = tail_[k];
    if (a < T(0)) return CdfPoint<T>{a, tail, T(1) - tail, pdf_[k]};
    return CdfPoint<T>{a, T(1) - tail, tail, pdf_[k]};
  }
  /// The inverse Mills ratio phi/Phi at a_x for lo <= x <= hi (with_mills tables only).
  [[nodiscard]] T mills_at(const OpInfo& o, std::int64_t x) const {
    if (o.off < 0) return log_cdf<T>(((T(x) - o.mu) + T(0.5)) * o.inv).mills;
    return mills_[static_cast<std::size_t>(o.off + (x - o.lo))];
  }

 private:
  static constexpr std::int64_t kMaxOpWidth = std::int64_t(1) << 20;
  static constexpr std::int64_t kBudgetBytes = std::int64_t(2) << 30;

  void fill(const OpInfo& o) {
    if (o.off < 0) return;
    for (std::int64_t d = o.lo; d <= o.hi; ++d) {
      const auto x = static_cast<std::size_t>(o.off + (d - o.lo));
      const T a = ((T(d) - o.mu) + T(0.5)) * o.inv;
      const CdfPoint<T> c = cdf_point<T>(a);
      tail_[x] = a < T(0) ? c.cdf : c.ccdf;
      pdf_[x] = c.pdf;
      if (!with_mills_) continue;
      // As log_cdf (core/gaussian.hpp) computes it: phi / Phi while Phi is a normal number,
      // from erfcx in the far lower tail.
      mills_[x] = a >= log_cdf_direct_limit<T>() ? c.pdf / c.cdf : log_cdf<T>(a).mills;
    }
  }

  std::vector<OpInfo> ops_;
  std::vector<T> tail_, pdf_, mills_;
  bool with_mills_ = false;
};

}  // namespace gaus
