// What a scheduling call returns to the Python layer: the schedule with the verifier's verdict
// and every objective, as the `gaus schedule` command reports them (tools/report.cpp), in a dict
// that gaus/__init__.py turns into a gaus.Result.
#pragma once

#include <nanobind/nanobind.h>

#include <cstdint>
#include <string>
#include <vector>

#include "gaus/gaus.hpp"

namespace gaus::py {

/// Computed without the GIL; converted to Python with it.
struct Outcome {
  std::string method;  ///< "list", "gaus rcs", ...
  Schedule schedule;
  std::int64_t latency = 0;
  VerifyResult verification;    ///< at most max_reported violations listed
  std::string objectives_json;  ///< to_json(evaluate(p, schedule)).dump()
};

/// Verifies and scores `s` (call without the GIL).
Outcome make_outcome(const Problem& p, Schedule s, std::string method,
                     std::size_t max_reported = 100);

/// {"method", "starts" (int32 NumPy array, op order), "horizon", "ii", "latency", "legal",
///  "violation_count", "violations" (messages), "objectives_json"}. Needs the GIL.
nanobind::dict to_dict(Outcome&& o);

}  // namespace gaus::py
