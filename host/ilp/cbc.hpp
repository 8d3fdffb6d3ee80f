// Solves an ilp::Model with CBC (its C interface: CbcMain's preprocessing, cuts and heuristics)
// in a child process, so that a hard deadline holds even where CBC does not look at its clock
// (the root LP of a large model can run for minutes).
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "host/ilp/model.hpp"

namespace gaus::ilp {

struct CbcOptions {
  double seconds = 60;        ///< CBC's own (wall-clock) time limit
  double deadline_s = 65;     ///< the child is killed after this many seconds
  int threads = 1;
  bool verbose = false;       ///< CBC's log on stdout
  std::vector<std::string> extra;  ///< "NAME=VALUE": more CbcMain parameters
  /// Asked every 0.2 s or so while CBC runs: true kills it (status "stopped").
  std::function<bool()> stop;
};

struct CbcResult {
  bool have = false;  ///< CBC returned an integer solution (x)
  std::vector<double> x;
  double bound = -std::numeric_limits<double>::infinity();  ///< in the model's objective, no offset
  bool optimal = false;
  bool infeasible = false;
  std::string status;  ///< "optimal", "infeasible", "time limit", "killed at the deadline", ...
};

/// Loads `m` into CBC with the MIP start `start` (one value per column; empty: none) and
/// solves it.
CbcResult solve_cbc(const Model& m, const std::vector<double>& start, const CbcOptions& o);

}  // namespace gaus::ilp
