// Device-side check of a discrete schedule's edges, for verifying very large schedules where the
// data already lives on the GPU. The host verifier (host/verify/verify.hpp) remains the reference.
#pragma once

#include <cstdint>

#include "core/problem.hpp"

namespace gaus {

/// Number of edges e = (i -> j) with s_j + delta_e * ii < s_i + lambda_e, computed on the GPU.
/// `start` has one entry per op. Throws CudaError on a CUDA failure.
std::int64_t count_edge_violations_cuda(const Problem& p, const std::int32_t* start,
                                        std::int32_t ii);

}  // namespace gaus
