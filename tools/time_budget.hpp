// The whole-process time limit of `gaus schedule --time-limit S`: wall time from the process's
// start (reading the graph included) to the result written stays below S. The solver gets what
// is left after reading, less a reserve for what follows it: the final verification, the report
// and the write, which grow with the graph, and the solver's own overrun past its deadline (its
// last checkpoint or annealing move batch, and the result's assembly).
#pragma once

#include <cstdint>

namespace gaus::cli {

/// Seconds since the process started (measured from the tool's static initialization, a few
/// milliseconds after exec).
double process_elapsed_s();

/// Seconds kept back from a limit of `limit_s` for the work after the solve on a graph of
/// `ops` ops and `edges` edges: 3% of the limit plus 100 ms (a busy machine delays a process by
/// tens of milliseconds), plus 3 microseconds per op and edge.
/// The per-element part is mostly the solver's overrun, not the write: on EPFL hyp (214,591
/// ops, 428,670 edges) reading, list scheduling, verifying and writing take 0.1 s in all, while
/// a descent's first step (engine, one loss evaluation, legalization), which cannot be
/// interrupted, ran 0.85 to 1.4 s past the solver's limit on a busy machine.
double time_reserve_s(double limit_s, std::int64_t ops, std::int64_t edges);

/// The solver's time limit when `elapsed_s` of a process limit `limit_s` are spent: what is left
/// after the reserve, at least 0; infinity when the limit is.
double solver_budget_s(double limit_s, double elapsed_s, std::int64_t ops, std::int64_t edges);

}  // namespace gaus::cli
