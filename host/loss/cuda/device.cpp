#include "host/loss/cuda/device.hpp"

#ifdef GAUS_HAS_CUDA
#include <cuda_profiler_api.h>

#include "kernels/cuda_check.hpp"
#endif
#ifdef GAUS_USE_NVTX
#include <nvtx3/nvToolsExt.h>
#endif

namespace gaus {

#ifdef GAUS_USE_NVTX
NvtxRange::NvtxRange(const char* name) { nvtxRangePushA(name); }
NvtxRange::~NvtxRange() { nvtxRangePop(); }
#else
NvtxRange::NvtxRange(const char*) {}
NvtxRange::~NvtxRange() = default;
#endif

#ifdef GAUS_HAS_CUDA
bool cuda_compiled() { return true; }
int cuda_device_count() { return device_count(); }
std::string cuda_device_name(int index) { return device_description(index); }
ProfileRegion::ProfileRegion(const char* name, bool on) : on_(on && device_count() > 0) {
  if (!on_) return;
  range_.emplace(name);
  GAUS_CUDA_CHECK(cudaProfilerStart());
}
ProfileRegion::~ProfileRegion() {
  if (!on_) return;
  cudaDeviceSynchronize();  // the region's kernels finish inside it
  cudaProfilerStop();
}
#else
bool cuda_compiled() { return false; }
int cuda_device_count() { return 0; }
std::string cuda_device_name(int) { return {}; }
ProfileRegion::ProfileRegion(const char*, bool) : on_(false) {}
ProfileRegion::~ProfileRegion() = default;
#endif

}  // namespace gaus
