// The loss kernels: thin grid-stride loops over edges and ops around the element math of
// core/loss_terms.hpp, core/loss_steps.hpp and core/penalties.hpp (float; F computed on access,
// ComputedCdf of core/cdf_source.hpp), per-block partial sums by cub::BlockReduce,
// per-step scatter by atomics (kernels/loss_device.cuh), gradients gathered per op. The memory
// terms live in kernels/memory_kernels.cu.
#include <cub/block/block_reduce.cuh>

#include "core/loss_steps.hpp"
#include "core/loss_terms.hpp"
#include "core/penalties.hpp"
#include "kernels/loss_device.cuh"

namespace gaus {

namespace {

using BlockSum = cub::BlockReduce<double, kLossThreads>;

/// Writes this block's sums of `count` per-thread values to partials[first + k][blockIdx.x].
template <int kCount>
__device__ void store_partials(const double (&local)[kCount], double* partials, int first,
                               typename BlockSum::TempStorage& tmp) {
  for (int q = 0; q < kCount; ++q) {
    const double total = BlockSum(tmp).Sum(local[q]);
    if (threadIdx.x == 0) partials[(first + q) * kLossMaxBlocks + blockIdx.x] = total;
    __syncthreads();
  }
}


/// Per edge: dependency or recurrence V_e, communication c_e E_e, and dJ/d(mu, sigma) of both
/// ends (stored per edge, gathered per op later). Partials: dep, dep aug, rec, rec aug, comm.
__global__ void __launch_bounds__(kLossThreads)
    edge_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k) {
  __shared__ typename BlockSum::TempStorage tmp;
  double local[kEdgeParts] = {};
  for (std::int64_t e = grid_start(); e < p.m; e += grid_stride()) {
    const std::int32_t i = p.edge_src[e];
    const std::int32_t j = p.edge_dst[e];
    const std::int32_t dist = p.edge_distance[e];
    const float mu_i = s.mu[i], sg_i = s.sigma[i], mu_j = s.mu[j], sg_j = s.sigma[j];
    float v = 0.0f;
    float4 g = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
    if (dist == 0 ? k.dep : k.rec) {
      const Term t = dist == 0 ? Term::Dependency : Term::Recurrence;
      const std::int64_t lambda = p.edge_delay[e] - static_cast<std::int64_t>(dist) * k.ii;
      const EdgeGrad<float> r =
          k.closed_form ? precedence_violation_closed(mu_i, sg_i, mu_j, sg_j, lambda)
                        : precedence_violation(mu_i, sg_i, mu_j, sg_j, lambda, k.window);
      v = r.value;
      const float lam = s.lam_edge[e];
      const float up = augmented_upstream(k.weight_of(t), lam, k.penalty_of(t), v);  // dJ/dV_e
      g = make_float4(up * r.mu_i, up * r.sigma_i, up * r.mu_j, up * r.sigma_j);
      const double aug = augmented_value<double>(lam, k.penalty_of(t), v);
      if (t == Term::Dependency) {  // constant indices keep `local` in registers
        local[0] += v;
        local[1] += aug;
      } else {
        local[2] += v;
        local[3] += aug;
      }
    }
    const float c = p.edge_weight[e];
    if (dist == 0 && k.comm && c != 0.0f) {
      const EdgeGrad<float> r = communication_distance(mu_i, sg_i, mu_j, sg_j, k.window);
      const float up = k.weight_of(Term::Communication) * c;  // dJ/dE_e
      g.x += up * r.mu_i;
      g.y += up * r.sigma_i;
      g.z += up * r.mu_j;
      g.w += up * r.sigma_j;
      local[4] += static_cast<double>(c) * r.value;
    }
    s.edge_val[e] = v;
    s.edge_grad[e] = g;
  }
  store_partials(local, s.partials, 0, tmp);
}

/// Per op, one warp each with its lanes over the window's steps (the per-step atomics of a
/// warp then hit consecutive entries: 4.6 -> 2.0 ms on a 10^6-op graph with 928 steps): horizon
/// value and gradient on lane 0 (initializing own_mu/own_sigma), expected use and peak use
/// scattered per step. Partials: horizon, horizon aug.
__global__ void __launch_bounds__(kLossThreads)
    op_forward_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k) {
  __shared__ typename BlockSum::TempStorage tmp;
  double local[kOpParts] = {};
  const bool fold = k.ii > 0;
  const bool det = k.deterministic;
  const std::int64_t cap_steps = k.cap_steps;
  const double scale_use = k.scale_use, scale_peak = k.scale_peak;
  unsigned long long* const acc_peak = s.acc_peak;
  const int lane = lane_id();
  for (std::int64_t i = warp_start(); i < p.n; i += warp_stride()) {
    const float mu = s.mu[i], sigma = s.sigma[i];
    if (lane == 0) {
      float gm = 0.0f, gs = 0.0f, hv = 0.0f;
      if (k.hor) {
        const OpGrad<float> h = horizon_violation(mu, sigma, k.horizon - p.occupancy[i]);
        hv = h.value;
        const float lam = s.lam_op[i];
        // dJ/dV_i
        const float up = augmented_upstream(k.weight_of(Term::Horizon), lam,
                                            k.penalty_of(Term::Horizon), hv);
        gm = up * h.mu;
        gs = up * h.sigma;
        local[0] += hv;
        local[1] += augmented_value<double>(lam, k.penalty_of(Term::Horizon), hv);
      }
      s.hval[i] = hv;
      s.own_mu[i] = gm;
      s.own_sigma[i] = gs;
    }
    const std::int32_t row = p.cap_class[i];
    if (k.cap && row >= 0) {
      const float u = p.use_weight[i];
      unsigned long long* acc = s.acc_use + static_cast<std::int64_t>(row) * cap_steps;
      use_sweep_strided(mu, sigma, k.window, p.blocking[i], 0, k.horizon, lane, 32,
                        [=](std::int64_t d, float x, float, float) {
                          scatter_add(acc, fold ? d % cap_steps : d, u * x, det, scale_use);
                        });
    }
    const float w = p.weight[i];
    if (k.peak && w != 0.0f)
      use_sweep_strided(mu, sigma, k.window, 1, 0, k.horizon, lane, 32,
                        [=](std::int64_t d, float x, float, float) {
                          scatter_add(acc_peak, d, w * x, det, scale_peak);
                        });
  }
  store_partials(local, s.partials, kEdgeParts, tmp);
}

/// Per op: gradients of expected use (capacity) and peak use, added to own_mu/own_sigma.
__global__ void __launch_bounds__(kLossThreads)
    op_backward_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k) {
  const bool fold = k.ii > 0;
  const std::int64_t cap_steps = k.cap_steps;
  const float* const g_peak = s.g_peak;
  for (std::int64_t i = grid_start(); i < p.n; i += grid_stride()) {
    const float mu = s.mu[i], sigma = s.sigma[i];
    float gm = s.own_mu[i], gs = s.own_sigma[i];
    const std::int32_t row = p.cap_class[i];
    if (k.cap && row >= 0) {
      const float u = p.use_weight[i];
      const float* g = s.g_use + static_cast<std::int64_t>(row) * cap_steps;
      use_sweep(mu, sigma, k.window, p.blocking[i], 0, k.horizon,
                [&](std::int64_t d, float, float r_mu, float r_sg) {
                  const float up = u * g[fold ? d % cap_steps : d];  // u_i dJ/dU_k(d)
                  gm += up * r_mu;
                  gs += up * r_sg;
                });
    }
    const float w = p.weight[i];
    if (k.peak && w != 0.0f)
      use_sweep(mu, sigma, k.window, 1, 0, k.horizon,
                [&](std::int64_t d, float, float r_mu, float r_sg) {
                  const float up = w * g_peak[d];  // w_i dJ/dW(d)
                  gm += up * r_mu;
                  gs += up * r_sg;
                });
    s.own_mu[i] = gm;
    s.own_sigma[i] = gs;
  }
}

/// Per op: own + out-edge (source side) + in-edge (destination side) + memory-entry gradients,
/// summed in double in a fixed order.
__global__ void __launch_bounds__(kLossThreads)
    gather_kernel(LossDeviceProblem p, LossDeviceState s) {
  for (std::int64_t j = grid_start(); j < p.n; j += grid_stride()) {
    double gm = s.own_mu[j], gs = s.own_sigma[j];
    for (std::int64_t e = p.succ_offsets[j]; e < p.succ_offsets[j + 1]; ++e) {
      const float4 g = s.edge_grad[e];
      gm += g.x;
      gs += g.y;
    }
    for (std::int64_t q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const float4 g = s.edge_grad[p.pred_edges[q]];
      gm += g.z;
      gs += g.w;
    }
    for (std::int64_t q = p.mem_pred_offsets[j]; q < p.mem_pred_offsets[j + 1]; ++q) {
      const float2 g = s.mem_grad[p.mem_pred[q]];
      gm += g.x;
      gs += g.y;
    }
    s.grad_mu[j] = static_cast<float>(gm);
    s.grad_sigma[j] = static_cast<float>(gs);
  }
}

__global__ void __launch_bounds__(kLossThreads)
    update_edge_multipliers_kernel(std::int64_t m, const std::int32_t* __restrict__ distance,
                                   const float* __restrict__ val, float rho_dep, float rho_rec,
                                   float* __restrict__ lam) {
  for (std::int64_t e = grid_start(); e < m; e += grid_stride())
    lam[e] = updated_multiplier(lam[e], distance[e] == 0 ? rho_dep : rho_rec, val[e]);
}

__global__ void __launch_bounds__(kLossThreads)
    update_multipliers_kernel(std::int64_t n, const float* __restrict__ val, float rho,
                              float* __restrict__ lam) {
  for (std::int64_t c = grid_start(); c < n; c += grid_stride())
    lam[c] = updated_multiplier(lam[c], rho, val[c]);
}

void zero(void* ptr, std::size_t bytes, cudaStream_t stream) {
  if (bytes) GAUS_CUDA_CHECK(cudaMemsetAsync(ptr, 0, bytes, stream));
}

}  // namespace

void loss_forward(const LossDeviceProblem& p, const LossDeviceState& s, const LossKernelParams& k,
                  cudaStream_t stream) {
  constexpr std::size_t kW = sizeof(unsigned long long);
  zero(s.scalars, kNumLossScalars * sizeof(double), stream);
  if (k.cap) zero(s.acc_use, kW * p.num_limited * k.cap_steps, stream);
  if (k.peak) zero(s.acc_peak, kW * k.horizon, stream);
  if (k.mem) {
    zero(s.acc_mem, kW * k.horizon, stream);
    zero(s.diff_mem, kW * (k.horizon + 1), stream);
  }
  if (k.mod) {
    zero(s.acc_mod, kW * k.mod_steps, stream);
    zero(s.diff_mod, kW * (k.mod_steps + 1), stream);
  }
  const unsigned edge_blocks = p.m > 0 ? loss_grid(p.m) : 0;
  const unsigned op_warp_blocks = p.n > 0 ? loss_grid(32 * std::int64_t{p.n}) : 0;
  if (edge_blocks > 0)
    launch("edge_kernel", edge_kernel, dim3(edge_blocks), dim3(kLossThreads), 0, stream, p, s, k);
  if (p.n > 0) {
    launch("op_forward_kernel", op_forward_kernel, dim3(op_warp_blocks), dim3(kLossThreads), 0,
           stream, p, s, k);
    if (k.mem) launch_memory_forward(p, s, k, 0, stream);
    if (k.mod) launch_memory_forward(p, s, k, 1, stream);
  }
  launch_loss_finishers(p, s, k, edge_blocks, op_warp_blocks, stream);
}

void loss_backward(const LossDeviceProblem& p, const LossDeviceState& s,
                   const LossKernelParams& k, cudaStream_t stream) {
  if (p.n == 0) return;
  const unsigned blocks = loss_grid(p.n);
  zero(s.mem_grad, sizeof(float2) * static_cast<std::size_t>(p.num_entries), stream);
  if (k.cap || k.peak)
    launch("op_backward_kernel", op_backward_kernel, dim3(blocks), dim3(kLossThreads), 0, stream,
           p, s, k);
  if (k.mem) launch_memory_backward(p, s, k, 0, stream);
  if (k.mod) launch_memory_backward(p, s, k, 1, stream);
  launch("gather_kernel", gather_kernel, dim3(blocks), dim3(kLossThreads), 0, stream, p, s);
}

void loss_update_multipliers(const LossDeviceProblem& p, const LossDeviceState& s,
                             const LossKernelParams& k, float* lam_edge, float* lam_op,
                             float* lam_cap, cudaStream_t stream) {
  if (p.m > 0 && (k.dep || k.rec))
    launch("update_edge_multipliers_kernel", update_edge_multipliers_kernel, dim3(loss_grid(p.m)),
           dim3(kLossThreads), 0, stream, p.m, p.edge_distance, s.edge_val,
           k.dep ? k.penalty_of(Term::Dependency) : 0.0f,
           k.rec ? k.penalty_of(Term::Recurrence) : 0.0f, lam_edge);
  if (p.n > 0 && k.hor)
    launch("update_multipliers_kernel", update_multipliers_kernel, dim3(loss_grid(p.n)),
           dim3(kLossThreads), 0, stream, static_cast<std::int64_t>(p.n), s.hval,
           k.penalty_of(Term::Horizon), lam_op);
  const std::int64_t caps = static_cast<std::int64_t>(p.num_limited) * k.cap_steps;
  if (caps > 0 && k.cap)
    launch("update_multipliers_kernel", update_multipliers_kernel, dim3(loss_grid(caps)),
           dim3(kLossThreads), 0, stream, caps, s.cap_val, k.penalty_of(Term::Capacity), lam_cap);
}

}  // namespace gaus
