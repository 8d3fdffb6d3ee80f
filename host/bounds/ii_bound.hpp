// A lower bound on the initiation interval beyond max(ResMII, RecMII): unit conflicts on
// recurrences. Ops of one strongly connected component keep their relative starts within a
// range set by the II: s_v - s_u lies in [D(u, v), -D(v, u)], D the longest path over all edges
// with edge e weighing lambda_e - delta_e * II. The ops of such a component on one unit class
// (a group) must also fit the class's C units at every residue modulo II. An II is refuted when
// some group fails one of these necessary conditions:
//   - pairs (C = 1): some pair has no offset in its range that keeps their busy residues apart
//     (core/modulo_conflict.hpp: unit_pair_fits);
//   - forced offsets (any C): the ops whose offset from one of them is forced (a range of one
//     value) already need more than C units at some residue;
//   - triples (C = 2): some three ops have no offsets within their ranges that keep them off a
//     common residue (busy_triple_overlaps);
//   - residues (any C, every op busy one cycle): for some anchor op, the other ops cannot each
//     take a residue of their offset range with at most C on a residue (a bipartite
//     b-matching by augmenting paths; Hall's condition).
//   - the group alone, exactly (at most 64 ops): no offsets within the ranges, every pair's
//     included, put at most C of its ops on a residue (depth-first search with the ranges
//     narrowed as ops are placed, given up after 200,000 offsets tried).
//   - the whole component, all its classes at once (at most 192 ops): starts relative to one op,
//     narrowed by edge finding until one has none left (host/bounds/ii_propagation.hpp).
// Each is necessary for every modulo schedule at that II, so the least II from
// max(ResMII, RecMII) that passes them all is a lower bound on every schedule's II. ResMII and
// RecMII know only totals; this bound sees, e.g., 20 memory writes on one port of a recurrence
// that cannot take 20 different residues at II 20 (MachSuite aes2/graph4: 29 by the groups
// alone, 32 with edge finding over the component, the II found), and proves the II of
// aes2/graph2 (20), md_grid/graph7 (43) and stencil3d/graph9 (9) minimal.
#pragma once

#include <cstdint>

#include "core/problem.hpp"

namespace gaus {

/// The least II in [from, from + steps) not refuted by the conflict tests above, or
/// from + steps when all are (each refuted II is infeasible, so this is a lower bound on every
/// modulo schedule's II whenever no II below `from` is feasible either, e.g. from =
/// max(ResMII, RecMII, 1)). Groups (a class's ops within one component) of more than
/// `max_group` ops, or whose size times their component's exceeds 2 x 10^6, are skipped; the
/// triple test runs on groups of at most 48 ops, the residue test on groups of at most 128, the
/// exact search on groups of at most 64, the component test on components of at most 192 ops
/// with a group, and all but the pair and component tests only at II <= 4,096. Cost
/// per II: for each group, longest paths from each member over its component (Bellman-Ford in
/// topological order, at most 64 passes), O(size^2 * II) for the forced offsets, and the
/// triple, matching and search tests (the search capped at 200,000 offsets); for each
/// component with a group, the component test's O(n^3) and edge-finding rounds.
std::int32_t ii_conflict_bound(const Problem& p, std::int32_t from, std::int32_t steps = 64,
                               std::int32_t max_group = 256);

/// A given II checked against every bound: check_ii (graphs/analysis.hpp: InputError below 1,
/// InfeasibleError below RecMII or ResMII), then InfeasibleError, naming the bound, when the
/// conflict tests refute it (loops with loop-carried edges): no modulo schedule exists at `ii`.
void check_modulo_ii(const Problem& p, std::int32_t ii);

}  // namespace gaus
