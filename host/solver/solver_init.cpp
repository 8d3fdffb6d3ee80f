// Initial parameters of a descent (docs/design.md section 4.1): mu at the midpoint of each op's
// frame or at a list schedule's starts, sigma from the mobility with the floor, and a seeded mu
// jitter for restarts after the first.
#include <algorithm>
#include <cmath>
#include <random>

#include "core/adam.hpp"
#include "core/timing.hpp"
#include "host/solver/solver_detail.hpp"

namespace gaus::detail {

namespace {

/// Frames counted in ops along distance-0 paths (the ICML 2024 stage frames of formulation A,
/// whose delay-0 edges give every op ASAP 0): earliest = ops before it on its longest path,
/// latest = D - 1 - ops after it.
void level_frames(const Problem& p, std::int32_t horizon, std::vector<std::int32_t>& lo,
                  std::vector<std::int32_t>& hi) {
  const auto n = static_cast<std::size_t>(p.num_ops());
  lo.assign(n, 0);
  std::vector<std::int32_t> after(n, 0);
  for (op_id j : p.topo_order)
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.edge_distance[e] == 0) lo[j] = std::max(lo[j], lo[p.edge_src[e]] + 1);
    }
  for (auto it = p.topo_order.rbegin(); it != p.topo_order.rend(); ++it) {
    const op_id i = *it;
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) after[i] = std::max(after[i], after[p.edge_dst[e]] + 1);
  }
  hi.resize(n);
  for (std::size_t i = 0; i < n; ++i) hi[i] = std::max(lo[i], horizon - 1 - after[i]);
}

}  // namespace

void init_params(const Problem& p, const SolveOptions& o, Formulation f, std::int32_t horizon,
                 const std::vector<std::int32_t>* list_starts, std::int32_t restart,
                 std::vector<double>& mu, std::vector<double>& rho) {
  const op_id n = p.num_ops();
  std::vector<std::int32_t> lo, hi;
  if (f == Formulation::A) {
    level_frames(p, horizon, lo, hi);
  } else {
    lo = asap_starts(p);
    hi = alap_starts(p, horizon);
    for (op_id i = 0; i < n; ++i) hi[i] = std::max(hi[i], lo[i]);
  }
  mu.resize(static_cast<std::size_t>(n));
  rho.resize(static_cast<std::size_t>(n));
  double scale = 1.0;
  if (list_starts != nullptr) {
    // A list schedule longer than D is squeezed into it; order is kept, legality is not.
    std::int32_t span = 1;
    for (op_id i = 0; i < n; ++i) span = std::max(span, (*list_starts)[i] + occupancy(p, i));
    scale = std::min(1.0, static_cast<double>(horizon) / span);
  }
  const double sigma_floor = 2.0 * o.sigma_min;
  for (op_id i = 0; i < n; ++i) {
    if (list_starts != nullptr) mu[i] = scale * (*list_starts)[i];
    else if (o.init == SolverInit::Alap) mu[i] = hi[i];
    else mu[i] = 0.5 * (lo[i] + hi[i]);
    const double sigma = std::clamp(o.sigma_init * (hi[i] - lo[i] + 1), sigma_floor,
                                    std::max(sigma_floor, o.sigma_init_max));
    rho[i] = rho_from_sigma(sigma, o.sigma_min);
  }
  if (restart > 0 && o.init_jitter > 0) {
    // One stream per restart, so restart r is the same whatever R is.
    std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(restart));
    std::normal_distribution<double> jitter(0.0, o.init_jitter);
    for (op_id i = 0; i < n; ++i) mu[i] += jitter(rng);
  }
}

}  // namespace gaus::detail
