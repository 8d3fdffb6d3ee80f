// gaus.schedule (ASAP, ALAP, list, force-directed, with the `gaus schedule` command's choices)
// and gaus.verify. Both run without the GIL.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <cmath>
#include <string>

#include "gaus/gaus.hpp"
#include "python/src/bindings.hpp"
#include "python/src/outcome.hpp"
#include "python/src/schedule_arg.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace gaus::py {

namespace {

/// As `gaus schedule --method M` (tools/cmd_schedule.cpp, run_method): `ii` > 0 asks list for a
/// modulo schedule at that II; list on a problem with loop-carried edges and no II searches the
/// smallest II. `horizon`/`ii` 0 take the problem's.
Schedule run_method(const Problem& p, const std::string& method, std::int32_t horizon_arg,
                    std::int32_t ii_arg, double time_limit, std::string& label) {
  const std::int32_t horizon = horizon_arg > 0 ? horizon_arg : p.horizon;
  const std::int32_t ii = ii_arg > 0 ? ii_arg : p.ii;
  label = method;
  if (method == "asap") return asap_schedule(p);
  if (method == "alap") return alap_schedule(p, horizon);
  if (method == "fds") {
    op_id left = 0;
    Schedule s = force_directed_schedule(p, horizon, time_limit, &left);
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
    check_ii(p, ii);
    check_ii_conflicts(p, ii);
    auto s = modulo_list_schedule(p, ii, lo);
    if (!s)
      throw InfeasibleError("modulo list scheduling found no legal schedule at II=" +
                            std::to_string(ii) + " (try a larger ii, or omit it to search)");
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

nb::dict schedule_problem(const Problem& p, const std::string& method, std::int32_t horizon,
                          std::int32_t ii, double time_limit) {
  if (horizon < 0 || ii < 0) throw InputError("horizon and ii must be >= 0");
  if (!(time_limit > 0)) throw InputError("time_limit must be > 0 seconds");
  Outcome o;
  {
    nb::gil_scoped_release release;
    std::string label;
    Schedule s = run_method(p, method, horizon, ii, time_limit, label);
    o = make_outcome(p, std::move(s), label);
  }
  return to_dict(std::move(o));
}

nb::tuple verify_starts(const Problem& p, nb::handle starts, std::int32_t horizon, std::int32_t ii,
                        std::int64_t max_reported) {
  if (horizon < 0 || ii < 0) throw InputError("horizon and ii must be >= 0");
  if (max_reported < 0) throw InputError("max_reported must be >= 0");
  const Schedule s = schedule_arg(p, starts, horizon, ii);
  VerifyResult v;
  {
    nb::gil_scoped_release release;
    v = verify(p, s, static_cast<std::size_t>(max_reported));
  }
  nb::list messages;
  for (const Violation& x : v.violations) messages.append(x.message);
  return nb::make_tuple(v.count, messages);
}

}  // namespace

void bind_heuristics(nb::module_& m) {
  m.def("schedule", &schedule_problem, "problem"_a, "method"_a, "horizon"_a, "ii"_a,
        "time_limit"_a);
  m.def("verify", &verify_starts, "problem"_a, "starts"_a, "horizon"_a, "ii"_a, "max_reported"_a);
}

}  // namespace gaus::py
