// Options every subcommand that reads a problem shares: format, companion file, type library and
// the flags that override it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "core/problem.hpp"

namespace gaus::cli {

struct ProblemOptions {
  std::string file;
  std::string format = "auto";
  std::string companion;
  std::string library;
  std::string design;
  std::vector<std::string> latency;
  std::vector<std::string> limit;
  std::vector<std::string> unit_class;
  bool non_pipelined = false;
};

/// Adds FILE and the problem options to a subcommand.
void add_problem_options(CLI::App* cmd, ProblemOptions& o);

/// Reads, resolves and validates the problem (throws InputError with file and line on failure).
Problem load_problem(const ProblemOptions& o);

}  // namespace gaus::cli
