// Setup of the CUDA loss engine (host/loss/cuda/cuda_engine.hpp): the problem's arrays
// uploaded once, the per-engine state buffers and the memory terms' product regions allocated
// (grown on demand). Compiled only with GAUS_HAS_CUDA.
#ifdef GAUS_HAS_CUDA

#include "host/loss/cuda/cuda_engine.hpp"

namespace gaus::cuda_loss {

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

}  // namespace gaus::cuda_loss

#endif  // GAUS_HAS_CUDA
