// Host-side reduction of the CPU loss backend: the stable soft maximum tau log sum exp(x / tau).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace gaus {

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
