// Live and modulo memory on the device, balanced over memory entries (producer, consumer).
//
// A producer's live memory m(d) = b F_i(d) (1 - G(d)) needs, over its product region (from its
// latest consumer's window start to the last step any consumer's window reaches),
// log G(d) = sum_q log F_q(d - shift_q). Done per producer in one thread, that is
// count x region work in a single thread: on EPFL div a 370-consumer producer kept one thread
// busy for milliseconds while the GPU idled. Here every loop runs over a producer's own window
// or over one entry's steps, so no thread does more than one window's work:
//   span    per entry: atomicMax of its consumer's window start / end into the producer's span
//   region  per producer: the product region [start, start + len)
//   scan    CUB exclusive sum of the lengths: each producer's slots in one flat buffer
//   logg    per entry: log F_q(d) added into the producer's slots (fixed point: deterministic)
//   emit    per producer: own window, flat part and product region into the per-step sums;
//           the slots keep log G for the backward pass and the fixed-point sums are cleared
// Backward: per producer its own gradient and coef(d) = up(d) b F_i(d) G(d) into the slots, then
// per entry the consumer's gradient sum_d coef(d) h(a_d) (1, a_d) / sigma_q into mem_grad. The
// per-step math (memory_ranges, producer_grad_terms, consumer_grad_terms) is core/loss_steps.hpp's;
// only the log-domain product is this path's own (a parallel sum of log F by fixed-point atomics
// is deterministic, a running product is not).
// The slot buffer grows on demand: a region sum past its capacity skips the product work and
// reports the size needed (scalar kMemNeed / kModNeed); the engine grows it and evaluates again.
//
// Producers with at most LossConfig::memory_split entries (p.mem_small) skip all of the above:
// one thread each runs core/loss_steps.hpp's memory_forward / memory_backward over its few
// consumers, which costs one window's work per consumer and no slot traffic (the synthetic
// 10^7-op graphs, 1-3 consumers per producer, ran 64 ms per iteration that way against 112 ms
// balanced; docs/gpu-notes.md).
#include <cub/device/device_scan.cuh>

#include "core/cdf_source.hpp"
#include "core/gaussian.hpp"
#include "core/loss_steps.hpp"
#include "kernels/loss_device.cuh"

namespace gaus {

namespace {

/// Fixed-point scale of the log sums: |log Phi| stays below ~60 per consumer at the window's
/// edge, so even 10^5 consumers stay far inside 2^63 / 2^36.
constexpr double kLogScale = 68719476736.0;  // 2^36

/// The memory mode's fixed parameters, resolved once per launch.
struct Mode {
  int mode;            // 0 live memory (distance-0 consumers), 1 modulo memory (all, shifted)
  std::int64_t steps;  // per-step buffer length
  std::int64_t range;  // steps [0, range) are evaluated
  bool fold;           // d -> d mod steps
  double scale;        // fixed-point scale of the per-step sums
  __device__ bool valid(std::int32_t dist) const { return mode == 1 || dist == 0; }
  __device__ std::int64_t shift(std::int32_t dist, std::int64_t ii) const {
    return mode == 0 ? 0 : static_cast<std::int64_t>(dist) * ii;
  }
  __device__ std::int64_t slot(std::int64_t d) const { return fold ? d % steps : d; }
};

Mode make_mode(const LossKernelParams& k, int mode) {
  return mode == 0 ? Mode{0, k.horizon, k.horizon, false, k.scale_mem}
                   : Mode{1, k.mod_steps, k.mod_range, true, k.scale_mod};
}

__global__ void __launch_bounds__(kLossThreads)
    span_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k, Mode md,
                MemRegion r) {
  for (std::int64_t e = grid_start(); e < p.num_entries; e += grid_stride()) {
    const std::int32_t dist = p.mem_distance[e];
    if (!md.valid(dist)) continue;
    const std::int32_t i = p.mem_src[e];
    // A producer on the one-thread path keeps first = kNoSpan: every balanced kernel skips it.
    if (p.out_size[i] == 0.0f || (p.mem_small != nullptr && p.mem_small[i] != 0)) continue;
    const std::int32_t j = p.mem_dst[e];
    const Window w = cdf_window(s.mu[j], s.sigma[j], k.window);
    const std::int64_t shift = md.shift(dist, k.ii);
    atomicMax(r.first + i, static_cast<long long>(w.lo + shift));
    atomicMax(r.last + i, static_cast<long long>(w.hi + shift));
  }
}

__global__ void __launch_bounds__(kLossThreads)
    region_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k, Mode md,
                  MemRegion r) {
  for (std::int64_t i = grid_start(); i < p.n; i += grid_stride()) {
    std::int64_t len = 0, start = 0;
    if (r.first[i] != kNoSpan && p.out_size[i] != 0.0f) {
      const Window w = cdf_window(s.mu[i], s.sigma[i], k.window);
      const MemSpan m = memory_ranges(w.lo, w.hi, ConsumerSpan{r.first[i], r.last[i], true}, true,
                                      0, md.range);
      start = m.c_first;
      len = m.len();
    }
    r.start[i] = start;
    r.len[i] = len;
  }
}

// The kernels over steps below run one warp per producer or entry, its lanes over the steps
// (kernels/loss_device.cuh says why).
__device__ __forceinline__ bool fits(const LossDeviceProblem& p, const MemRegion& r) {
  return r.off[p.n] <= r.cap;
}

__global__ void __launch_bounds__(kLossThreads)
    logg_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k, Mode md,
                MemRegion r) {
  if (!fits(p, r)) return;
  const int lane = lane_id();
  for (std::int64_t e = warp_start(); e < p.num_entries; e += warp_stride()) {
    const std::int32_t dist = p.mem_distance[e];
    if (!md.valid(dist)) continue;
    const std::int32_t i = p.mem_src[e];
    const std::int64_t len = r.len[i];
    if (len == 0) continue;
    const std::int32_t j = p.mem_dst[e];
    const float mu = s.mu[j], sigma = s.sigma[j], inv = 1.0f / sigma;
    const Window w = cdf_window(mu, sigma, k.window);
    const std::int64_t shift = md.shift(dist, k.ii);
    const std::int64_t start = r.start[i];
    const std::int64_t hi = min_of(start + len - 1, w.hi + shift);
    const std::int64_t base = r.off[i] - start;  // slot of step d: base + d
    for (std::int64_t d = start + lane; d <= hi; d += 32) {
      const float a = ((static_cast<float>(d - shift) - mu) + 0.5f) * inv;
      scatter_add(r.logg, base + d, log_normal_cdf<float>(a), k.deterministic, kLogScale);
    }
  }
}

__device__ __forceinline__ double take_log_sum(unsigned long long* slot, bool fixed) {
  const unsigned long long raw = *slot;
  *slot = 0ull;  // cleared for the next evaluation
  return fixed ? static_cast<double>(static_cast<long long>(raw)) / kLogScale
               : __longlong_as_double(static_cast<long long>(raw));
}

__global__ void __launch_bounds__(kLossThreads)
    emit_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k, Mode md,
                MemRegion r, unsigned long long* acc, unsigned long long* diff, int need_scalar) {
  const bool det = k.deterministic;
  const bool ok = fits(p, r);
  const int lane = lane_id();
  if (grid_start() == 0 && !ok) s.scalars[need_scalar] = static_cast<double>(r.off[p.n]);
  for (std::int64_t i = warp_start(); i < p.n; i += warp_stride()) {
    // Every per-producer load up front, before any branch: one round trip instead of several.
    const float b = p.out_size[i];
    const std::int64_t first = r.first[i], last = r.last[i];
    const float mu = s.mu[i], sigma = s.sigma[i];
    const std::int64_t start = r.start[i], len = r.len[i], off = r.off[i];
    if (first == kNoSpan || b == 0.0f) continue;
    const ComputedCdf<float> fi(mu, sigma, k.window);
    const MemSpan m =
        memory_ranges(fi.lo(), fi.hi(), ConsumerSpan{first, last, true}, true, 0, md.range);
    // Before the latest consumer can start: the producer's own CDF, then flat b.
    for (std::int64_t d = m.a_first + lane; d <= m.a_last; d += 32)
      scatter_add(acc, md.slot(d), b * fi.at(d).cdf, det, md.scale);
    if (lane == 0 && m.f_first <= m.f_last)
      scatter_flat(diff, md.steps, md.fold, m.f_first, m.f_last, b, det, md.scale);
    if (!ok) continue;
    const std::int64_t base = off - start;
    for (std::int64_t d = start + lane; d < start + len; d += 32) {
      const float lg = static_cast<float>(take_log_sum(r.logg + base + d, det));
      r.gval[base + d] = lg;
      scatter_add(acc, md.slot(d), b * fi.at(d).cdf * -gm::expm1(lg), det, md.scale);
    }
  }
}

__global__ void __launch_bounds__(kLossThreads)
    coef_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k, Mode md,
                MemRegion r, const float* upstream) {
  const bool ok = fits(p, r);
  const int lane = lane_id();
  // Whole warps iterate together (the bound is per warp), so the shuffles see every lane.
  for (std::int64_t i = warp_start(); i < p.n; i += warp_stride()) {
    const float b = p.out_size[i];
    const std::int64_t first = r.first[i], last = r.last[i];
    const float mu = s.mu[i], sigma = s.sigma[i];
    const std::int64_t start = r.start[i], len = r.len[i], off = r.off[i];
    if (first == kNoSpan || b == 0.0f) continue;
    const ComputedCdf<float> fi(mu, sigma, k.window);
    const float inv = fi.inv();
    const MemSpan m =
        memory_ranges(fi.lo(), fi.hi(), ConsumerSpan{first, last, true}, true, 0, md.range);
    float g_mu = 0.0f, g_sg = 0.0f;
    for (std::int64_t d = m.a_first + lane; d <= m.a_last; d += 32) {
      const OpGrad<float> t = producer_grad_terms(upstream[md.slot(d)] * b, fi.at(d), inv);
      g_mu -= t.mu;
      g_sg -= t.sigma;
    }
    if (ok) {
      float* gval = r.gval + off;  // slot of step d: gval[d - start]
      for (std::int64_t d = start + lane; d < start + len; d += 32) {
        const float up = upstream[md.slot(d)] * b;
        float coef = 0.0f;
        if (up != 0.0f) {
          const float lg = gval[d - start];
          const CdfPoint<float> f = fi.at(d);
          const OpGrad<float> t = producer_grad_terms(up * -gm::expm1(lg), f, inv);  // 1 - G
          g_mu -= t.mu;
          g_sg -= t.sigma;
          coef = up * f.cdf * gm::exp(lg);  // up F_i G
        }
        gval[d - start] = coef;  // log G is no longer needed: the slot now holds coef(d)
      }
    }
    g_mu = warp_sum(g_mu);
    g_sg = warp_sum(g_sg);
    if (lane == 0) {
      s.own_mu[i] += g_mu;
      s.own_sigma[i] += g_sg;
    }
  }
}

__global__ void __launch_bounds__(kLossThreads)
    consumer_grad_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k, Mode md,
                         MemRegion r) {
  if (!fits(p, r)) return;
  const int lane = lane_id();
  for (std::int64_t e = warp_start(); e < p.num_entries; e += warp_stride()) {
    const std::int32_t dist = p.mem_distance[e];
    if (!md.valid(dist)) continue;
    const std::int32_t i = p.mem_src[e];
    const std::int64_t len = r.len[i];
    if (len == 0) continue;
    const std::int32_t j = p.mem_dst[e];
    const float mu = s.mu[j], sigma = s.sigma[j], inv = 1.0f / sigma;
    const Window w = cdf_window(mu, sigma, k.window);
    const std::int64_t shift = md.shift(dist, k.ii);
    const std::int64_t start = r.start[i];
    const std::int64_t hi = min_of(start + len - 1, w.hi + shift);
    const float* coef = r.gval + r.off[i];  // coef of step d: coef[d - start]
    float g_mu = 0.0f, g_sg = 0.0f;
    for (std::int64_t d = start + lane; d <= hi; d += 32) {
      const float c = coef[d - start];
      if (c == 0.0f) continue;
      const float a = ((static_cast<float>(d - shift) - mu) + 0.5f) * inv;
      const ConsumerTerms<float> t = consumer_grad_terms(c, log_cdf<float>(a).mills, a);
      g_mu += t.mu;
      g_sg += t.sigma;
    }
    g_mu = warp_sum(g_mu) * inv;  // consumer_grad_terms leave out the 1/sigma_q
    g_sg = warp_sum(g_sg) * inv;
    if (lane == 0) {
      float2 v = s.mem_grad[e];
      v.x += g_mu;
      v.y += g_sg;
      s.mem_grad[e] = v;
    }
  }
}

/// The consumers of producer i for core's memory_forward / memory_backward: its entries
/// [off, off + count) whose distance the mode counts, shifted by distance * II in modulo mode.
struct DeviceConsumers {
  const std::int32_t* distance;  // this producer's entries
  const std::int32_t* dst;
  const float* mu;
  const float* sigma;
  std::int64_t ii;
  Mode md;
  __device__ bool operator()(std::int64_t q, MemConsumer<float>& c) const {
    const std::int32_t dist = distance[q];
    if (!md.valid(dist)) return false;
    const std::int32_t j = dst[q];
    c.mu = mu[j];
    c.sigma = sigma[j];
    c.shift = md.shift(dist, ii);
    return true;
  }
};

__global__ void __launch_bounds__(kLossThreads)
    small_forward_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k, Mode md,
                         unsigned long long* acc, unsigned long long* diff) {
  const bool det = k.deterministic;
  for (std::int64_t i = grid_start(); i < p.n; i += grid_stride()) {
    if (p.mem_small[i] == 0) continue;
    const float b = p.out_size[i];
    if (b == 0.0f) continue;
    const std::int64_t off = p.mem_offsets[i];
    memory_forward(
        s.mu[i], s.sigma[i], b, k.window, p.mem_offsets[i + 1] - off,
        std::int64_t{0}, md.range,
        DeviceConsumers{p.mem_distance + off, p.mem_dst + off, s.mu, s.sigma, k.ii, md},
        [=](std::int64_t d, float x) { scatter_add(acc, md.slot(d), x, det, md.scale); },
        [=](std::int64_t from, std::int64_t to, float x) {
          scatter_flat(diff, md.steps, md.fold, from, to, x, det, md.scale);
        });
  }
}

/// Per small producer: its own gradient into own_*, its consumers' into mem_grad[entry] (each
/// entry has one producer, so one thread owns it: no atomics).
__global__ void __launch_bounds__(kLossThreads)
    small_backward_kernel(LossDeviceProblem p, LossDeviceState s, LossKernelParams k, Mode md,
                          const float* upstream) {
  for (std::int64_t i = grid_start(); i < p.n; i += grid_stride()) {
    if (p.mem_small[i] == 0) continue;
    const float b = p.out_size[i];
    if (b == 0.0f) continue;
    const std::int64_t off = p.mem_offsets[i];
    float2* const mg = s.mem_grad + off;
    const OpGrad<float> g = memory_backward(
        s.mu[i], s.sigma[i], b, k.window, p.mem_offsets[i + 1] - off,
        std::int64_t{0}, md.range,
        DeviceConsumers{p.mem_distance + off, p.mem_dst + off, s.mu, s.sigma, k.ii, md},
        [=](std::int64_t d) { return upstream[md.slot(d)]; },
        [=](std::int64_t q, float g_mu, float g_sg) {
          float2 v = mg[q];
          v.x += g_mu;
          v.y += g_sg;
          mg[q] = v;
        });
    s.own_mu[i] += g.mu;
    s.own_sigma[i] += g.sigma;
  }
}

/// Blocks for a warp-per-item kernel over `items`: at most a few full waves of the device, each
/// warp looping over items, so short-lived blocks are not launched by the ten thousand.
unsigned warp_grid(std::int64_t items) {
  static const unsigned max_blocks = [] {
    int device = 0, sms = 0;
    GAUS_CUDA_CHECK(cudaGetDevice(&device));
    GAUS_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
    return static_cast<unsigned>(8 * (sms > 0 ? sms : 1));
  }();
  const unsigned needed = blocks_for(32 * items, kLossThreads);
  return needed < max_blocks ? needed : max_blocks;
}

}  // namespace

std::size_t memory_scan_temp_bytes(std::int64_t n) {
  std::size_t bytes = 0;
  GAUS_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(
      nullptr, bytes, static_cast<std::int64_t*>(nullptr), static_cast<std::int64_t*>(nullptr),
      n + 1));
  return bytes;
}

void launch_memory_forward(const LossDeviceProblem& p, const LossDeviceState& s,
                           const LossKernelParams& k, int mode, cudaStream_t stream) {
  if (p.num_entries == 0) return;  // no producer stores anything: the term is 0
  const Mode md = make_mode(k, mode);
  const MemRegion& r = s.region[mode];
  unsigned long long* acc = mode == 0 ? s.acc_mem : s.acc_mod;
  unsigned long long* diff = mode == 0 ? s.diff_mem : s.diff_mod;
  const unsigned op_blocks = blocks_for(p.n, kLossThreads);
  const unsigned entry_blocks = blocks_for(p.num_entries, kLossThreads);
  const unsigned warp_blocks = warp_grid(p.n);  // warp per op
  const unsigned entry_warp_blocks = warp_grid(p.num_entries);
  // 0x80 bytes make kNoSpan: below every window bound, so atomicMax starts from "no consumer".
  GAUS_CUDA_CHECK(cudaMemsetAsync(r.first, 0x80, sizeof(long long) * p.n, stream));
  GAUS_CUDA_CHECK(cudaMemsetAsync(r.last, 0x80, sizeof(long long) * p.n, stream));
  launch("memory span_kernel", span_kernel, dim3(entry_blocks), dim3(kLossThreads), 0, stream, p,
         s, k, md, r);
  launch("memory region_kernel", region_kernel, dim3(op_blocks), dim3(kLossThreads), 0, stream, p,
         s, k, md, r);
  std::size_t bytes = r.scan_bytes;
  GAUS_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(r.scan_temp, bytes, r.len, r.off, p.n + 1, stream));
  launch("memory logg_kernel", logg_kernel, dim3(entry_warp_blocks), dim3(kLossThreads), 0, stream,
         p, s, k, md, r);
  launch("memory emit_kernel", emit_kernel, dim3(warp_blocks), dim3(kLossThreads), 0, stream, p,
         s, k, md, r, acc, diff, mode == 0 ? kMemNeed : kModNeed);
  if (p.mem_small != nullptr)
    launch("memory small_forward_kernel", small_forward_kernel, dim3(op_blocks),
           dim3(kLossThreads), 0, stream, p, s, k, md, acc, diff);
}

void launch_memory_backward(const LossDeviceProblem& p, const LossDeviceState& s,
                            const LossKernelParams& k, int mode, cudaStream_t stream) {
  if (p.num_entries == 0) return;
  const Mode md = make_mode(k, mode);
  const MemRegion& r = s.region[mode];
  launch("memory coef_kernel", coef_kernel, dim3(warp_grid(p.n)),
         dim3(kLossThreads), 0, stream, p, s, k, md, r, mode == 0 ? s.g_mem : s.g_mod);
  launch("memory consumer_grad_kernel", consumer_grad_kernel, dim3(warp_grid(p.num_entries)),
         dim3(kLossThreads), 0, stream, p, s, k, md, r);
  if (p.mem_small != nullptr)
    launch("memory small_backward_kernel", small_backward_kernel,
           dim3(blocks_for(p.n, kLossThreads)), dim3(kLossThreads), 0, stream, p, s, k, md,
           mode == 0 ? s.g_mem : s.g_mod);
}

}  // namespace gaus
