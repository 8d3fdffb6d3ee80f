// Setup and evaluation of the CUDA loss engine (included once by host/loss/cuda/cuda_backend.cpp).

namespace gaus {
namespace {

void CudaEngineImpl::upload_problem() {
  const Problem& p = p_;
  const op_id n = p.num_ops();
  std::vector<std::int32_t> occ(static_cast<std::size_t>(n));
  for (op_id i = 0; i < n; ++i) occ[i] = occupancy(p, i);
  occupancy_.assign(occ, stream_);
  blocking_.assign(p.blocking, stream_);
  cap_class_.assign(model_.cap_class, stream_);
  weight_.assign(convert<float>(p.weight), stream_);
  out_size_.assign(convert<float>(p.out_size), stream_);
  use_weight_.allocate(static_cast<std::size_t>(n));
  cap_limit_.assign(model_.cap_limit, stream_);
  succ_offsets_.assign(p.succ_offsets, stream_);
  edge_src_.assign(p.edge_src, stream_);
  edge_dst_.assign(p.edge_dst, stream_);
  edge_delay_.assign(p.edge_delay, stream_);
  edge_distance_.assign(p.edge_distance, stream_);
  edge_weight_.assign(convert<float>(p.edge_weight), stream_);
  pred_offsets_.assign(p.pred_offsets, stream_);
  pred_edges_.assign(p.pred_edges, stream_);
  mem_offsets_.assign(model_.mem_offsets, stream_);
  mem_dst_.assign(model_.mem_dst, stream_);
  mem_distance_.assign(model_.mem_distance, stream_);
  mem_pred_offsets_.assign(model_.mem_pred_offsets, stream_);
  mem_pred_.assign(model_.mem_pred, stream_);
  std::vector<std::int32_t> mem_src(model_.mem_dst.size());
  for (op_id i = 0; i < n; ++i)
    for (auto q = model_.mem_offsets[i]; q < model_.mem_offsets[i + 1]; ++q) mem_src[q] = i;
  mem_src_.assign(mem_src, stream_);
  // Producers with few entries take the one-thread memory path (LossConfig::memory_split).
  std::vector<std::uint8_t> small(static_cast<std::size_t>(n), 0);
  bool any_small = false;
  for (op_id i = 0; i < n; ++i) {
    const auto count = model_.mem_offsets[i + 1] - model_.mem_offsets[i];
    small[i] = count > 0 && count <= cfg_.memory_split ? 1 : 0;
    any_small |= small[i] != 0;
  }
  if (any_small) mem_small_.assign(small, stream_);

  dp_.n = n;
  dp_.m = p.num_edges();
  dp_.num_limited = model_.num_limited();
  dp_.occupancy = occupancy_.get();
  dp_.blocking = blocking_.get();
  dp_.cap_class = cap_class_.get();
  dp_.use_weight = use_weight_.get();
  dp_.weight = weight_.get();
  dp_.out_size = out_size_.get();
  dp_.cap_limit = cap_limit_.get();
  dp_.succ_offsets = succ_offsets_.get();
  dp_.edge_src = edge_src_.get();
  dp_.edge_dst = edge_dst_.get();
  dp_.edge_delay = edge_delay_.get();
  dp_.edge_distance = edge_distance_.get();
  dp_.edge_weight = edge_weight_.get();
  dp_.pred_offsets = pred_offsets_.get();
  dp_.pred_edges = pred_edges_.get();
  dp_.mem_offsets = mem_offsets_.get();
  dp_.mem_dst = mem_dst_.get();
  dp_.mem_distance = mem_distance_.get();
  dp_.mem_pred_offsets = mem_pred_offsets_.get();
  dp_.mem_pred = mem_pred_.get();
  dp_.mem_src = mem_src_.get();
  dp_.num_entries = static_cast<std::int64_t>(model_.mem_dst.size());
  dp_.mem_small = any_small ? mem_small_.get() : nullptr;
}

void CudaEngineImpl::allocate_state() {
  const auto n = static_cast<std::size_t>(p_.num_ops());
  const auto m = static_cast<std::size_t>(p_.num_edges());
  const auto d = static_cast<std::size_t>(cfg_.horizon);
  const auto ii = static_cast<std::size_t>(cfg_.ii);
  const std::size_t caps =
      static_cast<std::size_t>(model_.num_limited()) * (ii > 0 ? ii : d);
  for (auto* b : {&mu_, &sigma_, &grad_mu_, &grad_sigma_, &own_mu_, &own_sigma_, &hval_, &lam_op_})
    b->allocate(n);
  edge_val_.allocate(m);
  lam_edge_.allocate(m);
  edge_grad_.allocate(m);
  mem_grad_.allocate(model_.mem_dst.size());
  for (auto* b : {&lam_cap_, &g_use_, &cap_val_}) b->allocate(caps);
  g_peak_.allocate(d);
  g_mem_.allocate(d);
  g_mod_.allocate(ii);
  acc_use_.allocate(caps);
  acc_peak_.allocate(d);
  acc_mem_.allocate(d);
  diff_mem_.allocate(d + 1);
  acc_mod_.allocate(ii);
  diff_mod_.allocate(ii + 1);
  val_use_.allocate(caps);
  val_peak_.allocate(d);
  val_mem_.allocate(d);
  val_mod_.allocate(ii);
  partials_.allocate(static_cast<std::size_t>(kEdgeParts + kOpParts) * kLossMaxBlocks);
  scalars_.allocate(kNumLossScalars);
  // Product regions: a first guess of the slots needed (most regions are a few steps wide);
  // evaluate() grows the buffer when a region sum reports more.
  const auto entries = static_cast<std::int64_t>(model_.mem_dst.size());
  if (entries > 0) {
    allocate_region(0, std::max<std::int64_t>(1 << 16, 8 * entries));
    if (ii > 0) allocate_region(1, std::max<std::int64_t>(1 << 16, 8 * entries));
  }
  // Defaults: mu = 0, sigma = 1 (as the CPU backend), zero multipliers.
  h_stage_.assign(n, 0.0f);
  mu_.upload(h_stage_, stream_);
  h_stage_.assign(n, 1.0f);
  sigma_.upload(h_stage_, stream_);
  for (auto* b : {&lam_op_, &lam_edge_, &lam_cap_, &edge_val_, &hval_, &cap_val_})
    b->zero(stream_);
  GAUS_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void CudaEngineImpl::allocate_region(int mode, std::int64_t cap) {
  RegionBuffers& b = region_[mode];
  const auto n = static_cast<std::size_t>(p_.num_ops());
  if (b.first.size() != n) {
    b.first.allocate(n);
    b.last.allocate(n);
    b.start.allocate(n);
    b.len.allocate(n + 1);
    b.len.zero(stream_);  // len[n] stays 0: off[n] is the total
    b.off.allocate(n + 1);
    b.scan_temp.allocate(memory_scan_temp_bytes(static_cast<std::int64_t>(n)));
  }
  b.logg.allocate(static_cast<std::size_t>(cap));
  b.logg.zero(stream_);  // the kernels keep it zero between evaluations
  b.gval.allocate(static_cast<std::size_t>(cap));
}

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

}  // namespace

std::unique_ptr<CudaLossEngine> make_cuda_loss_engine(const Problem& p, const LossConfig& c) {
  validate_loss_config(c);
  return std::make_unique<CudaEngineImpl>(p, c);
}

}  // namespace gaus
