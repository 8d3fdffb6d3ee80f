// Device queries and the launch helper's debug switch.
#include <cstdlib>
#include <string>

#include "kernels/launch.cuh"

namespace gaus {

int device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return n;
}

std::string device_description(int index) {
  if (index < 0 || index >= device_count()) return {};
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, index) != cudaSuccess) {
    (void)cudaGetLastError();
    return {};
  }
  return std::string(prop.name) + " (sm_" + std::to_string(prop.major) +
         std::to_string(prop.minor) + ", " +
         std::to_string(prop.totalGlobalMem >> 30) + " GiB)";
}

bool cuda_debug_sync() {
  static const bool on = [] {
    const char* v = std::getenv("GAUS_CUDA_DEBUG_SYNC");
    return v != nullptr && v[0] != '\0' && v[0] != '0';
  }();
  return on;
}

}  // namespace gaus
