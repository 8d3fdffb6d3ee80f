// The descent's parameter update (docs/design.md section 4.2): Adam on mu and rho (sigma =
// sigma_min + softplus(rho)), the clamps that keep the windows near the horizon, and the hand-over
// of the new parameters to the loss engine. The parameters live where the engine computes: in host
// vectors for the CPU engine, on the device for the CUDA engine, where one kernel updates them
// and writes the engine's float mu / sigma in place, so an iteration copies nothing between
// host and device but the loss scalars.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "core/adam.hpp"
#include "host/loss/loss.hpp"

namespace gaus {

/// Per-step bounds: mu is clamped to [mu_lo, mu_hi], rho to at most rho_cap.
struct StepBounds {
  double mu_lo;
  double mu_hi;
  double rho_cap;
};

class ParamOptimizer {
 public:
  virtual ~ParamOptimizer() = default;
  /// Starts a descent at (mu, rho) with zero moments.
  virtual void reset(std::span<const double> mu, std::span<const double> rho) = 0;
  /// Hands the current (mu, sigma) to the engine before an evaluation.
  virtual void push() = 0;
  /// One Adam step from the engine's gradients of its last evaluate(true), then the clamps.
  /// Returns false when a gradient was not finite (the host optimizer sees it at once; the
  /// device optimizer reports it one step later, having skipped those entries' updates).
  virtual bool step(const AdamStep<double>& s, const StepBounds& b) = 0;
  /// The current parameters on the host (waits for the device).
  virtual void read(std::vector<double>& mu, std::vector<double>& rho) = 0;
  /// A non-finite gradient seen by steps not yet reported by step() (device optimizer).
  virtual bool saw_nonfinite() = 0;
};

/// The optimizer for `engine` (device-resident for the CUDA engine). `engine` must outlive it.
std::unique_ptr<ParamOptimizer> make_param_optimizer(LossEngine& engine, double sigma_min);

/// The host optimizer whatever the engine (for tests comparing the two).
std::unique_ptr<ParamOptimizer> make_host_param_optimizer(LossEngine& engine, double sigma_min);

}  // namespace gaus
