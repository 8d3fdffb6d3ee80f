// Per-evaluation table of every op's step CDF for the CPU loss backend, the CPU's CDF source
// (TableCdf; core/cdf_source.hpp) for the windowed terms of core/. Each op's F(d) (as the
// tail min(Phi, 1 - Phi) and the density phi) is computed once per evaluate() over its CDF
// window [lo, hi] (core/gaussian.hpp) and then read by every edge and step term, forward and
// backward: without it each F(d) costs an erfc and an exp per incident edge, per consumer and
// per pass. The entries come from host/loss/cpu/cpu_gauss.hpp (a fitted erfcx, and in double two exps per
// kRun + 1 steps with a product recurrence between): what cdf_point returns, to a few ulps. The
// inverse Mills ratio phi / Phi of the memory terms is formed on access.
//
// Storage is the sum of the window widths (prefix-summed offsets), never ops x horizon. An op
// whose window is wider than kMaxOpWidth (2^20 steps), or that would take the table past its
// budget (2 GiB), is not tabulated and evaluated directly on access (core cdf_point, slower).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "core/gaussian.hpp"
#include "host/loss/cpu/cpu_gauss.hpp"

/// The CPU loss engine's per-op bodies are compiled twice, for x86-64-v3 (AVX2, FMA) and for the
/// baseline, and picked at load time by the CPU, so the binary still runs on any x86-64. flatten
/// inlines everything they call into each clone (a call out of a clone would run baseline code),
/// and only into the clones: out-of-line copies of shared inline functions stay baseline, so the
/// linker cannot pick an AVX2 copy for other callers. The clone contracts a * b + c into FMAs:
/// its results differ from the baseline's in the last bits (each machine stays deterministic).
/// Off under AddressSanitizer (ifunc resolvers run before its runtime is set up).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__) && \
    !defined(__SANITIZE_ADDRESS__)
#define GAUS_CPU_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), flatten))
#else
#define GAUS_CPU_CLONES
#endif

namespace gaus {

template <class T>
struct TableCdf;

template <class T>
class CdfTable {
 public:
  /// Window and scalars of one op; off < 0: not tabulated. split: the first step of the window
  /// whose a is >= 0 (hi + 1 if none): the stored tail is Phi before it, 1 - Phi from it on.
  struct OpInfo {
    std::int64_t lo, hi, off;
    T mu, inv;
    std::int64_t split;
  };

  /// Tabulates ops 0..n-1 (mu, sigma) with window factor k. `par`: run the fill with OpenMP on
  /// `threads` threads.
  void build(std::span<const T> mu, std::span<const T> sigma, T k, int threads, bool par) {
    const auto n = static_cast<std::int64_t>(mu.size());
    ops_.resize(static_cast<std::size_t>(n));
    const std::int64_t budget = kBudgetBytes / (static_cast<std::int64_t>(sizeof(T)) * 2);
#pragma omp parallel for schedule(static) num_threads(threads) if (par)
    for (std::int64_t i = 0; i < n; ++i) {
      const Window w = cdf_window(mu[i], sigma[i], k);
      ops_[static_cast<std::size_t>(i)] = OpInfo{w.lo, w.hi, -1, mu[i], T(1) / sigma[i], w.hi + 1};
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
    const FastErfcx& erfcx = FastErfcx::get();
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads) if (par)
    for (std::int64_t i = 0; i < n; ++i) fill(ops_[static_cast<std::size_t>(i)], erfcx);
  }

  [[nodiscard]] const OpInfo& op(std::int64_t i) const { return ops_[static_cast<std::size_t>(i)]; }

  /// Op i as a CDF source of core/cdf_source.hpp (TableCdf below).
  [[nodiscard]] TableCdf<T> source(std::int64_t i) const;

  /// F_i(d) as step_cdf returns it: exactly 0 below the window, 1 above (density 0 there).
  [[nodiscard]] [[gnu::always_inline]] CdfPoint<T> at(const OpInfo& o, std::int64_t d) const {
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
  [[nodiscard]] [[gnu::always_inline]] CdfPoint<T> inside(const OpInfo& o, std::int64_t x) const {
    const T a = ((T(x) - o.mu) + T(0.5)) * o.inv;
    if (o.off < 0) return cdf_point<T>(a);
    const auto k = static_cast<std::size_t>(o.off + (x - o.lo));
    const T tail = tail_[k];
    if (a < T(0)) return CdfPoint<T>{a, tail, T(1) - tail, pdf_[k]};
    return CdfPoint<T>{a, T(1) - tail, tail, pdf_[k]};
  }
  /// Cache hints for a pass that will soon read op i: its OpInfo, or (once that is cached) its
  /// tail and density rows. Successors and consumers are scattered over the table, and their
  /// misses, not the arithmetic, bound the passes on large graphs.
  void prefetch_info(std::int64_t i) const {
    if (static_cast<std::size_t>(i) < ops_.size()) __builtin_prefetch(ops_.data() + i);
  }
  void prefetch_row(std::int64_t i, bool with_pdf) const {
    if (static_cast<std::size_t>(i) >= ops_.size()) return;
    const OpInfo& o = ops_[static_cast<std::size_t>(i)];
    if (o.off < 0) return;
    const std::int64_t bytes = (o.hi - o.lo + 1) * static_cast<std::int64_t>(sizeof(T));
    const char* t = reinterpret_cast<const char*>(tail_.data() + o.off);
    const char* p = reinterpret_cast<const char*>(pdf_.data() + o.off);
    for (std::int64_t b = 0; b < bytes + 63; b += 64) {
      __builtin_prefetch(t + b);
      if (with_pdf) __builtin_prefetch(p + b);
    }
  }

  /// One tabulated op's row for branch-free, vectorizable loops: tail and density indexed by the
  /// step itself (tail[d], lo <= d <= hi), steps as 32-bit integers (packed conversions to T
  /// exist for those, not for 64-bit ones).
  struct Row {
    const T* tail;
    const T* pdf;
    T mu, inv;
    std::int32_t lo, hi, split;
  };
  /// Fills `r` for op o; false where o is not tabulated or a step near its window (steps up to
  /// 2^30 beyond it, as the sweeps read) would not fit in 32 bits.
  [[nodiscard]] bool row_view(const OpInfo& o, Row& r) const {
    constexpr std::int64_t kLim = std::int64_t(1) << 30;
    if (o.off < 0 || o.lo <= -kLim || o.hi >= kLim) return false;
    r = Row{tail_.data() + (o.off - o.lo), pdf_.data() + (o.off - o.lo), o.mu, o.inv,
            static_cast<std::int32_t>(o.lo), static_cast<std::int32_t>(o.hi),
            static_cast<std::int32_t>(o.split)};
    return true;
  }
  /// F and the density at step d of a Row (lo <= d <= hi): exactly inside()'s values, the side
  /// of the tail chosen by d < split (a < 0 there and only there) instead of a branch on a.
  [[gnu::always_inline]] static CdfPoint<T> point(const Row& r, std::int32_t d) {
    const T a = ((T(d) - r.mu) + T(0.5)) * r.inv;
    const T t = r.tail[d];
    const bool neg = d < r.split;
    return CdfPoint<T>{a, neg ? t : T(1) - t, neg ? T(1) - t : t, r.pdf[d]};
  }

  /// Phi above this is a normal number with full relative precision: phi / Phi is exact to ulps.
  static constexpr T kMillsDirectMin = sizeof(T) == sizeof(float) ? T(1e-30) : T(1e-290);

  /// The tails of a tabulated op (off >= 0): row(o)[x - lo] for lo <= x <= hi.
  [[nodiscard]] const T* row(const OpInfo& o) const { return tail_.data() + o.off; }

  /// The inverse Mills ratio phi/Phi at a_x for lo <= x <= hi: phi / Phi from the table while
  /// Phi is far from underflow, else sqrt(2/pi) / erfcx(-a/sqrt 2) (as log_cdf computes it).
  /// Computed on access rather than stored: a third array would cost more memory traffic than
  /// the division.
  [[nodiscard]] T mills_at(const OpInfo& o, std::int64_t x) const {
    const T a = ((T(x) - o.mu) + T(0.5)) * o.inv;
    if (o.off < 0) return log_cdf<T>(a).mills;
    const auto k = static_cast<std::size_t>(o.off + (x - o.lo));
    const T tail = tail_[k];
    const T cdf = a < T(0) ? tail : T(1) - tail;
    if (cdf > kMillsDirectMin) return pdf_[k] / cdf;
    return static_cast<T>(kSqrt2OverPi /
                          FastErfcx::get()(std::fabs(static_cast<double>(a)) * kSqrtHalf));
  }

 private:
  static constexpr std::int64_t kMaxOpWidth = std::int64_t(1) << 20;
  static constexpr std::int64_t kBudgetBytes = std::int64_t(2) << 30;
  static constexpr int kRun = 15;  ///< steps by recurrence between two exact exps

  /// Entries of one op. exp(-a^2/2) along the window, a_k = a_0 + k h (h = 1/sigma), follows
  /// e_{k+1} = e_k r_k, r_k = exp(-a_k h - h^2/2), r_{k+1} = r_k exp(-h^2): two products per
  /// step instead of an exp, re-anchored by exact exps every kRun steps (so rounding grows to
  /// at most a few ulps). Only for h <= 1, where r cannot overflow, and away from underflow.
  GAUS_CPU_CLONES void fill(OpInfo& o, const FastErfcx& erfcx) {
    if (o.off < 0) return;
    T* tail = tail_.data() + o.off;
    T* pdf = pdf_.data() + o.off;
    const std::int64_t width = o.hi - o.lo + 1;
    const double h = static_cast<double>(o.inv);
    // Float rows take an exp per step: a recurrence in exact a_0 + k h would drift from the
    // float a_k the terms use by up to a^2 float ulps.
    const bool recur = h <= 1.0 && sizeof(T) == sizeof(double);
    const double c = recur ? std::exp(-h * h) : 0.0;
    double e = 0.0, r = 0.0;
    int run = 0;
    for (std::int64_t k = 0; k < width; ++k) {
      const T a = ((T(o.lo + k) - o.mu) + T(0.5)) * o.inv;
      const double ad = static_cast<double>(a);
      if (a >= T(0) && o.split > o.hi) o.split = o.lo + k;
      if (run > 0) {
        e *= r;
        r *= c;
        --run;
      } else if (ad * ad < 1000.0) {
        e = std::exp(-0.5 * ad * ad);
        if (recur) {
          r = std::exp(-ad * h - 0.5 * h * h);
          run = kRun;
        }
      } else {
        e = ad * ad < 1490.0 ? std::exp(-0.5 * ad * ad) : 0.0;  // below: exp's underflow path
      }
      tail[k] = static_cast<T>(0.5 * e * erfcx(std::fabs(ad) * kSqrtHalf));
      pdf[k] = static_cast<T>(kInvSqrt2Pi * e);
    }
  }

  std::vector<OpInfo> ops_;
  std::vector<T> tail_, pdf_;
};

/// One op of a CdfTable as a CDF source (core/cdf_source.hpp): the windowed terms of core/
/// read F from the table through it.
template <class T>
struct TableCdf {
  const CdfTable<T>* tab;
  const typename CdfTable<T>::OpInfo* o;
  [[nodiscard]] std::int64_t lo() const { return o->lo; }
  [[nodiscard]] std::int64_t hi() const { return o->hi; }
  [[nodiscard]] T inv() const { return o->inv; }
  [[nodiscard]] [[gnu::always_inline]] CdfPoint<T> at(std::int64_t d) const {
    return tab->at(*o, d);
  }
  [[nodiscard]] [[gnu::always_inline]] CdfPoint<T> inside(std::int64_t d) const {
    return tab->inside(*o, d);
  }
};

template <class T>
TableCdf<T> CdfTable<T>::source(std::int64_t i) const {
  return TableCdf<T>{this, &op(i)};
}

}  // namespace gaus
