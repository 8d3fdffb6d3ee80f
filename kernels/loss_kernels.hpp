// Launchers of the loss kernels (kernels/loss_kernels.cu, kernels/loss_finish.cu), called by the
// CUDA loss backend (host/loss/cuda/cuda_backend.cpp). Every pointer is a device pointer allocated once
// per engine; every launch runs on the given stream. CUDA builds only.
//
// Per evaluation:
//   loss_forward   zero the per-step accumulators; edge kernel (dependency / recurrence /
//                  communication values and per-edge gradients); op kernel (horizon, expected
//                  and peak use scattered per step); memory kernels (live / modulo memory);
//                  single-block finishers (capacity, soft maxima, value sums) -> scalars
//   loss_backward  per-op gradients of the per-step terms, memory consumer gradients per entry,
//                  then one gather per op (own + out-edges + in-edges + memory entries): no
//                  atomics on gradients.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "core/terms.hpp"

namespace gaus {

/// The problem on the device (uploaded once).
struct LossDeviceProblem {
  std::int32_t n = 0;
  std::int64_t m = 0;
  std::int32_t num_limited = 0;
  const std::int32_t* occupancy = nullptr;   ///< max(L_i, 1)
  const std::int32_t* blocking = nullptr;    ///< B_i
  const std::int32_t* cap_class = nullptr;   ///< limited class or -1
  const float* use_weight = nullptr;         ///< u_i (1, or w_i with weighted capacity)
  const float* weight = nullptr;             ///< w_i
  const float* out_size = nullptr;           ///< b_i
  const double* cap_limit = nullptr;         ///< C_k per limited class
  const std::int64_t* succ_offsets = nullptr;
  const std::int32_t* edge_dst = nullptr;
  const std::int32_t* edge_delay = nullptr;
  const std::int32_t* edge_distance = nullptr;
  const float* edge_weight = nullptr;
  const std::int64_t* pred_offsets = nullptr;
  const std::int64_t* pred_edges = nullptr;
  const std::int64_t* mem_offsets = nullptr;
  const std::int32_t* mem_dst = nullptr;
  const std::int32_t* mem_distance = nullptr;
  const std::int64_t* mem_pred_offsets = nullptr;
  const std::int64_t* mem_pred = nullptr;
  const std::int32_t* edge_src = nullptr;
  const std::int32_t* mem_src = nullptr;  ///< per memory entry: its producer
  std::int64_t num_entries = 0;  ///< memory entries (mem_offsets[n])
  /// Per op: 1 = its memory terms run one thread per producer (LossConfig::memory_split),
  /// 0 = balanced over its entries. Null when no producer is on the one-thread path.
  const std::uint8_t* mem_small = nullptr;
};

/// Scalars written by the finishers (one cudaMemcpy per evaluation brings them back).
enum LossScalar : int {
  kDepValue = 0,
  kDepAug,
  kRecValue,
  kRecAug,
  kCommValue,
  kHorValue,
  kHorAug,
  kCapValue,
  kCapAug,
  kPeakValue,
  kMemValue,
  kModValue,
  kMemNeed,  ///< live-memory slots needed when the region buffer was too small, else 0
  kModNeed,  ///< the same for modulo memory
  kNumLossScalars
};
inline constexpr int kEdgeParts = 5;  ///< partial sums of the edge kernel: scalars 0..4
inline constexpr int kOpParts = 2;    ///< partial sums of the op kernel: scalars 5..6
inline constexpr int kLossMaxBlocks = 2048;

/// "No consumer" in MemRegion::first/last: every byte 0x80, below any window bound.
inline constexpr long long kNoSpan = static_cast<long long>(0x8080808080808080ull);

/// One memory mode's per-producer product regions (kernels/memory_kernels.cu).
struct MemRegion {
  long long* first = nullptr;     ///< per op: latest consumer window start (kNoSpan: none)
  long long* last = nullptr;      ///< per op: latest consumer window end
  std::int64_t* start = nullptr;  ///< per op: first step of the product region
  std::int64_t* len = nullptr;    ///< n + 1: region lengths (len[n] = 0)
  std::int64_t* off = nullptr;    ///< n + 1: exclusive sum of len (off[n] = slots needed)
  unsigned long long* logg = nullptr;  ///< cap slots: log G sums (zero between evaluations)
  float* gval = nullptr;               ///< cap slots: log G, then coef in the backward pass
  std::int64_t cap = 0;
  void* scan_temp = nullptr;
  std::size_t scan_bytes = 0;
};

/// Mutable device buffers.
struct LossDeviceState {
  const float* mu = nullptr;
  const float* sigma = nullptr;
  float* grad_mu = nullptr;
  float* grad_sigma = nullptr;
  float* own_mu = nullptr;      ///< per op: horizon + per-step term gradients
  float* own_sigma = nullptr;
  float* edge_val = nullptr;    ///< per edge: V_e (dependency or recurrence), 0 if inactive
  float4* edge_grad = nullptr;  ///< per edge: dJ/d(mu_i, sigma_i, mu_j, sigma_j)
  float* hval = nullptr;        ///< per op: horizon V_i
  float2* mem_grad = nullptr;   ///< per memory entry: consumer dJ/d(mu_j, sigma_j)
  const float* lam_edge = nullptr;
  const float* lam_op = nullptr;
  const float* lam_cap = nullptr;
  // Per-step accumulators: 64-bit fixed point (deterministic) or doubles, 8 bytes per entry.
  unsigned long long* acc_use = nullptr;   ///< num_limited * cap_steps
  unsigned long long* acc_peak = nullptr;  ///< D
  unsigned long long* acc_mem = nullptr;   ///< D
  unsigned long long* diff_mem = nullptr;  ///< D + 1
  unsigned long long* acc_mod = nullptr;   ///< II
  unsigned long long* diff_mod = nullptr;  ///< II + 1
  double* val_use = nullptr;  ///< per-step values
  double* val_peak = nullptr;
  double* val_mem = nullptr;
  double* val_mod = nullptr;
  float* g_use = nullptr;  ///< dJ/d(per-step value)
  float* g_peak = nullptr;
  float* g_mem = nullptr;
  float* g_mod = nullptr;
  float* cap_val = nullptr;  ///< per (class, step): max(0, U - C)^2
  double* partials = nullptr;  ///< (kEdgeParts + kOpParts) * kLossMaxBlocks
  double* scalars = nullptr;   ///< kNumLossScalars
  MemRegion region[2];         ///< live memory, modulo memory
};

/// Per-evaluation settings.
struct LossKernelParams {
  std::int32_t horizon = 0;
  std::int32_t ii = 0;
  std::int32_t cap_steps = 0;
  std::int32_t mod_steps = 0;
  std::int64_t mod_range = 0;
  float window = 5.0f;
  bool closed_form = false;
  bool deterministic = true;
  bool dep = false, rec = false, hor = false, cap = false, peak = false, comm = false,
       mem = false, mod = false;  ///< computed terms
  float weight[kNumTerms] = {};
  float penalty[kNumTerms] = {};
  double tau_peak = 1, tau_memory = 1, tau_modulo = 1;
  /// Fixed-point scales 2^e (deterministic mode).
  double scale_use = 1, scale_peak = 1, scale_mem = 1, scale_mod = 1;

  /// weight_t and rho_t of term t.
  GAUS_HD float weight_of(Term t) const { return weight[term_index(t)]; }
  GAUS_HD float penalty_of(Term t) const { return penalty[term_index(t)]; }
};

void loss_forward(const LossDeviceProblem& p, const LossDeviceState& s, const LossKernelParams& k,
                  cudaStream_t stream);
void loss_backward(const LossDeviceProblem& p, const LossDeviceState& s,
                   const LossKernelParams& k, cudaStream_t stream);
/// Temporary bytes of the memory kernels' scan over n + 1 lengths.
std::size_t memory_scan_temp_bytes(std::int64_t n);

/// lambda_c += rho_t V_c for the computed constraint terms.
void loss_update_multipliers(const LossDeviceProblem& p, const LossDeviceState& s,
                             const LossKernelParams& k, float* lam_edge, float* lam_op,
                             float* lam_cap, cudaStream_t stream);

}  // namespace gaus
