// GPU suite entry: exits 77 (CTest "skipped") when no CUDA device is present or the build has no
// CUDA backend, so machines without a GPU report the suite as skipped, not passed.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "host/loss/cuda/device.hpp"

int main(int argc, char** argv) {
  if (!gaus::cuda_compiled()) {
    std::puts("gaus_tests_gpu: built without CUDA; skipping");
    return 77;
  }
  if (gaus::cuda_device_count() == 0) {
    std::puts("gaus_tests_gpu: no CUDA device; skipping");
    return 77;
  }
  doctest::Context ctx(argc, argv);
  return ctx.run();
}
