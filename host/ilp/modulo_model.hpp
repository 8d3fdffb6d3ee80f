// The modulo feasibility ILP: is there a modulo schedule at initiation interval II? A time-indexed
// model in the style of Eichenberger and Davidson, over windows that lose no schedule:
//
//   z[i,d] = [s_i <= d] for d in [ASAP_i, hi_i);  every edge e = (i -> j): s_j >= s_i + lambda_e
//   - delta_e * II, as z[j,d] <= z[i, d - lambda_e + delta_e * II];  per limited class and
//   residue q in [0, II): sum over its ops i and steps d = q (mod II) of busy(i,d) <= C, with
//   busy(i,d) = z[i,d] - z[i,d - B_i] (the op holds its unit B_i cycles from its start).
//
// No objective: CBC either finds a schedule or proves that none exists at this II.
//
// Why the windows lose no schedule: write s_i = II * k_i + r_i with r_i in [0, II). For fixed
// residues the edges are difference constraints on the k_i, k_j - k_i >= b_e(r) with b_e(r) =
// ceil((r_i - r_j + lambda_e) / II) - delta_e <= w_e = ceil((II - 1 + lambda_e) / II) - delta_e.
// When a schedule exists the b-graph has no positive cycle, so the least solution k_i = max(0,
// longest b-path to i) exists, keeps every residue (so every unit count) and is at most the
// weight of a simple path. A simple path crosses the strongly connected components in their
// topological order and, inside a component of m ops, uses at most m - 1 edges, so K_i = the
// longest path over the components with each component weighing the sum of its m - 1 largest
// positive w_e bounds k_i. Hence some schedule starts every op in [ASAP_i, II * K_i + II - 1]
// (ASAP from s >= 0 along distance-0 edges).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "core/problem.hpp"
#include "host/ilp/model.hpp"

namespace gaus::ilp {

/// The latest starts hi_i = II * K_i + II - 1 (see above); nullopt past 2^30.
std::optional<std::vector<std::int32_t>> modulo_latest_starts(const Problem& p, std::int32_t ii);

/// Builds the feasibility model at `ii` (> 0). Throws InputError for windows past 2^30 steps,
/// ModelTooLarge and BuildOutOfTime as build_model does.
Model build_modulo_model(const Problem& p, std::int32_t ii, std::int64_t max_nonzeros,
                         std::chrono::steady_clock::time_point deadline =
                             std::chrono::steady_clock::time_point::max());

/// The modulo schedule a column vector encodes: starts as decode(), ii set, horizon = its length.
Schedule decode_modulo(const Problem& p, const Model& m, std::int32_t ii, const double* x);

}  // namespace gaus::ilp
