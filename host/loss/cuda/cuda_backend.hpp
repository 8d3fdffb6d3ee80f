// The CUDA loss backend (float on the device): problem arrays and every buffer allocated once
// per engine, all launches on the engine's own stream through kernels/launch.cuh, per-step sums
// by fixed-point (deterministic) or double atomics, gradients gathered per op without atomics,
// and only the few scalars of LossResult copied back per evaluation. Declared in every build;
// defined only when the library is built with CUDA (GAUS_HAS_CUDA), where make_loss_engine
// calls it.
#pragma once

#include <memory>

#include "host/loss/loss.hpp"

namespace gaus {

/// The CUDA engine's device-side access, for a solver that keeps its parameters on the GPU and
/// copies back only LossResult's scalars: write mu / sigma (n floats each, sigma > 0) on the
/// engine's stream, evaluate(), then read the gradients in place.
class CudaLossEngine : public LossEngine {
 public:
  [[nodiscard]] virtual float* device_mu() = 0;
  [[nodiscard]] virtual float* device_sigma() = 0;
  [[nodiscard]] virtual const float* device_grad_mu() const = 0;
  [[nodiscard]] virtual const float* device_grad_sigma() const = 0;
  /// The cudaStream_t every launch and copy of this engine uses (void* keeps this header free
  /// of CUDA includes).
  [[nodiscard]] virtual void* stream() const = 0;
};

/// A CUDA engine on the current device. Throws Error when no device is usable and CudaError on
/// a CUDA failure (out of memory included). `p` must outlive it.
std::unique_ptr<CudaLossEngine> make_cuda_loss_engine(const Problem& p, const LossConfig& c);

}  // namespace gaus
