// The device-resident parameter optimizer for the CUDA engine (see host/optimizer/optimizer.hpp): mu, rho
// and the Adam moments stay on the device; a step is one kernel on the engine's stream that
// also writes the engine's float mu / sigma. Only read() (at legalization checkpoints) copies
// the parameters back. CUDA builds only.
#ifdef GAUS_HAS_CUDA

#include <cuda_runtime.h>

#include "host/loss/cuda/cuda_backend.hpp"
#include "host/loss/cuda/cuda_buffer.hpp"
#include "host/optimizer/optimizer.hpp"
#include "kernels/optimizer_kernels.hpp"

namespace gaus {

namespace {

class CudaOptimizer final : public ParamOptimizer {
 public:
  CudaOptimizer(CudaLossEngine& engine, double sigma_min)
      : engine_(engine), sigma_min_(sigma_min),
        stream_(static_cast<cudaStream_t>(engine.stream())) {
    GAUS_CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&flag_host_), sizeof(int)));
    *flag_host_ = 0;
    flag_.allocate(1);
    flag_.zero(stream_);
  }
  ~CudaOptimizer() override {
    cudaStreamSynchronize(stream_);
    cudaFreeHost(flag_host_);
  }
  CudaOptimizer(const CudaOptimizer&) = delete;
  CudaOptimizer& operator=(const CudaOptimizer&) = delete;

  void reset(std::span<const double> mu, std::span<const double> rho) override {
    const std::size_t n = mu.size();
    if (buf_mu_.size() != n)
      for (auto* b : {&buf_mu_, &buf_rho_, &m_mu_, &v_mu_, &m_rho_, &v_rho_}) b->allocate(n);
    buf_mu_.upload(std::vector<double>(mu.begin(), mu.end()), stream_);
    buf_rho_.upload(std::vector<double>(rho.begin(), rho.end()), stream_);
    for (auto* b : {&m_mu_, &v_mu_, &m_rho_, &v_rho_}) b->zero(stream_);
    flag_.zero(stream_);
    GAUS_CUDA_CHECK(cudaStreamSynchronize(stream_));
    *flag_host_ = 0;
    launch_write_params(params(), engine_.device_mu(), engine_.device_sigma(), sigma_min_,
                        stream_);
  }
  void push() override {}  // the engine's mu / sigma were written by reset() or step()
  bool step(const AdamStep<double>& s, const StepBounds& b) override {
    // The flag copied after the previous step has landed: evaluate() synchronized since.
    if (*flag_host_ != 0) return false;
    launch_adam_step(params(), engine_.device_grad_mu(), engine_.device_grad_sigma(),
                     engine_.device_mu(), engine_.device_sigma(), s, b.mu_lo, b.mu_hi, b.rho_cap,
                     sigma_min_, flag_.get(), stream_);
    GAUS_CUDA_CHECK(cudaMemcpyAsync(flag_host_, flag_.get(), sizeof(int), cudaMemcpyDeviceToHost,
                                    stream_));
    return true;
  }
  void read(std::vector<double>& mu, std::vector<double>& rho) override {
    mu = buf_mu_.download(stream_);
    rho = buf_rho_.download(stream_);
  }
  bool saw_nonfinite() override {
    GAUS_CUDA_CHECK(cudaStreamSynchronize(stream_));
    return *flag_host_ != 0;
  }

 private:
  DeviceParams params() const {
    return DeviceParams{static_cast<std::int64_t>(buf_mu_.size()), buf_mu_.get(), buf_rho_.get(),
                        m_mu_.get(), v_mu_.get(), m_rho_.get(), v_rho_.get()};
  }

  CudaLossEngine& engine_;
  double sigma_min_;
  cudaStream_t stream_;
  DeviceBuffer<double> buf_mu_, buf_rho_, m_mu_, v_mu_, m_rho_, v_rho_;
  DeviceBuffer<int> flag_;
  int* flag_host_ = nullptr;
};

}  // namespace

std::unique_ptr<ParamOptimizer> make_cuda_param_optimizer(CudaLossEngine& engine,
                                                          double sigma_min) {
  return std::make_unique<CudaOptimizer>(engine, sigma_min);
}

}  // namespace gaus

#endif  // GAUS_HAS_CUDA
