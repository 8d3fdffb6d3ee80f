// Options every subcommand that reads a problem shares: format, companion file, type library and
// the flags that override it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "core/problem.hpp"
#include "graphs/load_problem.hpp"

namespace gaus::cli {

struct ProblemOptions {
  std::string file;
  std::string format = "auto";  ///< parsed into load.format by load_problem
  LoadOptions load;
};

/// Adds FILE and the problem options to a subcommand.
void add_problem_options(CLI::App* cmd, ProblemOptions& o);

/// Reads, resolves and validates the problem (throws InputError with file and line on failure).
Problem load_problem(const ProblemOptions& o);

}  // namespace gaus::cli
