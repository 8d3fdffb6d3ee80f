// The CUDA loss engine's class (host/loss/cuda/cuda_backend.hpp is its API), shared by its two
// translation units: cuda_setup.cpp uploads the problem and allocates the device buffers once
// per engine; cuda_backend.cpp sets the per-evaluation parameters and runs the kernels
// (kernels/loss_kernels.hpp), whose math is core/'s. Included only where GAUS_HAS_CUDA is
// defined.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/loss/cuda/cuda_backend.hpp"
#include "host/loss/cuda/cuda_buffer.hpp"
#include "host/loss/cuda/device.hpp"
#include "kernels/cuda_check.hpp"
#include "kernels/loss_kernels.hpp"

namespace gaus::cuda_loss {

template <class To, class From>
std::vector<To> convert(const std::vector<From>& v) {
  return std::vector<To>(v.begin(), v.end());
}

class CudaEngineImpl final : public CudaLossEngine {
 public:
  CudaEngineImpl(const Problem& p, const LossConfig& c)
      : p_(p), model_(build_loss_model(p)), cfg_(c) {
    NvtxRange range("gaus::loss setup");
    if (device_count() == 0) throw Error("the CUDA loss backend needs a CUDA device; none found");
    GAUS_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    upload_problem();
    allocate_state();
    configure(c);
  }
  ~CudaEngineImpl() override {
    if (stream_ != nullptr) {
      cudaStreamSynchronize(stream_);
      cudaStreamDestroy(stream_);
    }
  }
  CudaEngineImpl(const CudaEngineImpl&) = delete;
  CudaEngineImpl& operator=(const CudaEngineImpl&) = delete;

  float* device_mu() override {
    have_grads_ = false;
    return mu_.get();
  }
  float* device_sigma() override {
    have_grads_ = false;
    return sigma_.get();
  }
  const float* device_grad_mu() const override { return grad_mu_.get(); }
  const float* device_grad_sigma() const override { return grad_sigma_.get(); }
  void* stream() const override { return static_cast<void*>(stream_); }

  const char* backend_name() const override { return "cuda"; }
  const LossConfig& config() const override { return cfg_; }

  void set_config(const LossConfig& c) override {
    validate_config_change(cfg_, c);
    configure(c);
  }

  void set_params(std::span<const double> mu, std::span<const double> sigma) override {
    validate_loss_params(p_, mu, sigma);
    h_stage_.assign(mu.begin(), mu.end());
    mu_.upload(h_stage_, stream_);
    h_stage_.assign(sigma.begin(), sigma.end());
    sigma_.upload(h_stage_, stream_);
    have_grads_ = false;
  }

  LossResult evaluate(bool with_grad) override;

  void get_grads(std::span<double> grad_mu, std::span<double> grad_sigma) override {
    if (!have_grads_) throw Error("LossEngine::get_grads: no evaluate(true) since the last change");
    const auto n = static_cast<std::size_t>(p_.num_ops());
    if (grad_mu.size() != n || grad_sigma.size() != n)
      throw Error("LossEngine::get_grads: output spans must have one entry per op");
    const std::vector<float> gm = grad_mu_.download(stream_), gs = grad_sigma_.download(stream_);
    std::copy(gm.begin(), gm.end(), grad_mu.begin());
    std::copy(gs.begin(), gs.end(), grad_sigma.begin());
  }

  std::vector<double> constraint_values(Term t) override {
    return masked(t, convert<double>(values_of(t).download(stream_)));
  }
  std::vector<double> multipliers(Term t) override {
    return masked(t, convert<double>(multipliers_of(t).download(stream_)));
  }
  void set_multipliers(Term t, std::span<const double> lambda) override {
    DeviceBuffer<float>& lam = multipliers_of(t);
    if (lambda.size() != lam.size())
      throw Error(std::string("LossEngine::set_multipliers: ") + term_name(t) + " has " +
                  std::to_string(lam.size()) + " constraints, got " +
                  std::to_string(lambda.size()));
    std::vector<float> h = lam.download(stream_);
    for (std::size_t c = 0; c < h.size(); ++c)
      if (!edge_term(t) || mine(t, c)) h[c] = static_cast<float>(lambda[c]);
    lam.upload(h, stream_);
    GAUS_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }
  void update_multipliers() override {
    NvtxRange range("gaus::loss update multipliers");
    loss_update_multipliers(dp_, state(), params_, lam_edge_.get(), lam_op_.get(),
                            lam_cap_.get(), stream_);
    GAUS_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }

 private:
  void upload_problem();
  void allocate_state();
  void allocate_region(int mode, std::int64_t cap);
  void configure(const LossConfig& c);
  [[nodiscard]] LossDeviceState state() const;

  static bool edge_term(Term t) { return t == Term::Dependency || t == Term::Recurrence; }
  bool mine(Term t, std::size_t e) const {
    return (p_.edge_distance[e] == 0) == (t == Term::Dependency);
  }
  std::vector<double> masked(Term t, std::vector<double> v) const {
    if (edge_term(t))
      for (std::size_t e = 0; e < v.size(); ++e)
        if (!mine(t, e)) v[e] = 0.0;
    return v;
  }
  DeviceBuffer<float>& values_of(Term t) {
    switch (t) {
      case Term::Dependency:
      case Term::Recurrence: return edge_val_;
      case Term::Horizon: return hval_;
      case Term::Capacity: return cap_val_;
      default: throw Error(std::string(term_name(t)) + " is not a constraint term");
    }
  }
  DeviceBuffer<float>& multipliers_of(Term t) {
    switch (t) {
      case Term::Dependency:
      case Term::Recurrence: return lam_edge_;
      case Term::Horizon: return lam_op_;
      case Term::Capacity: return lam_cap_;
      default: throw Error(std::string(term_name(t)) + " is not a constraint term");
    }
  }

  const Problem& p_;
  LossModel model_;
  LossConfig cfg_;
  LossLayout layout_;
  LossKernelParams params_;
  LossDeviceProblem dp_;
  cudaStream_t stream_ = nullptr;
  bool have_grads_ = false;
  bool use_weight_valid_ = false;  ///< use_weight_ holds cfg_.weighted_capacity's weights
  std::vector<float> h_stage_;
  // problem
  DeviceBuffer<std::int32_t> occupancy_, blocking_, cap_class_, edge_src_, edge_dst_, edge_delay_,
      edge_distance_, mem_dst_, mem_distance_, mem_src_;
  DeviceBuffer<float> use_weight_, weight_, out_size_, edge_weight_;
  DeviceBuffer<double> cap_limit_;
  DeviceBuffer<std::uint8_t> mem_small_;
  DeviceBuffer<std::int64_t> succ_offsets_, pred_offsets_, pred_edges_, mem_offsets_,
      mem_pred_offsets_, mem_pred_;
  // state
  DeviceBuffer<float> mu_, sigma_, grad_mu_, grad_sigma_, own_mu_, own_sigma_, edge_val_, hval_,
      lam_edge_, lam_op_, lam_cap_, g_use_, g_peak_, g_mem_, g_mod_, cap_val_;
  DeviceBuffer<float4> edge_grad_;
  DeviceBuffer<float2> mem_grad_;
  DeviceBuffer<unsigned long long> acc_use_, acc_peak_, acc_mem_, diff_mem_, acc_mod_, diff_mod_;
  DeviceBuffer<double> val_use_, val_peak_, val_mem_, val_mod_, partials_, scalars_;
  /// Per memory mode: the product regions of kernels/memory_kernels.cu.
  struct RegionBuffers {
    DeviceBuffer<long long> first, last;
    DeviceBuffer<std::int64_t> start, len, off;
    DeviceBuffer<unsigned long long> logg;
    DeviceBuffer<float> gval;
    DeviceBuffer<unsigned char> scan_temp;
  };
  RegionBuffers region_[2];
};

}  // namespace gaus::cuda_loss
