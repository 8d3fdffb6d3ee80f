// The independent verifier: checks a discrete schedule against every rule of docs/design.md
// section 1.2 and names each violation. Every schedule gaus reports as legal has passed it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"

namespace gaus {

enum class ViolationKind {
  Shape,       ///< the schedule does not have one start per op, or a negative II/horizon
  Dependency,  ///< distance-0 edge: s_j < s_i + lambda_e
  Recurrence,  ///< loop-carried edge: s_j + delta_e * II < s_i + lambda_e
  Horizon,     ///< s_i < 0 or s_i + max(L_i, 1) > D
  Capacity,    ///< more than C_k units of class k busy in a step (or residue mod II)
  Chaining,    ///< a start time in cycle before a chained input arrives, or past the cycle time
};

const char* to_string(ViolationKind k);

struct Violation {
  ViolationKind kind;
  op_id op = -1;             ///< the op at fault (destination op for edge violations)
  op_id other = -1;          ///< the edge's source op, when an edge is at fault
  edge_id edge = -1;         ///< the edge at fault
  std::int32_t resource = -1;///< the class over its limit
  std::int32_t step = -1;    ///< the step (or residue) over the limit
  std::int64_t amount = 0;   ///< by how much (cycles short, units over)
  std::string message;       ///< one line naming the ops, class and step
};

struct VerifyResult {
  bool legal = true;
  std::int64_t count = 0;               ///< all violations found
  std::vector<Violation> violations;    ///< the first `max_reported` of them
};

/// Checks `s` against `p`. Horizon D = s.horizon (0: no upper bound checked); II = s.ii (0: no
/// loop-carried edge is checked and unit use is per step; > 0: loop-carried edges are checked
/// and unit use is folded onto residues mod II). Never throws on a malformed schedule: shape
/// problems are violations too.
///
/// Order: shape (a start count that differs from num_ops stops the check there; a negative D or
/// II is reported and then read as 0), edges in CSR order (dependency and recurrence), horizon
/// per op (s_i < 0, and s_i + max(L_i, 1) > D), then capacity by class and step. Capacity counts
/// one violation per (class, step) or (class, residue) over the limit; an op with B_i >= II
/// holds floor(B_i / II) units of every residue plus one of B_i mod II residues. Messages name
/// ops in quotes, e.g. "dependency 'a' -> 'b': 'b' starts at 3, needs >= 5 ('a' starts at 2,
/// delay 3)" and "capacity: class 'MUL' uses 3 of 2 units at step 4 (ops 'a', 'b', 'c')" (at
/// most 5 ops, then "..."; "'d' x3" when one op holds several units of a residue).
/// Chaining (problems with delays, docs/design.md section 1.3) comes last: with s.z given (one
/// value per op, each finite and >= 0), every value edge i -> j (not auxiliary, distance 0,
/// delay L_i) with s_i + L_i = s_j needs z_j >= (L_i = 0 ? z_i : 0) + out_delay_i, and with a
/// cycle time F every op needs z_j + in_delay_j <= F; without s.z the least start times in
/// cycle are derived and only the cycle time is checked (a relative tolerance of 1e-6 on F).
/// Arithmetic is 64-bit; cost O(n + m + span), span = the steps (residues) a class's ops cover,
/// falling back to sorting a class's interval ends when its starts are huge or sparse.
VerifyResult verify(const Problem& p, const Schedule& s, std::size_t max_reported = 100);

}  // namespace gaus
