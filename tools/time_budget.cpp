#include "tools/time_budget.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace gaus::cli {

namespace {
// Dynamic initialization runs before main: the closest this program sees of its own start.
const std::chrono::steady_clock::time_point g_process_start = std::chrono::steady_clock::now();
}  // namespace

double process_elapsed_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - g_process_start).count();
}

double time_reserve_s(double limit_s, std::int64_t ops, std::int64_t edges) {
  return 0.03 * limit_s + 0.1 + 3e-6 * static_cast<double>(ops + edges);
}

double solver_budget_s(double limit_s, double elapsed_s, std::int64_t ops, std::int64_t edges) {
  if (!std::isfinite(limit_s)) return limit_s;
  return std::max(0.0, limit_s - elapsed_s - time_reserve_s(limit_s, ops, edges));
}

}  // namespace gaus::cli
