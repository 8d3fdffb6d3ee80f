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

/// As `gaus schedule --method M` (run_heuristic, host/heuristics/heuristics.hpp).
nb::dict schedule_problem(const Problem& p, const std::string& method, std::int32_t horizon,
                          std::int32_t ii, double time_limit) {
  if (horizon < 0 || ii < 0) throw InputError("horizon and ii must be >= 0");
  if (!(time_limit > 0)) throw InputError("time_limit must be > 0 seconds");
  Outcome o;
  {
    nb::gil_scoped_release release;
    std::string label;
    Schedule s = run_heuristic(p, method, horizon, ii, time_limit, label);
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
