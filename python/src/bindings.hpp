// The parts of the extension module gaus._gaus, one per concern; module.cpp calls each once.
// Every function here registers its names on `m` and throws nothing at import time.
#pragma once

#include <nanobind/nanobind.h>

namespace gaus::py {

/// gaus::InputError -> ValueError, gaus::InfeasibleError -> gaus.InfeasibleError (a
/// ValueError), any other gaus::Error -> RuntimeError (python/src/errors.cpp).
void bind_errors(nanobind::module_& m);
/// Problem, read, build (python/src/problem.cpp).
void bind_problem(nanobind::module_& m);
/// Progress, solve (python/src/solve.cpp).
void bind_solve(nanobind::module_& m);
/// schedule (the heuristics) and verify (python/src/heuristics.cpp).
void bind_heuristics(nanobind::module_& m);

}  // namespace gaus::py
