// Device helpers shared by the loss kernels: launch geometry and the per-step scatter, by 64-bit
// fixed-point atomics (integer addition is associative: bitwise reproducible sums) or by double
// atomics. Also the finisher launcher that kernels/loss_kernels.cu calls.
#pragma once

#include <cstdint>

#include "kernels/launch.cuh"
#include "kernels/loss_kernels.hpp"

namespace gaus {

inline constexpr unsigned kLossThreads = 256;
inline constexpr unsigned kFinishThreads = 1024;

/// Blocks for a grid-stride loop over `n` elements, capped so per-block partials fit.
inline unsigned loss_grid(std::int64_t n) {
  const unsigned b = blocks_for(n, kLossThreads);
  return b < static_cast<unsigned>(kLossMaxBlocks) ? b : static_cast<unsigned>(kLossMaxBlocks);
}

/// Warp-per-item kernels: the lane, and the first item / stride of a grid-stride loop over
/// items with one warp each (blockDim a multiple of 32, so whole warps iterate together). Their
/// lanes run over an item's steps, so the 32 lanes of a per-step atomic hit 32 consecutive
/// entries (with one thread per producer, neighbouring producers feed the same consumers and a
/// warp's lanes collided on one address: the memory emit kernel took 940 us on div, against
/// 25 us without its product region).
__device__ __forceinline__ int lane_id() { return static_cast<int>(threadIdx.x & 31u); }
__device__ __forceinline__ std::int64_t warp_start() { return grid_start() >> 5; }
__device__ __forceinline__ std::int64_t warp_stride() { return grid_stride() >> 5; }
/// Sum over the warp's lanes in a fixed butterfly order (deterministic); every lane gets it.
__device__ __forceinline__ float warp_sum(float x) {
  for (int o = 16; o > 0; o >>= 1) x += __shfl_xor_sync(0xffffffffu, x, o);
  return x;
}

/// Adds x to entry i of a per-step accumulator.
__device__ __forceinline__ void scatter_add(unsigned long long* acc, std::int64_t i, double x,
                                            bool fixed, double scale) {
  if (fixed) {
    // x * 2^e is exact for a power-of-two scale; negative values wrap as two's complement.
    atomicAdd(acc + i, static_cast<unsigned long long>(__double2ll_rn(x * scale)));
  } else {
    atomicAdd(reinterpret_cast<double*>(acc) + i, x);
  }
}

/// Adds x to every step of [from, to] through a difference array of `steps` + 1 entries; with
/// `fold`, steps map to d mod steps (whole turns add to every residue). Mirrors StepSums.
__device__ __forceinline__ void scatter_flat(unsigned long long* diff, std::int64_t steps,
                                             bool fold, std::int64_t from, std::int64_t to,
                                             double x, bool fixed, double scale) {
  if (!fold) {
    scatter_add(diff, from, x, fixed, scale);
    scatter_add(diff, to + 1, -x, fixed, scale);
    return;
  }
  const std::int64_t len = to - from + 1;
  const std::int64_t turns = len / steps;
  const std::int64_t rem = len % steps;
  if (turns > 0) {
    const double whole = x * static_cast<double>(turns);
    scatter_add(diff, 0, whole, fixed, scale);
    scatter_add(diff, steps, -whole, fixed, scale);
  }
  if (rem == 0) return;
  const std::int64_t r0 = from % steps;
  scatter_add(diff, r0, x, fixed, scale);
  if (r0 + rem <= steps) {
    scatter_add(diff, r0 + rem, -x, fixed, scale);
  } else {
    scatter_add(diff, steps, -x, fixed, scale);
    scatter_add(diff, 0, x, fixed, scale);
    scatter_add(diff, r0 + rem - steps, -x, fixed, scale);
  }
}

/// Live (mode 0) or modulo (mode 1) memory, balanced over memory entries
/// (kernels/memory_kernels.cu): the forward pass into the per-step sums, the backward pass into
/// own_mu / own_sigma and mem_grad.
void launch_memory_forward(const LossDeviceProblem& p, const LossDeviceState& s,
                           const LossKernelParams& k, int mode, cudaStream_t stream);
void launch_memory_backward(const LossDeviceProblem& p, const LossDeviceState& s,
                            const LossKernelParams& k, int mode, cudaStream_t stream);

/// Capacity penalties, soft maxima and the partial sums of the edge and op kernels: every
/// single-block finisher (kernels/loss_finish.cu). `edge_blocks` / `op_blocks`: the grids used.
void launch_loss_finishers(const LossDeviceProblem& p, const LossDeviceState& s,
                           const LossKernelParams& k, unsigned edge_blocks, unsigned op_blocks,
                           cudaStream_t stream);

}  // namespace gaus
