// Operator chaining (docs/design.md section 1.3): ops with combinational delays share a clock
// cycle when the delays along a chain of values fit the cycle time.
//
// A chain runs along value edges (not auxiliary, distance 0, delay equal to the source latency).
// A value leaves op i after out_delay_i: measured from the cycle's start when i is combinational
// (L_i = 0; i itself started z_i into the cycle) and from the cycle it ends in otherwise. It
// reaches op j in j's start cycle when s_i + L_i = s_j; then j starts no earlier than
// (L_i = 0 ? z_i : 0) + out_delay_i into that cycle, and j's incoming delay must end by the
// cycle time. Chains are cut by chain-breaking edges: for every op j and every origin i of a
// chain of values into j whose accumulated delay plus j's incoming delay exceeds the cycle time,
// an edge i -> j of delay L_i + 1 (j starts after i's result is registered). With those edges
// any integer schedule has start times in cycle that fit the cycle time, and the least ones are
// computed by one pass in topological order.
#pragma once

#include <utility>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"

namespace gaus {

/// Whether edge e carries a value that may chain: not auxiliary, distance 0, delay = L_src.
bool chains_along(const Problem& p, edge_id e);

/// The chain-breaking pairs (origin, op) of p at p.cycle_time (> 0), in topological order of
/// `op`. Throws InputError naming the op whose own delay exceeds the cycle time, or when the
/// chains would hold more than 2^26 (origin, op) entries.
std::vector<std::pair<op_id, op_id>> chain_breaking_pairs(const Problem& p);

/// Adds the chain-breaking edges to a built Problem (flags kEdgeAuxiliary | kEdgeChainBreak,
/// delay L_origin + 1, distance 0, weight 0) and rebuilds its edge index. ProblemBuilder::build
/// calls it when the problem has delays and a cycle time.
void add_chain_breaking_edges(Problem& p);

/// The least start time in cycle of every op under schedule `s` (which must obey p's distance-0
/// edges): 0 unless a value reaches the op in its start cycle, then the latest arrival.
std::vector<double> start_times_in_cycle(const Problem& p, const Schedule& s);

/// s.z = start_times_in_cycle(p, s) when p has delays; clears s.z otherwise.
void set_start_times_in_cycle(const Problem& p, Schedule& s);

}  // namespace gaus
