// The `gaus schedule` and `gaus verify` paths for CIRCT SSP files (.mlir, docs/circt.md): every
// instance of the file is scheduled (smallest II, then the smallest start of the last op) and
// written back with its schedule, or verified with its class's rules.
#pragma once

#include <cstdint>
#include <string>

#include "tools/problem_options.hpp"

namespace gaus::cli {

/// Whether FILE is read as SSP: --format ssp (or mlir), or an automatic format and a .mlir name.
bool is_ssp_input(const ProblemOptions& o);

struct SspScheduleOptions {
  std::string out;       ///< .mlir: the file with every schedule; .json: a report per instance
  std::string last_op;   ///< the op whose start is minimized (default: each graph's last)
  bool gradient = true;  ///< SharedOperatorsProblem: the gradient solver (false: list only)
  double time_limit = 10;  ///< wall seconds for the whole run
  std::uint64_t seed = 1;
  double prove = 0;        ///< > 0: CBC proves or improves the limited classes (SECONDS)
};

/// Schedules every instance and writes `out` (nothing is written unless every instance got a
/// legal schedule); prints a line per instance. Sets exit_code() to 1 when one has none.
void schedule_ssp_file(const ProblemOptions& problem, const SspScheduleOptions& o);

/// Verifies the schedule written in every instance with its class's rules; prints the verdict
/// per instance and sets exit_code() to 1 when one is illegal.
void verify_ssp_file(const ProblemOptions& problem);

}  // namespace gaus::cli
