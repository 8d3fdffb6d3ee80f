// The device Adam step of host/optimizer/cuda_optimizer.cpp (kernels/optimizer_kernels.cu). CUDA builds only.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "core/adam.hpp"

namespace gaus {

/// The descent's parameters on the device: double mu, rho and Adam moments per op.
struct DeviceParams {
  std::int64_t n = 0;
  double* mu = nullptr;
  double* rho = nullptr;
  double* m_mu = nullptr;
  double* v_mu = nullptr;
  double* m_rho = nullptr;
  double* v_rho = nullptr;
};

/// One Adam step on every op from the engine's float gradients, the clamps, then the engine's
/// float mu / sigma written in place. An op with a non-finite gradient keeps its parameters and
/// sets *nonfinite to 1.
void launch_adam_step(const DeviceParams& p, const float* grad_mu, const float* grad_sigma,
                      float* out_mu, float* out_sigma, const AdamStep<double>& s, double mu_lo,
                      double mu_hi, double rho_cap, double sigma_min, int* nonfinite,
                      cudaStream_t stream);

/// Writes the engine's float mu / sigma from the double parameters (after a reset).
void launch_write_params(const DeviceParams& p, float* out_mu, float* out_sigma,
                         double sigma_min, cudaStream_t stream);

}  // namespace gaus
