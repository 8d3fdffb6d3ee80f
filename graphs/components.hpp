// Strongly connected components of a Problem's dependence graph (every edge, loop-carried ones
// included): the recurrences a modulo schedule must fit.
#pragma once

#include <cstdint>
#include <vector>

#include "core/problem.hpp"

namespace gaus {

/// The component of each op (ids 0 .. count - 1; an op on no cycle is alone in its own), by an
/// iterative Tarjan: no recursion, so any depth. `count` receives the number of components when
/// given. Cost O(n + m).
std::vector<std::int32_t> strong_components(const Problem& p, std::int32_t* count = nullptr);

/// Whether each op lies on a cycle: in a component of two or more ops, or on a self-loop.
std::vector<char> ops_on_cycles(const Problem& p);

}  // namespace gaus
