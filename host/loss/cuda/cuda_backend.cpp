// The CUDA loss engine's evaluation (host/loss/cuda/cuda_backend.hpp; its class is in
// host/loss/cuda/cuda_engine.hpp, its setup in cuda_setup.cpp): the per-evaluation kernel
// parameters from a LossConfig, the device state handed to the kernels, and evaluate().
// Compiled only with GAUS_HAS_CUDA; without it make_loss_engine reports that the build has no
// CUDA backend.
#ifdef GAUS_HAS_CUDA

#include "host/loss/cuda/cuda_backend.hpp"

#include "host/loss/cuda/cuda_engine.hpp"

namespace gaus::cuda_loss {

void CudaEngineImpl::configure(const LossConfig& c) {
  // The solver reconfigures every few iterations (temperature, penalties): the per-op capacity
  // weights go up only when they change, so a reconfiguration copies nothing and never waits.
  const bool upload_use = !use_weight_valid_ || c.weighted_capacity != cfg_.weighted_capacity;
  cfg_ = c;
  layout_ = make_loss_layout(p_, model_, c);
  if (upload_use) {
    std::vector<float> u(static_cast<std::size_t>(p_.num_ops()));
    for (std::size_t i = 0; i < u.size(); ++i)
      u[i] = c.weighted_capacity ? static_cast<float>(p_.weight[i]) : 1.0f;
    use_weight_.upload(u, stream_);
    GAUS_CUDA_CHECK(cudaStreamSynchronize(stream_));  // u is freed on return
    use_weight_valid_ = true;
  }
  LossKernelParams& k = params_;
  k = LossKernelParams{};
  k.horizon = c.horizon;
  k.ii = c.ii;
  k.cap_steps = layout_.cap_steps;
  k.mod_steps = layout_.mod_steps;
  k.mod_range = layout_.mod_range;
  k.window = static_cast<float>(c.window);
  k.closed_form = c.closed_form_dependency;
  k.deterministic = c.deterministic;
  const bool modulo = c.ii > 0;
  k.dep = c.active(Term::Dependency);
  k.rec = c.active(Term::Recurrence) && modulo;
  k.hor = c.active(Term::Horizon);
  k.cap = c.active(Term::Capacity);
  k.peak = c.active(Term::PeakUse);
  k.comm = c.active(Term::Communication);
  k.mem = c.active(Term::Memory);
  k.mod = c.active(Term::ModuloMemory) && modulo;
  for (int t = 0; t < kNumTerms; ++t) {
    k.weight[t] = static_cast<float>(c.weight[t]);
    k.penalty[t] = static_cast<float>(c.penalty[t]);
  }
  k.tau_peak = layout_.tau_peak;
  k.tau_memory = layout_.tau_memory;
  k.tau_modulo = layout_.tau_modulo_memory;
  k.scale_use = std::ldexp(1.0, layout_.fixed_use);
  k.scale_peak = std::ldexp(1.0, layout_.fixed_peak);
  k.scale_mem = std::ldexp(1.0, layout_.fixed_memory);
  k.scale_mod = std::ldexp(1.0, layout_.fixed_modulo);
  have_grads_ = false;
}

LossDeviceState CudaEngineImpl::state() const {
  LossDeviceState s;
  s.mu = mu_.get();
  s.sigma = sigma_.get();
  s.grad_mu = grad_mu_.get();
  s.grad_sigma = grad_sigma_.get();
  s.own_mu = own_mu_.get();
  s.own_sigma = own_sigma_.get();
  s.edge_val = edge_val_.get();
  s.edge_grad = edge_grad_.get();
  s.hval = hval_.get();
  s.mem_grad = mem_grad_.get();
  s.lam_edge = lam_edge_.get();
  s.lam_op = lam_op_.get();
  s.lam_cap = lam_cap_.get();
  s.acc_use = acc_use_.get();
  s.acc_peak = acc_peak_.get();
  s.acc_mem = acc_mem_.get();
  s.diff_mem = diff_mem_.get();
  s.acc_mod = acc_mod_.get();
  s.diff_mod = diff_mod_.get();
  s.val_use = val_use_.get();
  s.val_peak = val_peak_.get();
  s.val_mem = val_mem_.get();
  s.val_mod = val_mod_.get();
  s.g_use = g_use_.get();
  s.g_peak = g_peak_.get();
  s.g_mem = g_mem_.get();
  s.g_mod = g_mod_.get();
  s.cap_val = cap_val_.get();
  s.partials = partials_.get();
  s.scalars = scalars_.get();
  for (int mode = 0; mode < 2; ++mode) {
    const RegionBuffers& b = region_[mode];
    MemRegion& r = s.region[mode];
    r.first = b.first.get();
    r.last = b.last.get();
    r.start = b.start.get();
    r.len = b.len.get();
    r.off = b.off.get();
    r.logg = b.logg.get();
    r.gval = b.gval.get();
    r.cap = static_cast<std::int64_t>(b.logg.size());
    r.scan_temp = b.scan_temp.get();
    r.scan_bytes = b.scan_temp.size();
  }
  return s;
}

LossResult CudaEngineImpl::evaluate(bool with_grad) {
  NvtxRange range("gaus::loss evaluate");
  std::array<double, kNumLossScalars> h{};
  for (;;) {
    const LossDeviceState s = state();
    {
      NvtxRange fwd("gaus::loss forward");
      loss_forward(dp_, s, params_, stream_);
    }
    if (with_grad) {
      NvtxRange bwd("gaus::loss backward");
      loss_backward(dp_, s, params_, stream_);
    }
    GAUS_CUDA_CHECK(cudaMemcpyAsync(h.data(), scalars_.get(), sizeof(h), cudaMemcpyDeviceToHost,
                                    stream_));
    GAUS_CUDA_CHECK(cudaStreamSynchronize(stream_));
    // A memory region buffer was too small (the windows grew): grow it with room to spare and
    // evaluate again. Rare: the buffer only ever grows.
    bool again = false;
    for (int mode = 0; mode < 2; ++mode) {
      const double need = h[mode == 0 ? kMemNeed : kModNeed];
      if (need <= 0) continue;
      allocate_region(mode, static_cast<std::int64_t>(need * 1.5) + 1024);
      again = true;
    }
    if (!again) break;
  }
  LossResult r;
  const LossKernelParams& k = params_;
  const bool computed[kNumTerms] = {k.dep, k.rec, k.hor, k.cap, k.peak, k.comm, k.mem, k.mod};
  const double values[kNumTerms] = {h[kDepValue], h[kRecValue],  h[kHorValue],  h[kCapValue],
                                    h[kPeakValue], h[kCommValue], h[kMemValue], h[kModValue]};
  const double augmented[kNumTerms] = {h[kDepAug], h[kRecAug], h[kHorAug], h[kCapAug], 0, 0, 0, 0};
  for (int t = 0; t < kNumTerms; ++t) {
    r.computed[t] = computed[t];
    if (!computed[t]) continue;
    r.value[t] = values[t];
    r.augmented[t] = augmented[t];
    r.objective += cfg_.weight[t] * values[t] + augmented[t];
  }
  r.tau_peak = layout_.tau_peak;
  r.tau_memory = layout_.tau_memory;
  r.tau_modulo_memory = layout_.tau_modulo_memory;
  have_grads_ = with_grad;
  return r;
}

}  // namespace gaus::cuda_loss

namespace gaus {

std::unique_ptr<CudaLossEngine> make_cuda_loss_engine(const Problem& p, const LossConfig& c) {
  validate_loss_config(c);
  return std::make_unique<cuda_loss::CudaEngineImpl>(p, c);
}

}  // namespace gaus

#endif  // GAUS_HAS_CUDA
