#include <cub/block/block_reduce.cuh>

#include "kernels/launch.cuh"
#include "kernels/schedule_check.hpp"

namespace gaus {

namespace {

constexpr unsigned kThreads = 256;

/// One thread per edge (grid-stride); a block-wide sum, then one atomic per block.
__global__ void edge_violation_kernel(std::int64_t m, const std::int32_t* __restrict__ src,
                                      const std::int32_t* __restrict__ dst,
                                      const std::int32_t* __restrict__ delay,
                                      const std::int32_t* __restrict__ distance,
                                      const std::int32_t* __restrict__ start, std::int32_t ii,
                                      unsigned long long* __restrict__ count) {
  using Reduce = cub::BlockReduce<unsigned, kThreads>;
  __shared__ typename Reduce::TempStorage tmp;
  unsigned local = 0;
  for (std::int64_t k = grid_start(); k < m; k += grid_stride()) {
    const std::int64_t lhs = static_cast<std::int64_t>(start[dst[k]]) +
                             static_cast<std::int64_t>(distance[k]) * ii;
    const std::int64_t rhs = static_cast<std::int64_t>(start[src[k]]) + delay[k];
    local += lhs < rhs ? 1u : 0u;
  }
  const unsigned total = Reduce(tmp).Sum(local);
  if (threadIdx.x == 0 && total != 0) atomicAdd(count, static_cast<unsigned long long>(total));
}

template <typename T>
struct DeviceArray {
  T* ptr = nullptr;
  explicit DeviceArray(std::size_t n) { GAUS_CUDA_CHECK(cudaMalloc(&ptr, (n ? n : 1) * sizeof(T))); }
  ~DeviceArray() { cudaFree(ptr); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
};

template <typename T>
void upload(DeviceArray<T>& d, const T* h, std::size_t n, cudaStream_t s) {
  if (n) GAUS_CUDA_CHECK(cudaMemcpyAsync(d.ptr, h, n * sizeof(T), cudaMemcpyHostToDevice, s));
}

}  // namespace

std::int64_t count_edge_violations_cuda(const Problem& p, const std::int32_t* start,
                                        std::int32_t ii) {
  const auto m = static_cast<std::size_t>(p.num_edges());
  const auto n = static_cast<std::size_t>(p.num_ops());
  cudaStream_t stream{};
  GAUS_CUDA_CHECK(cudaStreamCreate(&stream));
  struct StreamGuard {
    cudaStream_t s;
    ~StreamGuard() { cudaStreamDestroy(s); }
  } guard{stream};
  DeviceArray<std::int32_t> d_src(m), d_dst(m), d_delay(m), d_distance(m), d_start(n);
  DeviceArray<unsigned long long> d_count(1);
  upload(d_src, p.edge_src.data(), m, stream);
  upload(d_dst, p.edge_dst.data(), m, stream);
  upload(d_delay, p.edge_delay.data(), m, stream);
  upload(d_distance, p.edge_distance.data(), m, stream);
  upload(d_start, start, n, stream);
  GAUS_CUDA_CHECK(cudaMemsetAsync(d_count.ptr, 0, sizeof(unsigned long long), stream));
  const unsigned blocks = blocks_for(static_cast<std::int64_t>(m), kThreads);
  launch("edge_violation_kernel", edge_violation_kernel, dim3(blocks < 4096 ? blocks : 4096),
         dim3(kThreads), 0, stream, static_cast<std::int64_t>(m), d_src.ptr, d_dst.ptr,
         d_delay.ptr, d_distance.ptr, d_start.ptr, ii, d_count.ptr);
  unsigned long long h_count = 0;
  GAUS_CUDA_CHECK(
      cudaMemcpyAsync(&h_count, d_count.ptr, sizeof h_count, cudaMemcpyDeviceToHost, stream));
  GAUS_CUDA_CHECK(cudaStreamSynchronize(stream));
  return static_cast<std::int64_t>(h_count);
}

}  // namespace gaus
