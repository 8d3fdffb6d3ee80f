// CUDA error checking and device queries. Included only in CUDA builds (GAUS_HAS_CUDA).
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "core/error.hpp"

namespace gaus {

/// Thrown for a failed CUDA call; the message names the call, file, line and CUDA error.
class CudaError : public Error {
 public:
  CudaError(cudaError_t code, const char* call, const char* file, int line)
      : Error(std::string(file) + ":" + std::to_string(line) + ": " + call + " failed: " +
              cudaGetErrorName(code) + " (" + cudaGetErrorString(code) + ")" +
              (code == cudaErrorMemoryAllocation
                   ? "; the GPU is out of memory: try a smaller problem or --backend cpu"
                   : "")),
        code_(code) {}
  [[nodiscard]] cudaError_t code() const { return code_; }

 private:
  cudaError_t code_;
};

}  // namespace gaus

/// Checks a CUDA runtime call and throws gaus::CudaError with file:line on failure.
#define GAUS_CUDA_CHECK(call)                                               \
  do {                                                                      \
    const cudaError_t gaus_err_ = (call);                                   \
    if (gaus_err_ != cudaSuccess) {                                         \
      (void)cudaGetLastError(); /* clear the sticky-free error */           \
      throw ::gaus::CudaError(gaus_err_, #call, __FILE__, __LINE__);        \
    }                                                                       \
  } while (0)

namespace gaus {

/// Usable CUDA devices; 0 when there is no driver or device (never throws).
int device_count();
/// Name, compute capability and memory of device `index`; "" when it does not exist.
std::string device_description(int index);

}  // namespace gaus
