// Per-step sums of the CPU loss backend (expected use, peak use, live memory): one fixed-point
// buffer per thread. Integer addition is associative, so the result does not depend on the
// number of threads or on which thread handled which op (deterministic), and the 64-bit fixed
// point (LossLayout::fixed_*) keeps about 2^-61 of the largest reachable sum as resolution.
// Flat runs (a value held constant over many steps) go to a difference array in O(1).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace gaus {

class StepSums {
 public:
  /// `rows` buffers of `steps` entries each; steps d >= 0 fold onto d mod steps when `fold`.
  void resize(int threads, std::int64_t rows, std::int64_t steps, bool fold, int exponent) {
    threads_ = threads;
    rows_ = rows;
    steps_ = steps;
    fold_ = fold;
    set_exponent(exponent);
    acc_.assign(static_cast<std::size_t>(threads * rows * steps), 0);
    diff_.assign(static_cast<std::size_t>(threads * rows * (steps + 1)), 0);
  }
  void set_exponent(int exponent) {
    scale_ = std::ldexp(1.0, exponent);
    inv_scale_ = std::ldexp(1.0, -exponent);
  }
  [[nodiscard]] std::int64_t size() const { return rows_ * steps_; }

  /// Zeroes thread `t`'s buffers (called by that thread, so its pages stay local).
  void clear(int t) {
    std::fill_n(acc_.begin() + t * rows_ * steps_, rows_ * steps_, 0);
    std::fill_n(diff_.begin() + t * rows_ * (steps_ + 1), rows_ * (steps_ + 1), 0);
  }

  /// Adds x at step d (0 <= d, and d < steps unless folding) of row `row`.
  void add(int t, std::int64_t row, std::int64_t d, double x) {
    const std::int64_t r = fold_ ? d % steps_ : d;
    acc_[static_cast<std::size_t>((t * rows_ + row) * steps_ + r)] += fixed(x);
  }

  /// Adds x at every step of [from, to] (0 <= from <= to) of row `row`.
  void add_flat(int t, std::int64_t row, std::int64_t from, std::int64_t to, double x) {
    std::uint64_t* diff = diff_.data() + (t * rows_ + row) * (steps_ + 1);
    const std::uint64_t v = fixed(x);
    if (!fold_) {
      diff[from] += v;
      diff[to + 1] -= v;
      return;
    }
    // Folded: whole turns add v to every residue; the remainder is one run, maybe wrapping.
    const std::int64_t len = to - from + 1;
    const std::int64_t turns = len / steps_;
    const std::int64_t rem = len % steps_;
    if (turns > 0) {
      diff[0] += v * static_cast<std::uint64_t>(turns);
      diff[steps_] -= v * static_cast<std::uint64_t>(turns);
    }
    if (rem == 0) return;
    const std::int64_t r0 = from % steps_;
    diff[r0] += v;
    if (r0 + rem <= steps_) {
      diff[r0 + rem] -= v;
    } else {
      diff[steps_] -= v;
      diff[0] += v;
      diff[r0 + rem - steps_] -= v;
    }
  }

  /// out[row * steps + r] = sum over threads (fixed order irrelevant: integers) of the buffers
  /// plus the prefix sums of the difference arrays, as doubles.
  void reduce(std::vector<double>& out) const {
    out.resize(static_cast<std::size_t>(rows_ * steps_));
    const std::int64_t total = rows_ * steps_;
#pragma omp parallel for schedule(static) if (total > 65536)
    for (std::int64_t k = 0; k < total; ++k) {
      std::uint64_t s = 0;
      for (int t = 0; t < threads_; ++t) s += acc_[static_cast<std::size_t>(t * total + k)];
      out[static_cast<std::size_t>(k)] = static_cast<double>(static_cast<std::int64_t>(s));
    }
    for (std::int64_t row = 0; row < rows_; ++row) {
      std::uint64_t run = 0;
      for (std::int64_t r = 0; r < steps_; ++r) {
        for (int t = 0; t < threads_; ++t)
          run += diff_[static_cast<std::size_t>((t * rows_ + row) * (steps_ + 1) + r)];
        double& o = out[static_cast<std::size_t>(row * steps_ + r)];
        o = (o + static_cast<double>(static_cast<std::int64_t>(run))) * inv_scale_;
      }
    }
  }

 private:
  /// round(x * 2^e) to the nearest integer (ties to even) in one instruction on x86-64
  /// (cvtsd2si under the default rounding mode); elsewhere floor(y + 1/2), the floor taken by
  /// truncation and a correction. Either is a fixed function of x, so sums stay independent of
  /// the thread count.
  [[nodiscard]] std::uint64_t fixed(double x) const {
#if defined(__SSE2__) && defined(__x86_64__)
    return static_cast<std::uint64_t>(_mm_cvtsd_si64(_mm_set_sd(x * scale_)));
#else
    const double y = x * scale_ + 0.5;
    std::int64_t v = static_cast<std::int64_t>(y);
    if (static_cast<double>(v) > y) --v;
    return static_cast<std::uint64_t>(v);
#endif
  }

  int threads_ = 1;
  std::int64_t rows_ = 0, steps_ = 0;
  bool fold_ = false;
  double scale_ = 1.0, inv_scale_ = 1.0;
  std::vector<std::uint64_t> acc_;
  std::vector<std::uint64_t> diff_;
};

}  // namespace gaus
