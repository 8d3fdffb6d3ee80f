// The minimum initiation interval, proven: each II from a lower bound up to (not including) the
// II of a modulo schedule already found is handed to CBC on the modulo feasibility ILP
// (host/ilp/modulo_model.hpp), in increasing order. An II proven infeasible raises the lower
// bound; the first feasible II gives a schedule (verified) at the minimum II, proven minimal
// since every smaller one was refuted. `gaus schedule --formulation C --prove SECONDS` runs it
// after the gradient solve (tools/prove_step.hpp). Built where CBC is (GAUS_HAS_CBC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "host/ilp/prove.hpp"

namespace gaus {

struct IiAttempt {
  std::int32_t ii = 0;
  /// "infeasible", "feasible", or why it was left undecided ("time limit", "model too large
  /// (...)", "out of time while building the model (...)", "stopped", ...).
  std::string outcome;
  double time_s = 0;
  std::int64_t columns = 0, rows = 0, nonzeros = 0;
};

struct IiProofResult {
  /// A verified modulo schedule at an II below `ii_found` (the smallest feasible one), if any.
  std::optional<Schedule> schedule;
  /// Every II below it has no modulo schedule: `ii_lower` raised past each II refuted in turn.
  std::int32_t ii_lower_bound = 0;
  /// The best II known (the schedule's, else ii_found) equals ii_lower_bound.
  bool proven_minimal = false;
  std::vector<IiAttempt> attempts;
  double time_s = 0;
};

/// Tries II = ii_lower, ii_lower + 1, ... < ii_found, up to the first feasible one, within
/// o.seconds in all; after an II left undecided the larger ones are still tried (a schedule
/// there beats ii_found) but no longer raise the bound (o.threads,
/// o.max_nonzeros, o.stop and o.cbc_parameters apply; the start and bound fields do not).
/// `ii_lower` must be a valid lower bound (e.g. max(ResMII, RecMII, 1)).
/// The modulo model of host/ilp/modulo_model.hpp. Auto: the time-indexed one (CBC refuted the
/// MachSuite IIs it was given 2 to 20 times faster with it) unless its windows hold more than 20
/// times the ops x II columns of the residue form.
enum class ModuloModel { Auto, TimeIndexed, Residue };

IiProofResult prove_min_ii(const Problem& p, std::int32_t ii_found, std::int32_t ii_lower,
                           const ProveOptions& o, ModuloModel model = ModuloModel::Auto);

}  // namespace gaus
