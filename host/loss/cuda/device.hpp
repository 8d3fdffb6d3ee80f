// What CUDA support this build and this machine have.
#pragma once

#include <optional>
#include <string>

namespace gaus {

/// True when the library was built with the CUDA backend.
bool cuda_compiled();
/// Number of usable CUDA devices (0 without a driver, a device, or a CUDA build).
int cuda_device_count();
/// "NVIDIA H100 80GB HBM3 (sm_90, 79 GiB)" for device `index`, or "" when there is none.
std::string cuda_device_name(int index = 0);

/// An NVTX range named `name` for Nsight timelines while it lives (builds with GAUS_NVTX, the
/// default for CUDA builds); nothing otherwise. `name` must outlive the range.
class NvtxRange {
 public:
  explicit NvtxRange(const char* name);
  ~NvtxRange();
  NvtxRange(const NvtxRange&) = delete;
  NvtxRange& operator=(const NvtxRange&) = delete;
};

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
  [[maybe_unused]] bool on_;  // read only in CUDA builds
  std::optional<NvtxRange> range_;  // destroyed after the destructor body: the range ends last
};

}  // namespace gaus
