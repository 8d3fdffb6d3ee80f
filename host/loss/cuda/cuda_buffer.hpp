// A typed device allocation (RAII, move-only) with stream-ordered upload and download. CUDA
// builds only.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "kernels/cuda_check.hpp"

namespace gaus {

template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t n) { allocate(n); }
  ~DeviceBuffer() { release(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept
      : ptr_(std::exchange(o.ptr_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
      release();
      ptr_ = std::exchange(o.ptr_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }

  /// (Re)allocates n elements (at least one byte's worth, so the pointer is never null).
  void allocate(std::size_t n) {
    release();
    GAUS_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&ptr_), (n > 0 ? n : 1) * sizeof(T)));
    size_ = n;
  }
  void release() {
    if (ptr_ != nullptr) cudaFree(ptr_);
    ptr_ = nullptr;
    size_ = 0;
  }
  [[nodiscard]] T* get() const { return ptr_; }
  [[nodiscard]] std::size_t size() const { return size_; }

  /// Allocates v.size() elements and copies v (pageable: the copy is staged before returning).
  void assign(const std::vector<T>& v, cudaStream_t stream) {
    allocate(v.size());
    upload(v, stream);
  }
  void upload(const std::vector<T>& v, cudaStream_t stream) {
    if (v.size() > size_) throw Error("DeviceBuffer::upload: more elements than allocated");
    if (!v.empty())
      GAUS_CUDA_CHECK(cudaMemcpyAsync(ptr_, v.data(), v.size() * sizeof(T),
                                      cudaMemcpyHostToDevice, stream));
  }
  void zero(cudaStream_t stream) {
    if (size_ > 0) GAUS_CUDA_CHECK(cudaMemsetAsync(ptr_, 0, size_ * sizeof(T), stream));
  }
  /// Copies the whole buffer back (synchronizes the stream).
  [[nodiscard]] std::vector<T> download(cudaStream_t stream) const {
    std::vector<T> h(size_);
    if (size_ > 0)
      GAUS_CUDA_CHECK(
          cudaMemcpyAsync(h.data(), ptr_, size_ * sizeof(T), cudaMemcpyDeviceToHost, stream));
    GAUS_CUDA_CHECK(cudaStreamSynchronize(stream));
    return h;
  }

 private:
  T* ptr_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace gaus
