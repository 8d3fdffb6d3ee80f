// One SSP instance as a gaus Problem, with the meaning of its CIRCT problem class (docs/circt.md):
//
//   every class       op k = the instance's operation k, its latency its operator type's; every
//                     dependence (def-use or auxiliary) an edge i -> j with s_j >= s_i + L_i
//   Cyclic, Modulo,   the dependence's distance: s_j + dist * II >= s_i + L_i (the other classes
//   ChainingCyclic    ignore distances, as CIRCT's verifier does)
//   SharedOperators,  an op on a limited resource type holds one unit in the step (or residue
//   Modulo            mod II) it starts in: a limit counts ops *starting* there (blocking 1);
//                     with the resource type's ii<N> (newer CIRCT), for N cycles from its start
//   Chaining,         the operator type's incoming / outgoing delays on each op, and the cycle
//   ChainingCyclic    time when one is given (graphs/chaining.hpp); auxiliary dependences carry
//                     no value
//
// CIRCT's check() rules are enforced here (InputError naming the line and the operation): an
// operation not linked to an operator type, an operator type with no latency, a limited resource
// type used by a zero-latency operator type, missing or negative delays, unequal delays on a
// zero-latency operator type, a def-use dependence with a distance in a ChainingCyclicProblem,
// and an operation on more than one resource type (gaus models one unit class per op).
#pragma once

#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "graphs/builder.hpp"
#include "graphs/ssp/ssp.hpp"

namespace gaus::ssp {

/// The Problem of `inst` (which must have a known problem class), unbuilt so that a type library
/// and flags may still apply. `cycle_time` (> 0) applies to the chaining classes only; 0: none.
/// Unnamed operations are named "%K" (K = their position in the graph).
ProblemBuilder to_builder(const Module& m, const Instance& inst, double cycle_time = 0);
/// to_builder(m, inst, cycle_time).build().
Problem to_problem(const Module& m, const Instance& inst, double cycle_time = 0);

/// Operation k's name in the Problem and in messages: its own, or "%K" when it has none.
std::string operation_label(const Instance& inst, std::size_t k);

/// The schedule written in the instance: t<..> per op, z<..> for the chaining classes, II<..>
/// for the cyclic ones. `missing` lists, as CIRCT's verify() words it, what is not there
/// ("operation 'x' (line 12) has no start time", "invalid initiation interval", ...); missing
/// values are 0 in the schedule.
struct WrittenSchedule {
  Schedule schedule;
  std::vector<std::string> missing;
};
WrittenSchedule written_schedule(const Instance& inst);

/// Writes `s` into the instance: t on every operation, z for the chaining classes (from s.z),
/// II for the cyclic classes.
void write_schedule(Instance& inst, const Schedule& s);

/// The index of the operation that the objective is the start of: the one named `name` (its
/// symbol), or the last operation of the graph when `name` is empty. Throws InputError naming the
/// instance when there is none.
op_id last_operation(const Instance& inst, const std::string& name);

/// A problem of any format as one SSP instance of `cls` named `name`: one operator type per op
/// type (latency, delays), one resource type per limited unit class (SharedOperators, Modulo),
/// def-use dependences for value edges and auxiliary ones for the rest, named operations; a
/// limited class whose ops hold it B > 1 cycles gets ii<B>. Throws InputError for what the class
/// cannot express (an edge delay other than the source latency, ops of one limited class with
/// different blocking times, a loop-carried edge in an acyclic class).
Module to_module(const Problem& p, ProblemClass cls, const std::string& name);

}  // namespace gaus::ssp
