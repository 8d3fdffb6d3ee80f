// Host-side reductions of the CPU loss backend: sums over fixed chunks (the result does not
// depend on the thread count) and the stable soft maximum tau log sum exp(x / tau).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace gaus {

/// Sums N quantities over i in [0, n): f(i, acc) adds element i's share to acc. Chunks of a fixed
/// size are summed in parallel, then the chunk sums in order, so the rounding is the same
/// whatever the number of threads.
template <int N, class F>
std::array<double, N> chunked_sum(std::int64_t n, F&& f) {
  constexpr std::int64_t kChunk = 1 << 14;
  const std::int64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::array<double, N>> part(static_cast<std::size_t>(chunks));
#pragma omp parallel for schedule(dynamic, 1) if (chunks > 1)
  for (std::int64_t c = 0; c < chunks; ++c) {
    std::array<double, N> acc{};
    const std::int64_t end = std::min(n, (c + 1) * kChunk);
    for (std::int64_t i = c * kChunk; i < end; ++i) f(i, acc);
    part[static_cast<std::size_t>(c)] = acc;
  }
  std::array<double, N> total{};
  for (const auto& a : part)
    for (int k = 0; k < N; ++k) total[k] += a[k];
  return total;
}

/// S = tau log sum_r exp(x_r / tau) (max-shifted); grad[r] = weight * dS/dx_r =
/// weight * exp((x_r - S) / tau). Returns S; an empty x gives 0 and no gradient.
inline double soft_max(const std::vector<double>& x, double tau, double weight,
                       std::vector<double>& grad) {
  grad.assign(x.size(), 0.0);
  if (x.empty()) return 0.0;
  const double mx = *std::max_element(x.begin(), x.end());
  double sum = 0.0;
  for (double v : x) sum += std::exp((v - mx) / tau);
  const double s = mx + tau * std::log(sum);
  for (std::size_t r = 0; r < x.size(); ++r) grad[r] = weight * std::exp((x[r] - s) / tau);
  return s;
}

}  // namespace gaus
