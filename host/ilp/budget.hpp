// The clock of a proof (host/ilp/prove.hpp, host/ilp/modulo_prove.hpp): seconds since a start,
// a model-building deadline, and CBC's options for the seconds left after building.
#pragma once

#include <algorithm>
#include <chrono>

#include "host/ilp/cbc.hpp"
#include "host/ilp/prove.hpp"

namespace gaus::ilp {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// `seconds` (capped at 1e9) after t0.
inline Clock::time_point deadline_after(Clock::time_point t0, double seconds) {
  return t0 + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(std::min(seconds, 1e9)));
}

/// CBC's options for `left` seconds of a proof run with `o`: CBC's own limit at 90% of them (it
/// checks its clock between nodes, not inside an LP), its process killed at `left`.
inline CbcOptions cbc_options(const ProveOptions& o, double left) {
  CbcOptions co;
  co.seconds = 0.9 * left;
  co.deadline_s = left;
  co.threads = o.threads;
  co.verbose = o.verbose;
  co.extra = o.cbc_parameters;
  co.stop = o.stop;
  return co;
}

}  // namespace gaus::ilp
