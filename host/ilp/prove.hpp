// Proving a schedule optimal (or improving it) with an exact solver: the time-indexed ILP of
// host/ilp/model.hpp solved by CBC (host/ilp/cbc.hpp), with the schedule as its MIP start and
// the horizon at the schedule's own (rcs: its latency, so the ILP can only improve on it), and a
// lower bound already known (the solver's) built into the model. `gaus schedule --prove SECONDS`
// runs it after the gradient solve; the ILP baseline (bench/baselines/ilp.cpp) runs it with a
// heuristic start or none (a cold start). Built only where CBC is installed (GAUS_HAS_CBC).
//
// Every schedule it returns has passed the independent verifier (host/verify/verify.hpp): a CBC
// solution that fails it is dropped for the start.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "core/terms.hpp"

namespace gaus {

struct ProveOptions {
  /// Wall seconds for the whole call, model building included: CBC's own limit is 90% of what
  /// the build leaves, and its process is killed at the end (CBC does not look at its clock
  /// inside an LP).
  double seconds = 60;
  int threads = 1;  ///< CBC threads
  /// A proven lower bound on the objective (the solver's; NaN: none): rcs and B build it into
  /// the model, every formulation reports the larger of it and CBC's.
  double lower_bound = std::numeric_limits<double>::quiet_NaN();
  /// The model's horizon; 0: the start's (rcs: its latency, A and B: its horizon).
  std::int32_t horizon = 0;
  bool use_start = true;  ///< false: no MIP start (a cold CBC, to measure the warm start)
  std::int64_t max_nonzeros = 20'000'000;  ///< refuse larger models (status says so)
  bool verbose = false;   ///< CBC's log on stdout
  std::vector<std::string> cbc_parameters;  ///< "NAME=VALUE": more CbcMain parameters
  /// Asked every 0.2 s or so while CBC runs: true stops it (status "stopped"; the start kept).
  std::function<bool()> stop;
};

struct ProveResult {
  Schedule schedule;          ///< the best legal schedule: CBC's when better, else the start
  double objective = 0;       ///< its exact objective (rcs latency, A score, B peak memory)
  double start_objective = std::numeric_limits<double>::quiet_NaN();  ///< NaN: no legal start
  bool have = false;          ///< `schedule` is legal (false: no start and CBC found none)
  bool improved = false;      ///< CBC found a better schedule than the start
  /// Proven lower bound on the objective at the horizon (rcs: at any latency up to it, so a
  /// global bound): the larger of the known one and CBC's; NaN when neither exists.
  double lower_bound = std::numeric_limits<double>::quiet_NaN();
  bool optimal = false;       ///< `have` and `objective` meets `lower_bound`
  bool infeasible = false;    ///< CBC proved that no schedule exists at the horizon
  /// CBC's status: "optimal", "time limit", "infeasible", "killed at the deadline (..)",
  /// "stopped", or, when no model was built, "model too large (...)" or "out of time while
  /// building the model (...)".
  std::string status;
  double time_s = 0, build_s = 0;  ///< the whole call; building the model
  std::int32_t horizon = 0;
  std::int64_t columns = 0, rows = 0, nonzeros = 0;  ///< the model's size
};

/// Runs CBC on formulation `f` (rcs, A or B; C throws InputError) at the horizon of `start`
/// (a schedule legal for `p`, or empty with options.use_start = false and options.horizon set).
/// Throws InfeasibleError when the horizon is below the critical path.
ProveResult prove(const Problem& p, Formulation f, const Schedule& start, const ProveOptions& o);

}  // namespace gaus
