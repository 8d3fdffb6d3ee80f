// The gaus command-line tool. Exit codes: 0 success, 1 infeasible or illegal, 2 bad input/usage.
// Messages go to stderr; results to stdout or the --out file.
#include <CLI/CLI.hpp>
#include <iostream>
#include <new>
#include <string>

#include "core/error.hpp"
#include "tools/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"gaus: differentiable scheduling of dataflow graphs (GauS)"};
  app.set_version_flag("--version", "gaus 0.1.0");
  app.require_subcommand(1);
  gaus::cli::add_info_command(app);
  gaus::cli::add_schedule_command(app);
  gaus::cli::add_verify_command(app);
  gaus::cli::add_convert_command(app);
  gaus::cli::add_eval_command(app);
  gaus::cli::add_devices_command(app);
  gaus::cli::add_generate_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const gaus::InfeasibleError& e) {
    std::cerr << "gaus: infeasible: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    // Readers refuse files larger than memory up front (read_file); this is what is left: a
    // problem, or a solver's working set, that outgrew the machine.
    const auto running = app.get_subcommands();
    std::cerr << "gaus: " << (running.empty() ? std::string() : running[0]->get_name() + ": ")
              << "out of memory (the problem is too large for this machine's memory)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gaus: " << e.what() << "\n";
    return 2;
  }
  return gaus::cli::exit_code();
}
