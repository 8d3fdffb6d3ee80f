// The schedule JSON that `gaus schedule` writes and `gaus verify` reads:
//   {"starts": {"<op name>": step, ...}, "horizon": D, "ii": N, "z": {"<op name>": t, ...}, ...}
// Other keys (latency, legal, objectives, method, ...) are reported but never trusted on input:
// `verify` recomputes everything from the starts.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/problem.hpp"
#include "core/schedule.hpp"

namespace gaus {

/// Parses a schedule for `p`. Every op must have exactly one integer start; names not in `p`,
/// missing ops and non-integer values are InputErrors naming the op. "horizon" and "ii" are
/// optional non-negative integers (default 0). "z" (optional, chaining): {"<op name>": start
/// time in cycle, ...}, a finite number >= 0 for every op.
Schedule parse_schedule_json(std::string_view text, const std::string& name, const Problem& p);

/// {"<op name>": z, ...} in op order (s.z).
nlohmann::ordered_json start_times_in_cycle_json(const Problem& p, const Schedule& s);

/// {"<op name>": step, ...} in op order.
nlohmann::ordered_json starts_to_json(const Problem& p, const Schedule& s);

}  // namespace gaus
