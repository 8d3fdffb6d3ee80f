// One helper for every kernel launch: explicit stream, launch check, optional debug sync.
#pragma once

#include <cstdint>

#include "kernels/cuda_check.hpp"

namespace gaus {

/// When true (GAUS_CUDA_DEBUG_SYNC=1 in the environment), every launch is followed by a
/// stream synchronization so an asynchronous error is reported at the kernel that caused it.
bool cuda_debug_sync();

/// Blocks of `threads` covering `n` elements (at least one block).
inline unsigned blocks_for(std::int64_t n, unsigned threads) {
  const std::int64_t b = (n + threads - 1) / threads;
  return static_cast<unsigned>(b > 0 ? (b < 2147483647 ? b : 2147483647) : 1);
}

/// First item and stride of a grid-stride loop with one thread per item.
__device__ __forceinline__ std::int64_t grid_start() {
  return blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
}
__device__ __forceinline__ std::int64_t grid_stride() {
  return static_cast<std::int64_t>(gridDim.x) * blockDim.x;
}

/// Launches `kernel<<<grid, block, smem, stream>>>(args...)` and checks the launch.
template <typename Kernel, typename... Args>
void launch(const char* name, Kernel kernel, dim3 grid, dim3 block, std::size_t smem,
            cudaStream_t stream, Args... args) {
  kernel<<<grid, block, smem, stream>>>(args...);
  const cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) throw CudaError(err, name, __FILE__, __LINE__);
  if (cuda_debug_sync()) GAUS_CUDA_CHECK(cudaStreamSynchronize(stream));
}

}  // namespace gaus
