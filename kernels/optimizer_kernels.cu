// The device Adam step (see kernels/optimizer_kernels.hpp): the same element math as the host
// loop (core/adam.hpp), one thread per op.
#include "kernels/launch.cuh"
#include "kernels/optimizer_kernels.hpp"

namespace gaus {

namespace {

constexpr unsigned kThreads = 256;

__global__ void __launch_bounds__(kThreads)
    adam_kernel(DeviceParams p, const float* __restrict__ grad_mu,
                const float* __restrict__ grad_sigma, float* __restrict__ out_mu,
                float* __restrict__ out_sigma, AdamStep<double> s, double mu_lo, double mu_hi,
                double rho_cap, double sigma_min, int* nonfinite) {
  for (std::int64_t i = grid_start(); i < p.n; i += grid_stride()) {
    const double g_mu = grad_mu[i], g_sigma = grad_sigma[i];
    if (!isfinite(g_mu) || !isfinite(g_sigma)) {
      *nonfinite = 1;
      continue;
    }
    double mu = p.mu[i], rho = p.rho[i];
    double m = p.m_mu[i], v = p.v_mu[i];
    adam_update(mu, m, v, g_mu, s);
    p.m_mu[i] = m;
    p.v_mu[i] = v;
    m = p.m_rho[i];
    v = p.v_rho[i];
    adam_update(rho, m, v, grad_rho(g_sigma, rho), s);
    p.m_rho[i] = m;
    p.v_rho[i] = v;
    mu = fmin(fmax(mu, mu_lo), mu_hi);
    rho = fmin(rho, rho_cap);
    p.mu[i] = mu;
    p.rho[i] = rho;
    out_mu[i] = static_cast<float>(mu);
    out_sigma[i] = static_cast<float>(sigma_from_rho(rho, sigma_min));
  }
}

__global__ void __launch_bounds__(kThreads)
    write_params_kernel(DeviceParams p, float* __restrict__ out_mu,
                        float* __restrict__ out_sigma, double sigma_min) {
  for (std::int64_t i = grid_start(); i < p.n; i += grid_stride()) {
    out_mu[i] = static_cast<float>(p.mu[i]);
    out_sigma[i] = static_cast<float>(sigma_from_rho(p.rho[i], sigma_min));
  }
}

}  // namespace

void launch_adam_step(const DeviceParams& p, const float* grad_mu, const float* grad_sigma,
                      float* out_mu, float* out_sigma, const AdamStep<double>& s, double mu_lo,
                      double mu_hi, double rho_cap, double sigma_min, int* nonfinite,
                      cudaStream_t stream) {
  if (p.n == 0) return;
  launch("adam_kernel", adam_kernel, dim3(blocks_for(p.n, kThreads)), dim3(kThreads), 0, stream, p,
         grad_mu, grad_sigma, out_mu, out_sigma, s, mu_lo, mu_hi, rho_cap, sigma_min, nonfinite);
}

void launch_write_params(const DeviceParams& p, float* out_mu, float* out_sigma,
                         double sigma_min, cudaStream_t stream) {
  if (p.n == 0) return;
  launch("write_params_kernel", write_params_kernel, dim3(blocks_for(p.n, kThreads)),
         dim3(kThreads), 0, stream, p, out_mu, out_sigma, sigma_min);
}

}  // namespace gaus
