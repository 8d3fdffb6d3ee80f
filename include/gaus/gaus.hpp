// gaus: scheduling the operations of a dataflow graph onto clock cycles by gradient descent over
// Gaussian start times (the GauS method, arXiv 2602.20427), with exact verification.
//
// The one public header. It gives a library user:
//   - reading a problem file in every format with a type library and the command's flags:
//     gaus::load_problem (graphs/load_problem.hpp), or read_graph_file / the per-format readers
//     and ProblemBuilder for building a problem in code (graphs/formats.hpp, graphs/builder.hpp);
//     writers to native JSON and DOT; the schedule JSON (graphs/schedule_json.hpp);
//   - the problem model: Problem, Schedule, TypeLibrary, errors (core/);
//   - analysis: critical path, frames, levels, recurrence and resource II bounds (graphs/analysis.hpp);
//   - the gradient solver: gaus::solve with SolveOptions, SolveResult and a progress callback
//     that may cancel (host/solver/solver.hpp);
//   - the heuristics: ASAP, ALAP, list, iterative modulo, force-directed (host/heuristics/);
//   - the independent verifier and the exact objective evaluators (host/verify/).
// It needs neither the CUDA toolkit nor CUDA headers: the CUDA backend is chosen at run time
// (SolveOptions::backend) when the library was built with it.
//
// Errors: every function that reads input throws gaus::InputError whose message names the file,
// line and op at fault; an infeasible request (a horizon below the critical path, an II below
// its bound) throws gaus::InfeasibleError. Both derive from gaus::Error (std::runtime_error).
//
//   #include <gaus/gaus.hpp>
//   gaus::LoadOptions lo;
//   lo.library = "limits.json";
//   const gaus::Problem p = gaus::load_problem("hal.dot", lo);
//   gaus::SolveOptions o;                       // formulation rcs: minimum latency
//   o.time_limit_s = 2;
//   const gaus::SolveResult r = gaus::solve(p, o);
//   const gaus::VerifyResult v = gaus::verify(p, r.schedule);   // v.legal
#pragma once

#include "core/error.hpp"
#include "core/library.hpp"
#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "graphs/analysis.hpp"
#include "graphs/builder.hpp"
#include "graphs/formats.hpp"
#include "graphs/library.hpp"
#include "graphs/load_problem.hpp"
#include "graphs/schedule_json.hpp"
#include "host/bounds/ii_bound.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/solver/solver.hpp"
#include "host/verify/objectives.hpp"
#include "host/verify/verify.hpp"
