#include "host/device.hpp"

#ifdef GAUS_HAS_CUDA
#include "kernels/cuda_check.hpp"
#endif

namespace gaus {

#ifdef GAUS_HAS_CUDA
bool cuda_compiled() { return true; }
int cuda_device_count() { return device_count(); }
std::string cuda_device_name(int index) { return device_description(index); }
#else
bool cuda_compiled() { return false; }
int cuda_device_count() { return 0; }
std::string cuda_device_name(int) { return {}; }
#endif

}  // namespace gaus
