// A heuristic by name (heuristics.hpp, run_heuristic): the dispatch `gaus schedule --method M`
// and Python's gaus.schedule share.
#include <string>

#include "core/error.hpp"
#include "host/bounds/ii_bound.hpp"
#include "host/heuristics/heuristics.hpp"

namespace gaus {

Schedule run_heuristic(const Problem& p, const std::string& method, std::int32_t horizon_arg,
                       std::int32_t ii_arg, double time_limit_s, std::string& label) {
  const std::int32_t horizon = horizon_arg > 0 ? horizon_arg : p.horizon;
  const std::int32_t ii = ii_arg > 0 ? ii_arg : p.ii;
  label = method;
  if (method == "asap") return asap_schedule(p);
  if (method == "alap") return alap_schedule(p, horizon);
  if (method == "fds") {
    op_id left = 0;
    Schedule s = force_directed_schedule(p, horizon, time_limit_s, &left);
    if (left > 0)
      label = "fds (time limit: " + std::to_string(left) + " of " + std::to_string(p.num_ops()) +
              " ops at their earliest steps)";
    return s;
  }
  if (method != "list")
    throw InputError("method '" + method + "': expected list, asap, alap or fds");
  ListOptions lo;
  lo.horizon = horizon;
  if (ii > 0) {
    check_modulo_ii(p, ii);
    auto s = modulo_list_schedule(p, ii, lo);
    if (!s)
      throw InfeasibleError("modulo list scheduling found no legal schedule at II=" +
                            std::to_string(ii) + " (try a larger II, or omit it to search)");
    label = "list (modulo)";
    return *s;
  }
  if (p.num_loop_carried() > 0) {
    ModuloResult r = find_min_ii_schedule(p, lo);
    label = "list (modulo, II searched from " + std::to_string(r.first_ii) + ")";
    return r.schedule;
  }
  return list_schedule(p, lo);
}

}  // namespace gaus
