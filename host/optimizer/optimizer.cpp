// The host parameter optimizer and the factory (see host/optimizer/optimizer.hpp).
#include "host/optimizer/optimizer.hpp"

#include <algorithm>
#include <cmath>

#include "host/loss/cuda/cuda_backend.hpp"

namespace gaus {

#ifdef GAUS_HAS_CUDA
std::unique_ptr<ParamOptimizer> make_cuda_param_optimizer(CudaLossEngine& engine,
                                                          double sigma_min);  // cuda_optimizer.cpp
#endif

namespace {

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

class HostOptimizer final : public ParamOptimizer {
 public:
  HostOptimizer(LossEngine& engine, double sigma_min) : engine_(engine), sigma_min_(sigma_min) {}

  void reset(std::span<const double> mu, std::span<const double> rho) override {
    mu_.assign(mu.begin(), mu.end());
    rho_.assign(rho.begin(), rho.end());
    const std::size_t n = mu_.size();
    for (auto* v : {&m_mu_, &v_mu_, &m_rho_, &v_rho_}) v->assign(n, 0.0);
    sigma_.resize(n);
    g_mu_.resize(n);
    g_sigma_.resize(n);
  }
  void push() override {
    for (std::size_t i = 0; i < mu_.size(); ++i) sigma_[i] = sigma_from_rho(rho_[i], sigma_min_);
    engine_.set_params(mu_, sigma_);
  }
  bool step(const AdamStep<double>& s, const StepBounds& b) override {
    engine_.get_grads(g_mu_, g_sigma_);
    if (!all_finite(g_mu_) || !all_finite(g_sigma_)) return false;
    for (std::size_t i = 0; i < mu_.size(); ++i) {
      adam_update(mu_[i], m_mu_[i], v_mu_[i], g_mu_[i], s);
      adam_update(rho_[i], m_rho_[i], v_rho_[i], grad_rho(g_sigma_[i], rho_[i]), s);
      mu_[i] = std::clamp(mu_[i], b.mu_lo, b.mu_hi);
      rho_[i] = std::min(rho_[i], b.rho_cap);
    }
    return true;
  }
  void read(std::vector<double>& mu, std::vector<double>& rho) override {
    mu = mu_;
    rho = rho_;
  }
  bool saw_nonfinite() override { return false; }

 private:
  LossEngine& engine_;
  double sigma_min_;
  std::vector<double> mu_, rho_, sigma_, g_mu_, g_sigma_, m_mu_, v_mu_, m_rho_, v_rho_;
};

}  // namespace

std::unique_ptr<ParamOptimizer> make_host_param_optimizer(LossEngine& engine, double sigma_min) {
  return std::make_unique<HostOptimizer>(engine, sigma_min);
}

std::unique_ptr<ParamOptimizer> make_param_optimizer(LossEngine& engine, double sigma_min) {
#ifdef GAUS_HAS_CUDA
  if (auto* cuda = dynamic_cast<CudaLossEngine*>(&engine))
    return make_cuda_param_optimizer(*cuda, sigma_min);
#endif
  return make_host_param_optimizer(engine, sigma_min);
}

}  // namespace gaus
