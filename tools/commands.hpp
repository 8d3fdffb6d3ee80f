// Each subcommand of the gaus tool registers itself on the CLI11 app (tools/cmd_*.cpp).
#pragma once

#include <CLI/CLI.hpp>

namespace gaus::cli {

void add_info_command(CLI::App& app);
void add_schedule_command(CLI::App& app);
void add_verify_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_devices_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_generate_command(CLI::App& app);

/// Exit code a subcommand asks for (0 success, 1 infeasible/illegal); set by its callback.
int& exit_code();

}  // namespace gaus::cli
