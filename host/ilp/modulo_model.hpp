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
// Why the windows lose no schedule: unit counts depend only on the residues s_i mod II of the
// ops on limited units. Solutions of the edges s_j >= s_i + c_e (c_e = lambda_e - delta_e * II),
// s >= 0, with those residues fixed, are closed under the pointwise minimum, so when a schedule
// exists the least one with its residues does too. In it every op sits at 0 or just after a
// tight input: s_j is s_i + c_e rounded up to its residue, which adds at most II - 1 and only on
// a limited op. Following tight inputs back gives a simple path (a cycle of them adds nothing),
// so s_j <= max over simple paths of the sum of w_e = c_e + (II - 1 if e's head is limited),
// plus II - 1 when the path starts at a limited op. A simple path crosses the strongly connected
// components in topological order and, inside one of m ops, uses at most m - 1 edges: bounding
// that part by the m - 1 largest positive w_e inside gives hi_j, and the ASAP starts (from
// s >= 0 along distance-0 edges) the other end of the window.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "core/problem.hpp"
#include "host/ilp/model.hpp"

namespace gaus::ilp {

/// The latest starts hi_i (see above); nullopt past 2^30.
std::optional<std::vector<std::int32_t>> modulo_latest_starts(const Problem& p, std::int32_t ii);

/// Builds the feasibility model at `ii` (> 0). Throws InputError for windows past 2^30 steps,
/// ModelTooLarge and BuildOutOfTime as build_model does.
Model build_modulo_model(const Problem& p, std::int32_t ii, std::int64_t max_nonzeros,
                         std::chrono::steady_clock::time_point deadline =
                             std::chrono::steady_clock::time_point::max());

/// The same question in residue form, with no time steps: per op II binaries y[i,r] (exactly one
/// set: its residue r_i) and an integer iteration offset k_i in [ceil((ASAP_i - II + 1) / II),
/// floor(hi_i / II)] (hi_i as above), s_i = II * k_i + sum_r r y[i,r]; every edge as one row, II * (k_j - k_i)
/// + sum_r r (y[j,r] - y[i,r]) >= lambda_e - delta_e * II; per limited class and residue q the
/// ops busy there, sum_i sum_{u < B_i} y[i, (q - u) mod II] <= C. Ops x II columns instead of the
/// ops' windows: far smaller where the windows are wide.
Model build_modulo_residue_model(const Problem& p, std::int32_t ii, std::int64_t max_nonzeros,
                                 std::chrono::steady_clock::time_point deadline =
                                     std::chrono::steady_clock::time_point::max());

/// The modulo schedule a column vector of either model encodes: ii set, horizon = its length.
Schedule decode_modulo(const Problem& p, const Model& m, std::int32_t ii, const double* x);

}  // namespace gaus::ilp
