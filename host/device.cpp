#include "host/device.hpp"

#ifdef GAUS_HAS_CUDA
#include <cuda_profiler_api.h>

#include "kernels/cuda_check.hpp"
#endif
#ifdef GAUS_USE_NVTX
#include <nvtx3/nvToolsExt.h>
#endif

namespace gaus {

#ifdef GAUS_HAS_CUDA
bool cuda_compiled() { return true; }
int cuda_device_count() { return device_count(); }
std::string cuda_device_name(int index) { return device_description(index); }
ProfileRegion::ProfileRegion(const char* name, bool on) : on_(on && device_count() > 0) {
  if (!on_) return;
#ifdef GAUS_USE_NVTX
  nvtxRangePushA(name);
#else
  (void)name;
#endif
  GAUS_CUDA_CHECK(cudaProfilerStart());
}
ProfileRegion::~ProfileRegion() {
  if (!on_) return;
  cudaDeviceSynchronize();  // the region's kernels finish inside it
  cudaProfilerStop();
#ifdef GAUS_USE_NVTX
  nvtxRangePop();
#endif
}
#else
bool cuda_compiled() { return false; }
int cuda_device_count() { return 0; }
std::string cuda_device_name(int) { return {}; }
ProfileRegion::ProfileRegion(const char*, bool) : on_(false) {}
ProfileRegion::~ProfileRegion() = default;
#endif

}  // namespace gaus
