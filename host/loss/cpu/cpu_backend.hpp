// The CPU loss backend: OpenMP over ops and edges, the element math of core/loss_*.hpp in float
// or double, deterministic (per-edge / per-op outputs gathered in fixed order, per-step sums in
// fixed-point per-thread buffers, value sums over fixed chunks). It is the reference the GPU
// backend and the finite-difference tests are checked against.
#pragma once

#include <memory>

#include "host/loss/loss.hpp"

namespace gaus {

/// A CPU engine computing in `precision` (accumulating in double). `p` must outlive it.
std::unique_ptr<LossEngine> make_cpu_loss_engine(const Problem& p, const LossConfig& c,
                                                 Precision precision = Precision::Double);

}  // namespace gaus
