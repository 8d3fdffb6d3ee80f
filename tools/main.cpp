// The gaus command-line tool. Exit codes: 0 success, 1 infeasible or illegal, 2 bad input/usage.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "core/error.hpp"
#include "host/device.hpp"

int main(int argc, char** argv) {
  CLI::App app{"gaus: differentiable scheduling of dataflow graphs (GauS)"};
  app.set_version_flag("--version", "gaus 0.1.0");
  app.require_subcommand(1);

  auto* devices = app.add_subcommand("devices", "List the CUDA devices this build can use");
  devices->callback([] {
    std::cout << "CUDA backend: " << (gaus::cuda_compiled() ? "built" : "not built") << "\n";
    const int n = gaus::cuda_device_count();
    std::cout << "devices: " << n << "\n";
    for (int i = 0; i < n; ++i) std::cout << "  " << i << ": " << gaus::cuda_device_name(i) << "\n";
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const gaus::InfeasibleError& e) {
    std::cerr << "gaus: " << e.what() << "\n";
    return 1;
  } catch (const gaus::Error& e) {
    std::cerr << "gaus: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gaus: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
