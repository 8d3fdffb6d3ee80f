// Single-block finishers of the loss forward pass: per-step accumulators to values (with the
// prefix sum of the memory difference arrays), capacity penalties and their upstream gradients,
// soft maxima and theirs, and the fixed-order sums of the per-block partials. Each thread walks
// a fixed slice and cub block primitives combine them, so every result is run-to-run identical.
// The penalties and the soft maximum are core/penalties.hpp's and core/soft_max.hpp's.
#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>

#include <type_traits>

#include "core/penalties.hpp"
#include "core/soft_max.hpp"
#include "kernels/loss_device.cuh"

namespace gaus {

namespace {

using BlockSumD = cub::BlockReduce<double, kFinishThreads>;

struct MaxOp {
  __device__ double operator()(double a, double b) const { return a < b ? b : a; }
};

/// One accumulator entry as an integer (fixed point) or a double.
template <bool kFixed>
using AccT = std::conditional_t<kFixed, long long, double>;

template <bool kFixed>
__device__ __forceinline__ AccT<kFixed> acc_load(const unsigned long long* a, std::int64_t i) {
  if constexpr (kFixed)
    return static_cast<long long>(a[i]);
  else
    return __longlong_as_double(static_cast<long long>(a[i]));
}

template <bool kFixed>
__device__ __forceinline__ double acc_value(AccT<kFixed> x, double inv_scale) {
  if constexpr (kFixed)
    return static_cast<double>(x) * inv_scale;
  else
    return x;
}

/// Per-step values val[r] = acc[r] (+ prefix of diff) for r < steps, then the soft maximum
/// of core/soft_max.hpp over the block (S into *out, g[r] = weight dS/dval_r).
template <bool kFixed>
__global__ void __launch_bounds__(kFinishThreads)
    soft_max_kernel(std::int64_t steps, const unsigned long long* __restrict__ acc,
                    const unsigned long long* __restrict__ diff, double inv_scale, double tau,
                    float weight, double* __restrict__ val, float* __restrict__ g,
                    double* __restrict__ out) {
  using Scan = cub::BlockScan<AccT<kFixed>, kFinishThreads>;
  __shared__ union {
    typename Scan::TempStorage scan;
    typename BlockSumD::TempStorage sum;
  } tmp;
  __shared__ double shared;
  const std::int64_t chunk = (steps + kFinishThreads - 1) / kFinishThreads;
  const std::int64_t first = static_cast<std::int64_t>(threadIdx.x) * chunk;
  const std::int64_t begin = first < steps ? first : steps;
  const std::int64_t end = begin + chunk < steps ? begin + chunk : steps;
  AccT<kFixed> local = 0;
  if (diff != nullptr)
    for (std::int64_t r = begin; r < end; ++r) local += acc_load<kFixed>(diff, r);
  AccT<kFixed> run;
  Scan(tmp.scan).ExclusiveSum(local, run);
  __syncthreads();
  double mx = -1e300;
  for (std::int64_t r = begin; r < end; ++r) {
    if (diff != nullptr) run += acc_load<kFixed>(diff, r);
    const double v = acc_value<kFixed>(acc_load<kFixed>(acc, r) + run, inv_scale);
    val[r] = v;
    mx = v > mx ? v : mx;
  }
  const double block_max = BlockSumD(tmp.sum).Reduce(mx, MaxOp{});
  if (threadIdx.x == 0) shared = block_max;
  __syncthreads();
  const double top = shared;
  double se = 0.0;
  for (std::int64_t r = begin; r < end; ++r) se += soft_max_term(val[r], top, tau);
  __syncthreads();
  const double total = BlockSumD(tmp.sum).Sum(se);
  if (threadIdx.x == 0) {
    shared = soft_max_value(top, total, tau);
    *out = shared;
  }
  __syncthreads();
  const double s_max = shared;
  for (std::int64_t r = begin; r < end; ++r)
    g[r] = static_cast<float>(weight * soft_max_weight(val[r], s_max, tau));
}

/// The capacity penalties of core/penalties.hpp, V_{k,r} = max(0, U_k(r) - C_k)^2, with their
/// upstream dJ/dU; sums of V and of lambda V + rho/2 V^2 into out[0], out[1].
template <bool kFixed>
__global__ void __launch_bounds__(kFinishThreads)
    capacity_kernel(std::int64_t total, std::int64_t steps,
                    const unsigned long long* __restrict__ acc, double inv_scale,
                    const double* __restrict__ limit, const float* __restrict__ lam, float weight,
                    float rho, double* __restrict__ val, float* __restrict__ cap_val,
                    float* __restrict__ g, double* __restrict__ out) {
  __shared__ typename BlockSumD::TempStorage tmp;
  double v_sum = 0.0, aug = 0.0;
  for (std::int64_t c = threadIdx.x; c < total; c += kFinishThreads) {
    const double u = acc_value<kFixed>(acc_load<kFixed>(acc, c), inv_scale);
    val[c] = u;
    const CapacityPenalty<double> cp = capacity_penalty(u, limit[c / steps]);
    cap_val[c] = static_cast<float>(cp.value);
    v_sum += cp.value;
    aug += augmented_value<double>(lam[c], rho, cp.value);
    g[c] = static_cast<float>(
        capacity_upstream(augmented_upstream<double>(weight, lam[c], rho, cp.value), cp.excess));
  }
  const double a = BlockSumD(tmp).Sum(v_sum);
  __syncthreads();
  const double b = BlockSumD(tmp).Sum(aug);
  if (threadIdx.x == 0) {
    out[0] = a;
    out[1] = b;
  }
}

/// scalars[first + q] = sum over blocks b < blocks of partials[(first + q) * kLossMaxBlocks + b].
__global__ void __launch_bounds__(kFinishThreads)
    partials_kernel(const double* __restrict__ partials, int first, int count, unsigned blocks,
                    double* __restrict__ scalars) {
  __shared__ typename BlockSumD::TempStorage tmp;
  for (int q = first; q < first + count; ++q) {
    double s = 0.0;
    for (unsigned b = threadIdx.x; b < blocks; b += kFinishThreads)
      s += partials[q * kLossMaxBlocks + b];
    const double total = BlockSumD(tmp).Sum(s);
    if (threadIdx.x == 0) scalars[q] = total;
    __syncthreads();
  }
}

template <bool kFixed>
void launch_finishers(const LossDeviceProblem& p, const LossDeviceState& s,
                      const LossKernelParams& k, cudaStream_t stream) {
  const auto inv = [](double scale) { return 1.0 / scale; };
  const dim3 one(1), threads(kFinishThreads);
  const std::int64_t caps = static_cast<std::int64_t>(p.num_limited) * k.cap_steps;
  if (k.cap && caps > 0)
    launch("capacity_kernel", capacity_kernel<kFixed>, one, threads, 0, stream, caps,
           static_cast<std::int64_t>(k.cap_steps), s.acc_use, inv(k.scale_use), p.cap_limit,
           s.lam_cap, k.weight_of(Term::Capacity), k.penalty_of(Term::Capacity), s.val_use,
           s.cap_val, s.g_use, s.scalars + kCapValue);
  if (k.peak)
    launch("soft_max_kernel", soft_max_kernel<kFixed>, one, threads, 0, stream,
           static_cast<std::int64_t>(k.horizon), s.acc_peak,
           static_cast<const unsigned long long*>(nullptr), inv(k.scale_peak), k.tau_peak,
           k.weight_of(Term::PeakUse), s.val_peak, s.g_peak, s.scalars + kPeakValue);
  if (k.mem)
    launch("soft_max_kernel", soft_max_kernel<kFixed>, one, threads, 0, stream,
           static_cast<std::int64_t>(k.horizon), s.acc_mem,
           static_cast<const unsigned long long*>(s.diff_mem), inv(k.scale_mem), k.tau_memory,
           k.weight_of(Term::Memory), s.val_mem, s.g_mem, s.scalars + kMemValue);
  if (k.mod)
    launch("soft_max_kernel", soft_max_kernel<kFixed>, one, threads, 0, stream,
           static_cast<std::int64_t>(k.mod_steps), s.acc_mod,
           static_cast<const unsigned long long*>(s.diff_mod), inv(k.scale_mod), k.tau_modulo,
           k.weight_of(Term::ModuloMemory), s.val_mod, s.g_mod, s.scalars + kModValue);
}

}  // namespace

void launch_loss_finishers(const LossDeviceProblem& p, const LossDeviceState& s,
                           const LossKernelParams& k, unsigned edge_blocks, unsigned op_blocks,
                           cudaStream_t stream) {
  if (k.deterministic)
    launch_finishers<true>(p, s, k, stream);
  else
    launch_finishers<false>(p, s, k, stream);
  const dim3 one(1), threads(kFinishThreads);
  if (edge_blocks > 0)
    launch("partials_kernel", partials_kernel, one, threads, 0, stream,
           static_cast<const double*>(s.partials), 0, kEdgeParts, edge_blocks, s.scalars);
  if (op_blocks > 0)
    launch("partials_kernel", partials_kernel, one, threads, 0, stream,
           static_cast<const double*>(s.partials), kEdgeParts, kOpParts, op_blocks, s.scalars);
}

}  // namespace gaus
