// ASAP and ALAP schedules (unit limits ignored) and the list-scheduling priority order shared by
// the list and modulo schedulers.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/heuristics/list_workspace.hpp"

namespace gaus {

Schedule asap_schedule(const Problem& p) {
  Schedule s;
  s.start = asap_starts(p);
  s.horizon = critical_path(p, s.start);
  return s;
}

Schedule alap_schedule(const Problem& p, std::int32_t horizon) {
  horizon = resolve_horizon(p, horizon, "alap_schedule");
  Schedule s;
  s.start = alap_starts(p, horizon);
  s.horizon = horizon;
  return s;
}

std::vector<op_id> priority_order(const Problem& p, const std::vector<double>& priority) {
  const op_id n = p.num_ops();
  list_detail::check_priority(p, priority);
  // ALAP at the critical path is the critical path minus the longest path to a sink, so one
  // key ranks by urgency and by that path at once.
  const std::vector<std::int32_t> alap = alap_starts(p, critical_path(p));
  std::vector<op_id> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  if (priority.empty()) {
    std::sort(order.begin(), order.end(), [&](op_id a, op_id b) {
      return alap[a] != alap[b] ? alap[a] < alap[b] : a < b;
    });
  } else {
    std::sort(order.begin(), order.end(), [&](op_id a, op_id b) {
      if (priority[a] != priority[b]) return priority[a] < priority[b];
      return alap[a] != alap[b] ? alap[a] < alap[b] : a < b;
    });
  }
  return order;
}

}  // namespace gaus
