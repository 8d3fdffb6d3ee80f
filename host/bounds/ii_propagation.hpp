// A test of the II conflict bound (host/bounds/ii_bound.hpp) over a whole recurrence and all its
// unit classes at once: the starts of one strongly connected component, relative to one of its
// ops fixed at 0, narrowed by edge finding until some op has no start left.
//
// Fixing one op at 0 loses no schedule: adding a constant to every start keeps each edge and
// only rotates the residues, so each residue's load moves to another residue unchanged. With D
// the longest paths over the component at `ii` (edge e weighs lambda_e - delta_e * II), every op
// v starts in [head_v, deadline_v], first [D(a, v), -D(v, a)] for the fixed op a. Within one
// iteration two ops busy at one step are busy at one residue, so a class of C units holds at
// most C of its ops at any step, and for a set S of the class's ops:
//   - heads: S's ops start at or after h = min head over S and hold sum B_v unit-steps, so the
//     last to start does so at >= h + ceil(sum B / C) - max B; every op x after all of S by at
//     least t = min D(v, x) over S starts at >= that + t;
//   - deadlines, mirrored: with f = max (deadline_v + B_v) over S, the first of S starts at
//     <= f - ceil(sum B / C), and every op x at least t = min D(x, v) before all of S at
//     <= that - t.
// Heads and deadlines then spread along D, and the two rules run again until nothing changes.
// An op whose head passes its deadline refutes the II. On MachSuite's aes2/graph4 (20 writes on
// one port and 36 reads on two around a loop's control ops) this raises the bound from 29 to 32,
// the II found, with neither CBC nor CP-SAT deciding 31 in minutes.
#pragma once

#include <cstdint>
#include <vector>

#include "core/problem.hpp"

namespace gaus {

/// Whether the component `members` (ops of one strongly connected component, two or more) has
/// no start within its heads and deadlines at `ii` after edge finding (see above): then no
/// modulo schedule exists at `ii`. Components of more than 192 ops, or where D has a positive
/// cycle, are left to the other tests (false; a positive cycle is RecMII's). Cost per II:
/// O(n^3) for D, then per round O(n * sum over classes of m_k^2) for m_k ops of class k, at
/// most 64 rounds (a bound that still moves then is left where it is: still valid).
bool propagation_refutes(const Problem& p, const std::vector<op_id>& members, std::int32_t ii);

}  // namespace gaus
