// What CUDA support this build and this machine have.
#pragma once

#include <string>

namespace gaus {

/// True when the library was built with the CUDA backend.
bool cuda_compiled();
/// Number of usable CUDA devices (0 without a driver, a device, or a CUDA build).
int cuda_device_count();
/// "NVIDIA H100 80GB HBM3 (sm_90, 79 GiB)" for device `index`, or "" when there is none.
std::string cuda_device_name(int index = 0);

/// Brackets the region worth profiling for Nsight: cudaProfilerStart / cudaProfilerStop around
/// it (so `ncu --profile-from-start off` and `nsys profile --capture-range=cudaProfilerApi`
/// see only it) and an NVTX range named `name` (NVTX builds). Does nothing without CUDA or
/// when `on` is false.
class ProfileRegion {
 public:
  ProfileRegion(const char* name, bool on);
  ~ProfileRegion();
  ProfileRegion(const ProfileRegion&) = delete;
  ProfileRegion& operator=(const ProfileRegion&) = delete;

 private:
  bool on_;
};

}  // namespace gaus
