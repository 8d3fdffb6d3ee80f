#include <iostream>

#include "host/loss/cuda/device.hpp"
#include "tools/commands.hpp"
#include "tools/prove_step.hpp"

namespace gaus::cli {

int& exit_code() {
  static int code = 0;
  return code;
}

void add_devices_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "devices", "List the CUDA devices this build can use, and whether it has the exact prover");
  cmd->callback([] {
    std::cout << "CUDA backend: " << (cuda_compiled() ? "built" : "not built") << "\n";
    std::cout << "exact prover (CBC, --prove): " << (prove_available() ? "built" : "not built")
              << "\n";
    const int n = cuda_device_count();
    std::cout << "devices: " << n << "\n";
    for (int i = 0; i < n; ++i) std::cout << "  " << i << ": " << cuda_device_name(i) << "\n";
  });
}

}  // namespace gaus::cli
