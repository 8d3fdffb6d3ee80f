// Simulated annealing of peak (modulo) live memory on a legal schedule (formulations B and C);
// see host/improve/memory_anneal.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/problem.hpp"
#include "host/improve/anneal_common.hpp"  // AnnealOptions, AnnealResult

namespace gaus::detail {

/// Anneals `start`, a schedule that meets every distance-0 edge (every edge at II when ii > 0),
/// the horizon D and the unit limits (per step, or per residue of II), toward lower peak live
/// memory (folded onto residues at II), by single-op moves and pushes of a few ops along their
/// edges. Every move keeps those rules; the best schedule seen replaces `start` only when its
/// exact peak is lower. `stop` is polled every 4,096 moves. Same inputs and seed, same result
/// (without a time budget). A start outside D is left alone.
AnnealResult anneal_memory(const Problem& p, std::int32_t horizon, std::int32_t ii,
                           std::vector<std::int32_t>& start, const AnnealOptions& o,
                           const std::function<bool()>& stop = {});

}  // namespace gaus::detail
